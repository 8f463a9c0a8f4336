"""Administration commands: the schema, the rosters, the demo data, the staff inbox, the rule index."""

from datetime import date
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text, table
from models.csv_import import parse_contractors, parse_staff
from models.errors import ImportRejected
from models.migrate import upgrade
from tasks.context import division_today, settings, transaction

app = typer.Typer()


@app.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade(settings().database_url)
    out.print("database is at the newest schema")


def _import(path: Path, parse, store, what: str) -> None:
    text = read_text(path)
    try:
        records = parse(text)
    except ImportRejected as rejected:
        fail(str(rejected))
    with transaction() as session:
        count = store(session, records, actor="cli")
    out.print(f"imported {count} {what}")


@app.command("import-staff")
def import_staff_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import the staff roster (id,full_name,email,roles,active); a bad file imports nothing."""
    from tasks.roster import import_staff

    _import(path, parse_staff, import_staff, "staff")


@app.command("import-contractors")
def import_contractors_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import contractors (id,name,email,address_line1,address_line2,city,state,zip_code)."""
    from tasks.roster import import_contractors

    _import(path, parse_contractors, import_contractors, "contractors")


@app.command()
def inbox(as_of: str = typer.Option(None, help="Date (YYYY-MM-DD); default today.")) -> None:
    """Open human tasks, soonest due first, with links to the Prefect UI."""
    from tasks.inbox import dead_letters, inbox_rows

    day = date.fromisoformat(as_of) if as_of else division_today()
    total, rows = inbox_rows(day)
    out.print(table(f"Staff inbox on {day.isoformat()}: {total} open task(s)", rows))
    failed = dead_letters()
    if failed:
        out.print(table(f"{len(failed)} notice(s) could not be delivered: fix, then `cwa requeue`", failed))


@app.command("seed-demo")
def seed_demo() -> None:
    """Sample staff, contractors, and reviews waiting at each kind of human task (needs `make up`)."""
    from tasks.handup.demo import seed_demo_handup
    from tasks.plans.demo import seed_demo_plans
    from tasks.renewal.demo import seed_demo_renewal
    from tasks.reviews.demo import seed_demo_reviews
    from tasks.seed import DEMO_PASSWORD, STAFF, seed_roster
    from tasks.signin.passwords import set_password

    with transaction() as session:
        seed_roster(session)
        for staff_id, *_ in STAFF:
            set_password(session, staff_id=staff_id, password=DEMO_PASSWORD, actor="seed-demo")
    out.print("sample staff, contractors and contracts are in place")
    seed_demo_reviews(report=out.print)
    seed_demo_plans(report=out.print)
    seed_demo_handup(report=out.print)
    seed_demo_renewal(report=out.print)
    out.print(f"Sign in to the UI as STAFF-ID:{DEMO_PASSWORD}, e.g. S-001:{DEMO_PASSWORD} (a designee), "
              f"S-003 (the director), S-005 (the contract administrator), S-006 (an eligibility worker), "
              f"S-010 (an administrator).")


@app.command()
def rules(root: Path = typer.Option(Path("."), help="The repository: its tests/ are read for rule markers."),
          out_file: Path = typer.Option(Path("docs/rules.md"), "--out", help="The file to write.")) -> None:
    """Write docs/rules.md: each rule paragraph, the functions that implement it, the tests that cover it.
    Exits 1 when a rule function cites no paragraph or a cited paragraph has no test."""
    from models.rules import paragraph_key
    from tasks.rules_index import covering_tests, implementations, render_rules, rule_functions, uncited

    if not (root / "tests").is_dir():
        fail(f"no tests/ folder under {root.resolve()}: run this in the repository or give --root")
    functions = rule_functions()
    implemented, tests = implementations(functions), covering_tests(root)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(render_rules(implemented, tests), encoding="utf-8")
    out.print(f"wrote {out_file}: {len(implemented)} paragraph(s), {len(functions)} rule function(s)")
    problems = [f"{name} cites no paragraph" for name in uncited(functions)]
    problems += [f"{paragraph} has no test" for paragraph in sorted(set(implemented) - set(tests), key=paragraph_key)]
    if problems:
        fail("; ".join(problems))


@app.command("crash-detection")
def crash_detection(within: int = typer.Option(
        ..., min=60, help="Seconds without a heartbeat after which a run counts as crashed: more than twice "
                          "PREFECT_FLOWS_HEARTBEAT_FREQUENCY of the workers.")) -> None:
    """Create or update the automation that marks Crashed a run whose worker stopped (its heartbeats end)."""
    from tasks.unresponsive_runs import ensure_crash_automation

    typer.echo(f"automation {ensure_crash_automation(within)}: a run without a heartbeat for {within} s is crashed")
