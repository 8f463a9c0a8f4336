"""Command line for staff and operators: `cwa --help`."""

import json
from datetime import date
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from models.csv_import import parse_contractors, parse_staff
from models.errors import DomainError, ImportRejected
from models.intake import ScreeningResult
from models.migrate import upgrade
from tasks.context import division_today, settings, transaction

app = typer.Typer(help="Contract administration of the Children's Division (13 CSR 35-32).",
                  no_args_is_help=True, add_completion=False)
out, err = Console(), Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


def _table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    return table


@app.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade(settings().database_url)
    out.print("database is at the newest schema")


def _import(path: Path, parse, store, what: str) -> None:
    try:
        records = parse(path.read_text(encoding="utf-8-sig"))
    except ImportRejected as rejected:
        _fail(str(rejected))
    with transaction() as session:
        count = store(session, records, actor="cli")
    out.print(f"imported {count} {what}")


@app.command("import-staff")
def import_staff_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import the staff roster (id,full_name,email,roles,active); a bad file imports nothing."""
    from tasks.roster_import import import_staff

    _import(path, parse_staff, import_staff, "staff")


@app.command("import-contractors")
def import_contractors_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import contractors (id,name,email,address_line1,address_line2,city,state,zip_code)."""
    from tasks.roster_import import import_contractors

    _import(path, parse_contractors, import_contractors, "contractors")


@app.command()
def intake(path: Path = typer.Argument(..., exists=True, dir_okay=False),
           start: bool = typer.Option(True, help="Start the review run now.")) -> None:
    """Record a background-screening result (JSON) and start its hiring-exclusion review."""
    from tasks.intake import start_review_run, store_screening

    try:
        result = ScreeningResult.model_validate(json.loads(path.read_text()))
        with transaction() as session:
            review_id = store_screening(session, result, actor="cli")
    except (ValidationError, DomainError, json.JSONDecodeError) as exc:
        _fail(str(exc))
    out.print(f"recorded {review_id}")
    if start:
        out.print(f"review run {start_review_run(review_id)}")


@app.command()
def inbox(as_of: str = typer.Option(None, help="Date (YYYY-MM-DD); default today.")) -> None:
    """Open human tasks, soonest due first, with links to the Prefect UI."""
    from tasks.sweep import inbox_rows

    day = date.fromisoformat(as_of) if as_of else division_today()
    total, rows = inbox_rows(day)
    out.print(_table(f"Staff inbox on {day.isoformat()}: {total} open task(s)", rows))


@app.command("review-status")
def review_status_cmd(review_id: str) -> None:
    """Where a hiring review stands: status, open tasks, notices, audit trail."""
    from tasks.status import review_status

    try:
        s = review_status(review_id)
    except DomainError as exc:
        _fail(str(exc))
    out.print(f"[bold]{s['review_id']}[/bold] contractor {s['contractor_id']}, prospect {s['prospect_id']}")
    out.print(f"status: [bold]{s['status']}[/bold]: {s['explanation']}")
    if s["run"]:
        out.print(f"run: {s['run']}")
    for title in ("open_tasks", "notices", "audit"):
        out.print(_table(title.replace("_", " "), s[title]))


@app.command("seed-demo")
def seed_demo() -> None:
    """Sample staff, contractors, and reviews waiting at each kind of human task (needs `make up`)."""
    from tasks.demo import seed_demo_reviews
    from tasks.seed import seed_roster

    with transaction() as session:
        seed_roster(session)
    out.print("sample staff and contractors are in place")
    seed_demo_reviews(report=out.print)


if __name__ == "__main__":
    app()
