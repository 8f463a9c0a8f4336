"""`cwa handup reference`: Reference tables (income limits, child care rates, sliding fee scale), versioned, with
provenance: `import` a new version from a CSV file, `show` every version and which is in effect."""

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text, table
from models.errors import DomainError
from tasks.context import division_today, transaction

app = typer.Typer(help="Reference tables (income limits, child care rates, sliding fee scale), versioned, with "
                       "provenance.", no_args_is_help=True)


class Kind(StrEnum):
    income_limits = "income_limits"  # family_size,monthly_limit,each_further: 13 CSR 35-32.040 (4)(A)
    care_rates = "care_rates"  # area,age_group,monthly_rate: 13 CSR 35-32.010 (4)
    fee_scale = "fee_scale"  # family_size,income_up_to,fee: 13 CSR 35-32.010 (3)


class Provenance(StrEnum):
    official = "official"
    derived = "derived"
    sample = "sample"


def _day(value: str | None, option: str) -> date:
    if not value:
        return division_today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


@app.command("import")
def import_cmd(
    kind: Kind = typer.Argument(..., help="income_limits (family_size,monthly_limit,each_further), care_rates "
                                          "(area,age_group,monthly_rate) or fee_scale (family_size,income_up_to,fee)."),
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The CSV file, with a header row."),
    version: str = typer.Option(..., "--version", help="A new name for this version, e.g. official-2026."),
    effective_from: str = typer.Option(..., "--effective-from", help="First day it is used (YYYY-MM-DD)."),
    provenance: Provenance = typer.Option(..., "--provenance", help="official, derived or sample."),
    source: str = typer.Option(..., "--source", help="Where the figures come from."),
    by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail."),
) -> None:
    """Import a new version of a reference table; a file with a bad row imports nothing."""
    from tasks.handup.reference import import_reference

    day = _day(effective_from, "--effective-from")
    text = read_text(path)
    try:
        with transaction() as session:
            count = import_reference(session, kind=kind.value, csv_text=text,
                                     version=version, effective_from=day, provenance=provenance.value,
                                     source=source, actor=by)
    except DomainError as refused:
        fail(str(refused))
    out.print(f"imported {kind.value} version {version.strip()}: {count} row(s), {provenance.value}, "
              f"in use from {day.isoformat()}")


@app.command()
def show(as_of: str = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today."),
         kind: Kind = typer.Option(None, "--kind", help="Only this table."),
         show_figures: bool = typer.Option(False, "--figures", help="The figures of the version in effect "
                                                                    "(needs --kind).")) -> None:
    """Every version of the reference tables with its provenance and source, marking the one in effect."""
    from tasks.handup.reference import describe, figures

    day = _day(as_of, "--as-of")
    if show_figures and kind is None:
        fail("--figures needs --kind income_limits, care_rates or fee_scale")
    try:
        with transaction() as session:
            if show_figures:
                version, rows = figures(session, kind.value, day)
            else:
                rows = [r for r in describe(session, day) if kind is None or r["kind"] == kind.value]
    except DomainError as refused:
        fail(str(refused))
    if show_figures:
        out.print(table(f"{kind.value} in effect on {day.isoformat()}", rows))
        out.print(f"Version {version.version} ({version.provenance.value}), in use from "
                  f"{version.effective_from.isoformat()}. Source: {version.source}")
    else:
        out.print(table(f"Hand-Up reference tables on {day.isoformat()}", rows))
