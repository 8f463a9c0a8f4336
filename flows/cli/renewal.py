"""`cwa renewal`: the annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6).

`cwa renewal import KIND FILE --by STAFF_ID` imports one extract of the case management system. The kinds and
their CSV headers (columns in any order, dates YYYY-MM-DD, months YYYY-MM; models/case_data_csv.py):

    referrals          contract_id,child_id,referred_on,birth_date,funding       (funding: ive or hdn)
    exits              contract_id,child_id,exit_on,exit_type                    (reunification, adoption,
                                                                                  guardianship, other)
    reentries          contract_id,child_id,reentered_on
    reports            contract_id,child_id,substantiated_on,perpetrator         (out_of_home_provider, parent, other)
    placement_changes  contract_id,child_id,changed_on
    residential_days   contract_id,child_id,month,days                           (days 1 to the month's days)
    resource_homes     contract_id,home_id,developed_on
    adjustments        contract_id,month,reason,cases,amount                     (reason A-C, E, F of 32.030 (6)(B)3)

Import the referrals first: each event names a child already referred to the contract, and re-entries follow the
exits imported before them.
"""

import time
from decimal import Decimal
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import typer

from flows.cli.common import fail, out, table
from models.case_data_csv import KINDS
from models.errors import DomainError, ImportRejected
from tasks.context import transaction

app = typer.Typer(help="Annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6).",
                  no_args_is_help=True)
SHOWN = 50  # bad rows printed at most

Kind = StrEnum("Kind", {kind: kind for kind in KINDS})


def _utf8_lines(binary: BinaryIO) -> Iterator[str]:
    """The file's lines decoded one by one, so that bytes that are not UTF-8 are refused on their own row."""
    for raw in binary:
        yield raw.decode("utf-8")


def _listed(exc: ImportRejected, path: Path) -> str:
    """Every bad row of a refused file, at most SHOWN of them."""
    shown = [f"row {row}: {reason}" for row, reason in exc.errors[:SHOWN]]
    more = len(exc.errors) - SHOWN
    return (f"{len(exc.errors)} bad row(s) in {path.name}, nothing imported:\n" + "\n".join(shown)
            + (f"\n... and {more} more" if more > 0 else ""))


@app.command("import")
def import_cmd(kind: Kind = typer.Argument(..., help="What the file holds (its CSV header below)."),
               path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The CSV file (UTF-8)."),
               by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Import one case data extract, all or nothing; a file with any bad row imports nothing and every bad row is
    listed by its number (header = row 1). Import the referrals first.

    \b
    referrals          contract_id,child_id,referred_on,birth_date,funding
                       funding: ive | hdn
    exits              contract_id,child_id,exit_on,exit_type
                       exit_type: reunification | adoption | guardianship | other
    reentries          contract_id,child_id,reentered_on
    reports            contract_id,child_id,substantiated_on,perpetrator
                       perpetrator: out_of_home_provider | parent | other
    placement_changes  contract_id,child_id,changed_on
    residential_days   contract_id,child_id,month,days
                       month YYYY-MM; days 1 to the days of the month
    resource_homes     contract_id,home_id,developed_on
    adjustments        contract_id,month,reason,cases,amount
                       reason A, B, C, E or F of 13 CSR 35-32.030 (6)(B)3 (D is computed
                       from the re-entries); cases >= 0; amount per case > 0 for E and F,
                       0 or blank for A-C
    Dates are YYYY-MM-DD; the columns may come in any order.
    """
    from tasks.renewal.case_data import import_case_data

    started = time.perf_counter()
    try:
        with path.open("rb") as binary, transaction() as session:
            summary = import_case_data(session, kind=kind.value, stream=_utf8_lines(binary), actor=by)
    except ImportRejected as exc:
        fail(_listed(exc, path))
    except DomainError as exc:
        fail(str(exc))
    seconds = time.perf_counter() - started
    out.print(f"import {summary.import_id}: {summary.rows:,} {kind.value} row(s) for "
              f"{len(summary.contracts)} contract(s) ({', '.join(summary.contracts)})")
    out.print(f"{seconds:.2f} s, {summary.rows / max(seconds, 1e-9):,.0f} rows/s")


@app.command("terms")
def terms_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The CSV file (UTF-8)."),
              by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Record the terms of contract years, all or nothing: cases awarded, the monthly amount per case, the targets
    of 13 CSR 35-32.020 (13)(A)-(C) and what the incentive of 35-32.030 (6) needs.

    \b
    contract_id,year_start,year_end,cases_awarded,monthly_rate,permanency_target,safety_target,reentry_target,
    region_county_permanency,region_contractor_permanency,allowable_reentries,appropriation
    """
    from tasks.renewal.terms import import_terms

    try:
        with transaction() as session:
            count = import_terms(session, csv_text=path.read_text(encoding="utf-8"), actor=by)
    except ImportRejected as exc:
        fail(_listed(exc, path))
    except (DomainError, UnicodeDecodeError) as exc:
        fail(str(exc))
    out.print(f"recorded the terms of {count} contract year(s)")


@app.command("start")
def start_cmd(contract_id: str, year_start: str = typer.Option(..., help="First day of the contract year.")) -> None:
    """Start the renewal of a contract year now (the daily sweep starts it CWA_RENEWAL_LEAD_DAYS before the
    year's end)."""
    from datetime import date

    from tasks.renewal.records import terms_for
    from tasks.renewal.schedule import start_renewal_run

    try:
        day = date.fromisoformat(year_start)
        with transaction() as session:
            terms_for(session, contract_id, day)
    except ValueError:
        fail(f"{year_start!r} is not a date (YYYY-MM-DD)")
    except DomainError as exc:
        fail(str(exc))
    out.print(f"renewal run {start_renewal_run(contract_id, day)}")


@app.command("status")
def status_cmd(renewal_id: str) -> None:
    """Where a renewal stands: status, outcomes against targets, the incentive, the decision, the report."""
    from models.tables import Renewal

    with transaction() as session:
        r = session.get(Renewal, renewal_id)
        if r is None:
            fail(f"no renewal {renewal_id!r}")
        figures = r.final or r.preliminary
        out.print(f"[bold]{r.id}[/bold] contract {r.contract_id}, {r.year_start} to {r.year_end}: "
                  f"[bold]{r.status}[/bold]" + (f", decision {r.decision}" if r.decision else ""))
        if figures:
            out.print(table(f"outcomes ({figures['version']})", [
                {"outcome": o["label"], "paragraph": o["paragraph"], "percent": o["percent"], "target": o["target"],
                 "met": o["met"]} for o in figures["outcomes"]]))
            out.print(f"incentive payment ${Decimal(figures['incentive']['payment']):,.2f}; payments for the year "
                      f"${Decimal(figures['payments_total']):,.2f}")
        if r.report_path:
            out.print(f"report: {r.report_path}")
