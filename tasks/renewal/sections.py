"""The method sections of a renewal's figures (figures["sections"], read by tasks/renewal/report.py), each present
only when the contract has that data (imported as the optional kinds of models/case_data_methods_csv.py):

- "texas": the average length of placement by facility type in each performance period of the contract year,
  Texas DFPS FY2011 Attachment F, Output #3 (models/methods/texas.py), from the contract's placement exits dated
  in the contract year;
- "residential": the residential foster care maintenance rate of the contractor, 13 CSR 35-80.010
  (models/methods/missouri_residential.py), from the cost reports of the latest base year on or before the rate
  year that the contractor reported for.

A section is {"title", "paragraph", "definition", "columns", "rows", "notes", "imports"}: the rows hold ints,
strings (Decimals and years as strings, money as "$1,234.56") and None (no value, shown "n/a"); "imports" lists the IDs of
the imports it was computed from, which figures_for adds to the renewal's inputs.
"""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from models.funding import fiscal_year
from models.methods.methods_csv import DAYS_COLUMNS
from models.methods.missouri_residential import (CATEGORIES, RATE, REBASE_YEARS, REBASING, ROOM_AND_BOARD,
                                                 ROOM_AND_BOARD_TREND, SUPERVISION, SUPERVISION_TREND, TREND,
                                                 CostReport, maintenance_rates, rebasing_due)
from models.methods.texas import (EXCLUDED_REASONS, FACILITY_TYPES, OUTPUT_3, REASONS, average_length_of_placement,
                                  counted_exits, performance_periods)
from models.tables import PlacementExit, ResidentialCostReport

RESIDENTIAL = "13 CSR 35-80.010"
TEXAS_COLUMNS = ["Facility type", "Performance period", "Exits", "Exits counted", "Days counted", "Average days"]


def method_sections(session: Session, contract_id: str, year_start: date, year_end: date) -> dict[str, dict]:
    """figures["sections"] of a contract year: "texas" and "residential" when the contract has their data."""
    sections = {}
    exits = session.exec(select(PlacementExit.facility_type, PlacementExit.placement_start, PlacementExit.exit_date,
                                PlacementExit.reason, PlacementExit.import_id)
                         .where(PlacementExit.contract_id == contract_id, PlacementExit.exit_date >= year_start,
                                PlacementExit.exit_date <= year_end)).all()
    if exits:
        sections["texas"] = texas_section(exits, year_start, year_end)
    rate_year = fiscal_year(year_start)
    base_year = session.exec(select(ResidentialCostReport.base_year).where(
        ResidentialCostReport.contract_id == contract_id, ResidentialCostReport.base_year <= rate_year)
        .order_by(ResidentialCostReport.base_year.desc())).first()
    if base_year is not None:
        reports = session.exec(select(ResidentialCostReport).where(ResidentialCostReport.base_year == base_year)
                               .order_by(ResidentialCostReport.contract_id)).all()
        sections["residential"] = residential_section(contract_id, reports, rate_year)
    return sections


def texas_section(exits, year_start: date, year_end: date) -> dict:
    """Rows (facility type, period, exits, exits counted, their days, the average) for each facility type with
    exits in the year and each performance period of the year; exits: (facility_type, placement_start,
    exit_date, reason, import_id)."""
    periods = performance_periods(year_start, year_end)
    by_type: dict[str, list[tuple[date, date, str]]] = {}
    for facility, start, end, reason, _ in exits:
        by_type.setdefault(facility, []).append((start, end, reason))
    rows = []
    for facility in (f for f in FACILITY_TYPES if f in by_type):
        for period in periods:
            counted = counted_exits(facility, by_type[facility], period)
            average = average_length_of_placement(facility, by_type[facility], period)
            rows.append([facility, f"{period[0]} to {period[1]}",
                         sum(1 for e in by_type[facility] if period[0] <= e[1] <= period[1]), len(counted),
                         sum((end - start).days for start, end, _ in counted),
                         None if average is None else str(average)])
    excluded = [f"{facility} excludes the discharges for: "
                + "; ".join(REASONS[r].lower() for r in REASONS if r in EXCLUDED_REASONS[facility]) + "."
                for facility in FACILITY_TYPES if facility in by_type]
    imports = sorted({e[4] for e in exits})
    return {"title": "Average length of placement by facility type", "paragraph": OUTPUT_3,
            "definition": "For each facility type and performance period (the quarters September-November, "
                          "December-February, March-May and June-August, clipped to the contract year): the days "
                          "in placement (exit date minus placement start) of the children who left a placement "
                          "in the period, except those discharged for a reason the facility type's methodology "
                          "excludes, divided by their number, to two decimals (n/a when no exit counts).",
            "columns": TEXAS_COLUMNS, "rows": rows,
            "notes": [*excluded, "A reason for discharge not named by Attachment F is counted.",
                      f"From {len(exits):,} placement exits dated in the contract year; imports "
                      f"{', '.join(imports)}."],
            "imports": imports}


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def residential_section(contract_id: str, stored: list[ResidentialCostReport], rate_year: int) -> dict:
    """The contractor's supervision category, the statewide room and board component and its category's
    supervision component (from every agency's cost report of the base year, an agency being a contract), its
    maintenance rate and whether the costs are due for rebasing, from the cost reports `stored` of one base
    year."""
    reports = [CostReport(agency=r.contract_id, room_and_board_costs=Decimal(r.room_and_board_costs),
                          supervision_costs=Decimal(r.supervision_costs), base_year=r.base_year,
                          days={code: getattr(r, column) for column, code in DAYS_COLUMNS.items()})
               for r in stored]
    own = next(r for r in reports if r.agency == contract_id)
    schedule = maintenance_rates(reports)
    code = schedule.category_of[contract_id]
    category = CATEGORIES[code]
    members = [r for r in reports if schedule.category_of[r.agency] == code]
    base_year = own.base_year
    due = rebasing_due(base_year, rate_year)
    rows = [
        ["Supervision category of the contractor", category.paragraph, f"{code}: {category.name}"],
        ["Room and board component, per day", ROOM_AND_BOARD, _money(schedule.room_and_board)],
        [f"Supervision component of category {code}, per day", SUPERVISION, _money(schedule.supervision[code])],
        ["Maintenance rate, per day", RATE, _money(schedule.rates[code])],
        ["Base year of the cost reports (state fiscal year)", REBASING, str(base_year)],
        ["Rate year (state fiscal year of the contract year's start)", REBASING, str(rate_year)],
        ["Rebasing due", REBASING, "yes" if due else "no"],
        ["Agencies reporting for the base year", ROOM_AND_BOARD, len(reports)],
        ["Net room and board costs, all agencies", ROOM_AND_BOARD,
         _money(sum((r.room_and_board_costs for r in reports), Decimal(0)))],
        ["Days of service, all agencies", ROOM_AND_BOARD, sum(r.total_days for r in reports)],
        [f"Net supervision costs, agencies of category {code}", SUPERVISION,
         _money(sum((r.supervision_costs for r in members), Decimal(0)))],
        [f"Days of service, agencies of category {code}", SUPERVISION, schedule.days[code]],
        ["The contractor's days of service, categories A / B / C / D", SUPERVISION,
         " / ".join(f"{own.days[c]:,}" for c in CATEGORIES)],
    ]
    imports = sorted({r.import_id for r in stored})
    return {"title": "Residential foster care maintenance rate", "paragraph": RESIDENTIAL,
            "definition": "The daily maintenance rate is the statewide room and board component plus the daily "
                          "supervision component of the contractor's supervision category (3). Each component is "
                          "the net costs divided by the days of service, adjusted by its trend factor of (4)(A), "
                          "to the cent: room and board from all agencies' costs and days (3)(A)2, supervision "
                          "from the costs and days of the agencies in the category (3)(B)2.",
            "columns": ["Figure", "Paragraph", "Value"], "rows": rows,
            "notes": [f"Trend factors, {TREND}: room and board {ROOM_AND_BOARD_TREND * 100:.2f}%, supervision "
                      f"{SUPERVISION_TREND * 100:.2f}% (State Fiscal Year 2004).",
                      "The supervision category is the one in which the agency reported the most days of service; "
                      "a tie goes to the category with more awake staff per child (B, D, C, A).",
                      f"Costs are rebased every {REBASE_YEARS} years, {REBASING}: costs of base year Y serve the "
                      f"rates of years Y to Y+{REBASE_YEARS - 1}"
                      + (f"; the base year {base_year} is due for rebasing for {rate_year}." if due else "."),
                      f"From the cost reports of base year {base_year}; imports {', '.join(imports)}."],
            "imports": imports}
