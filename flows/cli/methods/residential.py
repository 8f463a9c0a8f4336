"""`cwa methods residential`: Missouri residential treatment maintenance rates, 13 CSR 35-80.010."""

from decimal import Decimal
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text, table
from models.errors import DomainError

app = typer.Typer(help="Missouri residential treatment maintenance rates, 13 CSR 35-80.010.", no_args_is_help=True)


@app.command("rate")
def rate(path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                     help="CSV, one row per agency: agency,room_and_board_costs,supervision_costs,"
                                          "basic_core_days,infant_toddler_days,residential_treatment_days,"
                                          "intensive_care_days,base_year."),
         rate_year: int = typer.Option(..., "--rate-year", help="The state fiscal year the rates are for; a cost "
                                                                "report three or more years older is flagged (2)(D)."),
         room_and_board_trend: str = typer.Option("0.0275", "--room-and-board-trend",
                                                  help="(4)(A) USDA change, a fraction (2.75% for SFY 2004)."),
         supervision_trend: str = typer.Option("0.0135", "--supervision-trend",
                                               help="(4)(A) state employees' COLA, a fraction (1.35% for SFY 2004).")
         ) -> None:
    """The four daily maintenance rates of 13 CSR 35-80.010 (2)(A), (3): the statewide room and board component
    plus each supervision category's component, and each agency's category and rebasing flag. A file with any
    bad row is refused and every bad row is listed."""
    from models.methods.methods_csv import parse_cost_reports
    from models.methods.missouri_residential import CATEGORIES, REBASE_YEARS, maintenance_rates, rebasing_due

    try:
        trends = Decimal(room_and_board_trend), Decimal(supervision_trend)
    except ArithmeticError:
        fail("a trend factor is a fraction such as 0.0275")
    try:
        reports = parse_cost_reports(read_text(path), rate_year)
        schedule = maintenance_rates(reports, *trends)
        flags = {r.agency: rebasing_due(r.base_year, rate_year) for r in reports}
    except DomainError as exc:
        fail(str(exc))
    rates = [{"category": f"{code} {CATEGORIES[code].name.partition(' requirements')[0]}",
              "paragraph": CATEGORIES[code].paragraph.removeprefix("13 CSR 35-80.010 "),
              "agencies": sum(1 for c in schedule.category_of.values() if c == code),
              "days": f"{schedule.days[code]:,}", "room and board": f"{schedule.room_and_board:.2f}",
              "supervision": f"{schedule.supervision[code]:.2f}", "daily rate": f"{schedule.rates[code]:.2f}"}
             for code in CATEGORIES if code in schedule.rates]
    out.print(table(f"Daily maintenance rates for SFY {rate_year} (13 CSR 35-80.010 (3))", rates))
    agencies = [{"agency": r.agency, "category": schedule.category_of[r.agency], "days": f"{r.total_days:,}",
                 "daily rate": f"{schedule.rates[schedule.category_of[r.agency]]:.2f}", "base year": r.base_year,
                 "rebasing (2)(D)": "DUE" if flags[r.agency] else "no"} for r in reports]
    out.print(table("Agencies by supervision category (3)(B)2", agencies))
    due = sum(flags.values())
    if due:
        out.print(f"rebasing due: {due} agency cost report(s) are {REBASE_YEARS} or more years older than "
                  f"SFY {rate_year} (2)(D)")
