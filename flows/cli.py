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


@app.command("start-plan")
def start_plan(contract_id: str, plan_id: str = typer.Option(..., help="ID for the new plan, e.g. PIP-2026-001."),
               outcome: list[str] = typer.Option(..., help="An outcome not met (repeat for several)."),
               by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Open a practice improvement plan for a contract's missed outcomes and start its run."""
    from tasks.plan_intake import open_plan, start_plan_run

    try:
        with transaction() as session:
            open_plan(session, plan_id=plan_id, contract_id=contract_id, outcomes=outcome, actor=by)
    except DomainError as exc:
        _fail(str(exc))
    out.print(f"plan {plan_id} opened; run {start_plan_run(plan_id)}")


@app.command()
def inbox(as_of: str = typer.Option(None, help="Date (YYYY-MM-DD); default today.")) -> None:
    """Open human tasks, soonest due first, with links to the Prefect UI."""
    from tasks.sweep import dead_letters, inbox_rows

    day = date.fromisoformat(as_of) if as_of else division_today()
    total, rows = inbox_rows(day)
    out.print(_table(f"Staff inbox on {day.isoformat()}: {total} open task(s)", rows))
    failed = dead_letters()
    if failed:
        out.print(_table(f"{len(failed)} notice(s) could not be delivered: fix, then `cwa requeue`", failed))


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


@app.command()
def preview(notice_type: str = typer.Argument(..., help="A notice type, or 'all'."),
            folder: Path = typer.Option(Path("data/preview"), "--out", help="Folder for the files.")) -> None:
    """Render a notice type with sample data to HTML, text and (for letters) PDF."""
    from models.notice_types import NOTICE_TYPES
    from tasks.preview import preview as render_preview

    kinds = sorted(NOTICE_TYPES) if notice_type == "all" else [notice_type]
    for kind in kinds:
        if kind not in NOTICE_TYPES:
            _fail(f"unknown notice type {kind!r}; one of: {', '.join(sorted(NOTICE_TYPES))}")
        for path in render_preview(kind, folder):
            out.print(f"wrote {path}")


@app.command()
def notices(status: str = typer.Option("failed", help="queued, sending, sent, batched, mailed, failed")) -> None:
    """Notices in one delivery state, e.g. the dead letters (failed) with their reason."""
    from sqlmodel import select

    from models.tables import Notice

    with transaction() as session:
        rows = session.exec(select(Notice).where(Notice.status == status).order_by(Notice.id)).all()
        table = [{"id": n.id, "type": n.notice_type, "to": n.recipient_id, "channel": n.channel,
                  "subject": n.subject_id, "attempts": n.attempts, "error": n.last_error or ""} for n in rows]
    out.print(_table(f"{len(table)} notice(s) {status}", table))


@app.command()
def requeue(notice_id: list[int] = typer.Argument(None, help="Notice IDs; none: every failed notice."),
            by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Re-queue dead-letter notices after the cause is fixed (address, mailbox, service)."""
    from tasks.outbox import requeue_failed

    ids = requeue_failed(by, notice_id or None)
    out.print(f"re-queued {len(ids)} notice(s): {', '.join(map(str, ids)) or '-'}")


@app.command("mailroom-batches")
def mailroom_batches() -> None:
    """The mailroom's batch folders: letters in each, and how many are confirmed mailed."""
    from tasks.mailroom import list_batches

    with transaction() as session:
        rows = list_batches(session, Path(settings().mailroom_dir))
    out.print(_table("mailroom batches", rows))


@app.command("mailroom-confirm")
def mailroom_confirm(batch_id: str, mailed_on: str = typer.Option(..., help="Date mailed (YYYY-MM-DD)."),
                     by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Record that the mailroom mailed a batch: each letter in it becomes 'mailed' with that date."""
    from tasks.mailroom import confirm_batch

    try:
        with transaction() as session:
            count = confirm_batch(session, root=Path(settings().mailroom_dir), batch_id=batch_id,
                                  mailed_on=date.fromisoformat(mailed_on), actor=by)
    except (DomainError, ValueError) as exc:
        _fail(str(exc))
    out.print(f"{count} letter(s) of {batch_id} recorded as mailed on {mailed_on}")


@app.command("seed-demo")
def seed_demo() -> None:
    """Sample staff, contractors, and reviews waiting at each kind of human task (needs `make up`)."""
    from tasks.demo import seed_demo_plans, seed_demo_reviews
    from tasks.seed import seed_roster

    with transaction() as session:
        seed_roster(session)
    out.print("sample staff, contractors and contracts are in place")
    seed_demo_reviews(report=out.print)
    seed_demo_plans(report=out.print)


if __name__ == "__main__":
    app()
