"""Our database: reachable, and at the newest Alembic revision (models/migrations)."""

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from models.migrate import alembic_config
from tasks.doctor.check import TIMEOUT, Check, error_text

NAME = "database"
INIT = "`cwa init-db` (runs the migrations)"


def check_database(url: str) -> Check:
    """Connect with a short timeout (never creating a SQLite file) and compare the revision with the script head."""
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database not in (None, "", ":memory:") and not Path(parsed.database).is_file():
        return Check(NAME, False, f"no database file at {parsed.database}", f"{INIT}, or set CWA_DATABASE_URL")
    args = {"timeout": TIMEOUT} if sqlite else {"connect_timeout": int(TIMEOUT)}
    engine = create_engine(url, poolclass=NullPool, connect_args=args)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error: the database cannot be read
        return Check(NAME, False, f"cannot connect to {shown}: {error_text(exc)}"[:400],
                     "start the database server or correct CWA_DATABASE_URL")
    finally:
        engine.dispose()
    script = ScriptDirectory.from_config(alembic_config(url))
    heads = set(script.get_heads())
    if current == heads:
        return Check(NAME, True, f"{shown}: at the newest revision {', '.join(sorted(heads))}")
    found = ", ".join(sorted(current)) or "none (no tables of ours)"
    unknown = sorted(rev for rev in current if not _known(script, rev))
    if unknown:
        return Check(NAME, False, f"{shown}: revision {found} is not among this code's migrations (newer code?)",
                     "run the version of the code that migrated this database, or restore a matching backup")
    return Check(NAME, False, f"{shown}: revision {found}, the newest is {', '.join(sorted(heads))}", INIT)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for an unknown revision
        return False
