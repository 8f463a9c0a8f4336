"""`cwa methods texas`: Texas residential contracts: average length of placement by facility type (Attachment F,
output 3)."""

from datetime import date
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text, table
from models.errors import DomainError

app = typer.Typer(help="Texas residential contracts: average length of placement by facility type (Attachment F, "
                       "output 3).", no_args_is_help=True)


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option) from None


@app.command("placement")
def placement(path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                          help="CSV: placement_start,exit_date,reason (one row per exit)."),
              facility_type: str = typer.Option(..., "--facility-type",
                                                help="CPA, RTC, GRO_THERAPEUTIC_CAMP, GRO_TREATMENT, GRO_BASIC, "
                                                     "GRO_EMERGENCY_SHELTER, INDEPENDENT_FOSTER_FAMILY_HOME or "
                                                     "INDEPENDENT_FOSTER_GROUP_HOME."),
              contract_start: str = typer.Option(..., "--contract-start", help="First day of the contract."),
              contract_end: str = typer.Option(..., "--contract-end", help="Last day of the contract.")) -> None:
    """Output #3 "Stabilize the Child's placement": for each performance period of the contract, the exits
    counted (those the facility type's methodology does not exclude) and their average length of placement in
    days. A file with any bad row is refused and every bad row is listed."""
    from models.methods.methods_csv import parse_exits
    from models.methods.texas import (EXCLUDED_REASONS, REASONS, average_length_of_placement, counted_exits,
                                      performance_periods)

    start, end = _day(contract_start, "--contract-start"), _day(contract_end, "--contract-end")
    kind = facility_type.strip().upper().replace("-", "_").replace(" ", "_")
    try:
        exits = parse_exits(read_text(path))
        rows = []
        for first, last in performance_periods(start, end):
            in_period = [e for e in exits if first <= e[1] <= last]
            counted = counted_exits(kind, exits, (first, last))
            average = average_length_of_placement(kind, exits, (first, last))
            rows.append({"period": f"{first.isoformat()} to {last.isoformat()}", "exits": len(in_period),
                         "excluded": len(in_period) - len(counted), "counted": len(counted),
                         "average days": "-" if average is None else f"{average:.2f}"})
    except DomainError as exc:
        fail(str(exc))
    out.print(table(f"Average length of placement, {kind} (Texas DFPS FY2011 Attachment F, Output #3)", rows))
    excluded = ", ".join(sorted(EXCLUDED_REASONS[kind]))
    out.print(f"excluded for {kind}: {excluded}")
    other = sorted({e[2] for e in exits} - set(REASONS))
    if other:
        out.print(f"counted, not a reason Attachment F excludes: {', '.join(other)}")
