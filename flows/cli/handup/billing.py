"""`cwa handup billing`: Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B).

`run` bills in this process, batch by batch, by calling the same batch function the `handup-billing` flow runs
as tasks (no Prefect server needed: for a back-fill or when the scheduled run failed). It is safe to repeat and
to run beside the flow: a participant billed for the month is never selected again. The letters it queues go
out with the next `outbox-delivery` run (every five minutes)."""

from datetime import date

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.cli.common import fail, out, table
from models.errors import DomainError
from tasks.context import division_today, settings

app = typer.Typer(help="Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B).", no_args_is_help=True)


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        fail(f"{value!r} is not a month (YYYY-MM)")


@app.command("run")
def run(month: str = typer.Option(..., "--month", help="Coverage month (YYYY-MM)."),
        as_of: str = typer.Option(None, "--as-of", help="Date of the notices (YYYY-MM-DD); default today.")) -> None:
    """Bill every enrolled participant for the month and queue the premium letters (and opted-in email copies)."""
    from tasks.handup.billing import bill_month, check_billing_time, count_unbilled

    coverage = _month(month)
    try:
        day = date.fromisoformat(as_of) if as_of else division_today()
        dates = check_billing_time(coverage, day, settings().handup_transit_days)
    except (DomainError, ValueError) as exc:
        fail(str(exc))
    total = count_unbilled.fn(coverage)
    out.print(f"{month}: {total:,} participant(s) to bill, due {dates.due_on.isoformat()}, "
              f"letters to the mail by {dates.mail_by.isoformat()}")
    columns = (TextColumn("billing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out) as progress:
        bar = progress.add_task("billing", total=total)
        totals = bill_month(coverage, day, on_batch=lambda result: progress.advance(bar, result.selected))
    out.print(table(f"Billing of {month}", [{"measure": k, "count": v} for k, v in totals.items()]))
    if totals["address_errors"]:
        out.print("[yellow]Participants whose address cannot take a letter were not billed: fix the address "
                  "and run again.[/yellow]")


@app.command("status")
def status(month: str = typer.Option(..., "--month", help="Coverage month (YYYY-MM).")) -> None:
    """Bills of the month by status, and its premium notices by channel and status."""
    from tasks.handup.billing import billing_status

    counts = billing_status(_month(month))
    out.print(table(f"Bills for {month}", [{"status": k, "count": v} for k, v in sorted(counts["bills"].items())]))
    out.print(table(f"Premium notices for {month}",
                    [{"channel and status": k, "count": v} for k, v in sorted(counts["notices"].items())]))
