"""What the bad-input tests share: a throw-away database per module, the row count of every table, a `cwa`
invocation that must end cleanly, and hypothesis strategies for hostile CSV files and JSON values."""

import csv
import io
import itertools
from contextlib import contextmanager
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import SQLModel
from typer.testing import CliRunner

import models.tables  # noqa: F401  (every table in the metadata)
from flows.cli import app
from tasks.context import transaction
from tests.databases import fresh_database

FUZZ = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
cli = CliRunner()
_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_names)}"


@contextmanager
def seeded_database(folder):
    """A migrated SQLite database of its own, with the sample roster, contracts and pilot providers."""
    from tasks.handup.demo import seed_providers
    from tasks.seed import seed_roster

    with fresh_database("sqlite", folder) as url:
        with transaction() as session:
            seed_roster(session)
            seed_providers(session)
        yield url


def counts() -> dict[str, int]:
    """The number of rows of every table of ours."""
    with transaction() as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def invoke_cleanly(args: list[str]):
    """Run `cwa args`: it succeeds, or exits 1 with an error message, no traceback and nothing written."""
    before = counts()
    result = cli.invoke(app, args, env={"COLUMNS": "200"})
    shown = f"exit {result.exit_code}, {result.exception!r}:\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (0, 1), shown
    if result.exit_code == 1:
        assert "error" in result.output, shown
        assert counts() == before, shown
    return result


# --- CSV files ---------------------------------------------------------------------------------------------------

SAMPLE_CELLS = ["", " ", "0", "-1", "1", "12", "-0.01", "0.00", "100.00", "1e400", "NaN", "inf", "-inf",
                "99999999999999999999999999", "-99999999999999999999", "1,000", "$5", "2026-01-15", "2026-02-30",
                "0000-00-00", "9999-12-31", "2026-13", "2026-01", "2026/01/15", "yes", "no", "true", "maybe",
                "S-005", "S-006", "C-001", "K-001", "T-01", "PP-URBAN", "PP-RURAL", "HU-NOPE", "MO", "64111",
                "urban", "rural", "A", "D", "E", "ive", "hdn", "reunification", "parent", "CPA", "designee",
                "x" * 300, "é漢字🙂", "\u202e\u0000", "=cmd|' /C calc'!A0", "[red]markup[/red]", "[/bold]", "[link=x", '"', "\r"]
cells = st.one_of(st.sampled_from(SAMPLE_CELLS), st.text(max_size=12),
                  st.integers(min_value=-10**30, max_value=10**30).map(str),
                  st.decimals(allow_nan=True, allow_infinity=True, places=2).map(str),
                  st.dates(min_value=date(1, 1, 1)).map(date.isoformat))


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@st.composite
def csv_files(draw, columns: tuple[str, ...]) -> bytes:
    """A hostile file for a CSV import with these columns: random bytes, random text, or the right header (shuffled,
    short of a column, with an extra one) over rows of random cells and random widths, with blank lines and BOMs."""
    shape = draw(st.sampled_from(["bytes", "text", "rows", "rows", "rows", "rows"]))
    if shape == "bytes":
        return draw(st.binary(max_size=300))
    if shape == "text":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    header = list(columns)
    change = draw(st.sampled_from(["none", "none", "shuffle", "drop", "extra", "case"]))
    if change == "shuffle":
        header = draw(st.permutations(header))
    elif change == "drop":
        header.pop(draw(st.integers(0, len(header) - 1)))
    elif change == "extra":
        header.append(draw(st.sampled_from(["extra", columns[0], ""])))
    elif change == "case":
        header = [f" {c.upper()} " for c in header]
    width = len(header)
    rows = draw(st.lists(st.lists(cells, min_size=max(0, width - 2), max_size=width + 2)
                         | st.lists(cells, min_size=width, max_size=width), max_size=6))
    text = _csv([header, *rows])
    if draw(st.booleans()):
        lines = text.split("\n")
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", " ", ",,,", "\t"])))
        text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    prefix = draw(st.sampled_from(["", "", "\ufeff", "\ufeff\ufeff"]))
    data = (prefix + text).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        data = data + b"\xff\xfe,\x80\n"  # bytes that are not UTF-8 on a last row
    return data


# --- JSON values -------------------------------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**40, max_value=10**40),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=12), children, max_size=4), max_leaves=15)
