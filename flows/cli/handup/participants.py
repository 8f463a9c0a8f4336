"""`cwa handup`: Hand-Up Pilot Program, 13 CSR 35-32.040: applications, opt-outs, hearing requests, status."""

from datetime import date
from pathlib import Path

import typer
from pydantic import ValidationError

from flows.cli.common import fail, out, read_json, table
from models.errors import DomainError
from models.handup_intake import HandUpApplicationIn
from tasks.context import division_today, transaction

app = typer.Typer(help="Hand-Up Pilot Program, 13 CSR 35-32.040: applications, opt-outs, hearing requests, status.",
                  no_args_is_help=True)
BY = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else division_today()
    except ValueError:
        fail(f"{value!r} is not a date (YYYY-MM-DD)")


@app.command()
def apply(path: Path = typer.Argument(..., exists=True, dir_okay=False), by: str = BY,
          start: bool = typer.Option(True, help="Start the enrolment run now.")) -> None:
    """Record a Hand-Up application (JSON) and start its enrolment run (13 CSR 35-32.040 (1))."""
    from tasks.handup.enrolment import start_enrolment_run, store_application

    try:
        application = HandUpApplicationIn.model_validate(read_json(path))
        with transaction() as session:
            participant_id = store_application(session, application, actor=by)
    except (ValidationError, DomainError) as exc:
        fail(str(exc))
    out.print(f"recorded {participant_id}")
    if start:
        out.print(f"enrolment run {start_enrolment_run(participant_id)}")


@app.command("opt-out")
def opt_out(participant_id: str, on: str = typer.Option(None, help="Effective date (default today)."),
            by: str = BY) -> None:
    """A participant leaves the program, for good (13 CSR 35-32.040 (6)); the notice confirms it."""
    from tasks.handup.opt_out import opt_out as leave

    try:
        with transaction() as session:
            cancelled = leave(session, participant_id=participant_id, on=_day(on), actor=by)
    except DomainError as exc:
        fail(str(exc))
    out.print(f"{participant_id} opted out; {cancelled} later bill(s) cancelled; confirmation queued")


@app.command("hearing-request")
def hearing_request(participant_id: str, on: str = typer.Option(None, help="Date received (default today)."),
                    by: str = BY, start: bool = typer.Option(True, help="Start the hearing run now.")) -> None:
    """Record a request for a fair hearing (13 CSR 35-32.040 (5)): a timely one starts the hearing, a late one
    is refused by notice."""
    from tasks.handup.hearings import request_hearing, start_hearing_run

    try:
        with transaction() as session:
            hearing = request_hearing(session, participant_id=participant_id, requested_on=_day(on), actor=by)
            hearing_id, timely = hearing.id, hearing.timely
    except DomainError as exc:
        fail(str(exc))
    if not timely:
        out.print(f"{hearing_id}: the request came more than ninety days after the adverse action; "
                  "refused, and the refusal notice queued")
        raise typer.Exit(0)
    out.print(f"{hearing_id} recorded" + (f"; hearing run {start_hearing_run(hearing_id)}" if start else ""))


@app.command()
def status(participant_id: str) -> None:
    """Where a participant stands: status, premium, bills, payments, hearings, notices."""
    from tasks.handup.status import participant_status

    try:
        s = participant_status(participant_id)
    except DomainError as exc:
        fail(str(exc))
    out.print(f"[bold]{participant_id}[/bold] provider {s['provider_id']}: [bold]{s['status']}[/bold]")
    out.print(s["summary"])
    for title in ("unmet", "bills", "payments", "hearings", "notices"):
        if s[title]:
            out.print(table(title, s[title]))
