"""`cwa handup payments`: Premium payments, 13 CSR 35-32.040 (4)(B)-(D)."""

from enum import StrEnum
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text
from models.errors import DomainError
from tasks.context import transaction

app = typer.Typer(help="Premium payments, 13 CSR 35-32.040 (4)(B)-(D).", no_args_is_help=True)


class Source(StrEnum):
    payroll = "payroll"
    processor = "processor"


@app.command("import")
def import_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV: reference,participant_id,"
                                                                                "received_on,amount"),
               source: Source = typer.Option(..., "--source", help="Who sent the file (4)(D)."),
               by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Import a payments file; each payment pays the oldest open bill first, the rest is credit. A file with
    any bad row imports nothing and every bad row is listed."""
    from tasks.handup.payments import import_payments

    text = read_text(path)
    try:
        with transaction() as session:
            s = import_payments(session, csv_text=text, source=source.value,
                                actor=by)
    except DomainError as exc:
        fail(str(exc))
    out.print(f"import {s.import_id}: {s.payments} payment(s) from {s.source} for {s.participants} "
              f"participant(s), total ${s.total:,.2f}")
    out.print(f"applied to bills: ${s.applied:,.2f} ({s.bills_paid} bill(s) now paid)")
    out.print(f"carried as credit: ${s.to_credit:,.2f}")
