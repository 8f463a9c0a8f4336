"""`cwa review`: the hiring-exclusion review, 13 CSR 35-32.020 (7)(C)-(D)."""

from pathlib import Path

import typer
from pydantic import ValidationError

from flows.cli.common import fail, out, read_json, table
from models.errors import DomainError
from models.intake import ScreeningResult
from tasks.context import transaction

app = typer.Typer(help="Hiring-exclusion reviews, 13 CSR 35-32.020 (7)(C)-(D).", no_args_is_help=True)


@app.command()
def intake(path: Path = typer.Argument(..., exists=True, dir_okay=False),
           start: bool = typer.Option(True, help="Start the review run now.")) -> None:
    """Record a background-screening result (JSON) and start its hiring-exclusion review."""
    from tasks.reviews.intake import start_review_run, store_screening

    try:
        result = ScreeningResult.model_validate(read_json(path))
        with transaction() as session:
            review_id = store_screening(session, result, actor="cli")
    except (ValidationError, DomainError) as exc:
        fail(str(exc))
    out.print(f"recorded {review_id}")
    if start:
        out.print(f"review run {start_review_run(review_id)}")


@app.command("status")
def status(review_id: str) -> None:
    """Where a hiring review stands: status, open tasks, notices, audit trail."""
    from tasks.reviews.status import review_status

    try:
        s = review_status(review_id)
    except DomainError as exc:
        fail(str(exc))
    out.print(f"[bold]{s['review_id']}[/bold] contractor {s['contractor_id']}, prospect {s['prospect_id']}")
    out.print(f"status: [bold]{s['status']}[/bold]: {s['explanation']}")
    if s["run"]:
        out.print(f"run: {s['run']}")
    for title in ("open_tasks", "notices", "audit"):
        out.print(table(title.replace("_", " "), s[title]))
