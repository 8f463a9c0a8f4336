"""The CSV files of the Texas and Missouri residential methods, read all or nothing. Pure, no I/O: text in,
records out.

Every bad row is reported as (row, reason), the row being its line in the file (header = row 1, blank lines
skipped). If any row is bad, ImportRejected lists them all and nothing is returned.
"""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from models.csv_import import parse_rows
from models.errors import ImportRejected
from models.methods.missouri_residential import CostReport
from models.methods.texas import Exit

__all__ = ["EXIT_COLUMNS", "COST_COLUMNS", "DAYS_COLUMNS", "parse_cost_reports", "parse_exits"]

EXIT_COLUMNS = ("placement_start", "exit_date", "reason")
# One row per agency: its net room and board and supervision costs, its days of service in each supervision
# category of 13 CSR 35-80.010 (3)(B)2.A-D, and the fiscal year of its cost report.
DAYS_COLUMNS = {"basic_core_days": "A", "infant_toddler_days": "B", "residential_treatment_days": "C",
                "intensive_care_days": "D"}
COST_COLUMNS = ("agency", "room_and_board_costs", "supervision_costs", *DAYS_COLUMNS, "base_year")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOLLARS = re.compile(r"\d+(\.\d{1,2})?")
_WHOLE = re.compile(r"\d+")
_YEAR = re.compile(r"(19|20)\d\d")

Values = dict[str, str]


def parse_exits(text: str) -> list[Exit]:
    """Placement exits: placement_start,exit_date,reason (dates YYYY-MM-DD; the reason a code of
    models.methods.texas.REASONS or any other non-blank reason, which is counted)."""
    return _parse(text, EXIT_COLUMNS, _exit_row)


def parse_cost_reports(text: str, rate_year: int | None = None) -> list[CostReport]:
    """Agency cost reports: agency,room_and_board_costs,supervision_costs,basic_core_days,infant_toddler_days,
    residential_treatment_days,intensive_care_days,base_year. A base year after rate_year is a bad row."""
    return _parse(text, COST_COLUMNS, lambda values: _cost_row(values, rate_year))


def _parse(text: str, columns: tuple[str, ...], check_row: Callable[[Values], tuple[list[str], Any]]) -> list[Any]:
    records = parse_rows(text, columns, check_row, key="agency", exact_width=True,
                         repeated=lambda agency, first: f"agency {agency!r} repeated (first on row {first})")
    if not records:
        raise ImportRejected([(1, "the file has a header but no rows")])
    return records


def _date(values: Values, column: str, problems: list[str]) -> date | None:
    value = values[column]
    try:
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(f"{column} {value!r} is not a date YYYY-MM-DD" if value else f"{column} is blank")
    return None


def _exit_row(values: Values) -> tuple[list[str], Exit | None]:
    problems: list[str] = []
    start, end = _date(values, "placement_start", problems), _date(values, "exit_date", problems)
    reason = values["reason"].lower()
    if not reason:
        problems.append("reason is blank")
    if start and end and end < start:
        problems.append(f"exit_date {end.isoformat()} is before placement_start {start.isoformat()}")
    return problems, None if problems else (start, end, reason)


def _dollars(values: Values, column: str, problems: list[str]) -> Decimal | None:
    value = values[column].replace(",", "").removeprefix("$")
    if value.startswith("-"):
        problems.append(f"{column} {values[column]!r} is negative; costs are zero or more")
    elif not _DOLLARS.fullmatch(value):
        problems.append(f"{column} {values[column]!r} is not an amount of dollars (e.g. 1234.56)"
                        if value else f"{column} is blank")
    else:
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            problems.append(f"{column} {values[column]!r} is not an amount of dollars")
    return None


def _whole(values: Values, column: str, problems: list[str]) -> int | None:
    value = values[column]
    if not _WHOLE.fullmatch(value):
        problems.append(f"{column} {value!r} is not a whole number of zero or more" if value else f"{column} is blank")
        return None
    return int(value)


def _cost_row(values: Values, rate_year: int | None) -> tuple[list[str], CostReport | None]:
    problems: list[str] = []
    if not values["agency"]:
        problems.append("agency is blank")
    elif len(values["agency"]) > 64:
        problems.append(f"agency is {len(values['agency'])} characters long (at most 64)")
    room_and_board = _dollars(values, "room_and_board_costs", problems)
    supervision = _dollars(values, "supervision_costs", problems)
    days = {code: _whole(values, column, problems) for column, code in DAYS_COLUMNS.items()}
    if all(d is not None for d in days.values()) and not sum(days.values()):
        problems.append("no days of service in any category (total days must be above zero)")
    base_year = None
    if not _YEAR.fullmatch(values["base_year"]):
        problems.append(f"base_year {values['base_year']!r} is not a year such as 2004"
                        if values["base_year"] else "base_year is blank")
    else:
        base_year = int(values["base_year"])
        if rate_year is not None and base_year > rate_year:
            problems.append(f"base_year {base_year} is after the rate year {rate_year}")
    if problems:
        return problems, None
    return [], CostReport(agency=values["agency"], room_and_board_costs=room_and_board,
                          supervision_costs=supervision, days=days, base_year=base_year)
