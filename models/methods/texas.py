"""Texas DFPS FY2011 Residential Child-Care Contract, Attachment F, Output #3 "Stabilize the Child's placement":
the performance periods and the average length of placement by facility type. Pure, no I/O.

Indicator (Attachment F): "Average length of stay for children who left a placement during the period, excluding
certain reasons for discharge." The denominator counts the children who left a placement during the period,
except those discharged for the reasons listed for the facility type; the numerator is the sum of their days in
placement; the average is the numerator divided by the denominator.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["EXCLUDED_REASONS", "FACILITY_TYPES", "OUTPUT_3", "REASONS", "average_length_of_placement",
           "counted_exits", "performance_periods"]

OUTPUT_3 = "Texas DFPS FY2011 Attachment F, Output #3"

Exit = tuple[date, date, str]
Period = tuple[date, date]

# The reasons for discharge that Attachment F names, as codes:
REASONS = {
    "caretaker_moved": "Caretaker moved",
    "therapeutic_goals_achieved": "Achieved therapeutic goal(s)",
    "court_ordered": "Court ordered, including emancipation",
    "adoption": "Child placed in adoption",
    "placed_with_family": "Child placed with family, including other relatives and siblings",
    "level_of_care_changed": "Level of care raised or lowered to a level not included in this contract",
    "less_restrictive_setting": "Child moved to a less restrictive setting, based on Residential Child Care's "
                                "Living Arrangement Scoring",
}

# The five reasons all three methodologies exclude.
_COMMON = frozenset({"court_ordered", "adoption", "placed_with_family", "level_of_care_changed",
                     "less_restrictive_setting"})
# "Methodology for CPA": the five, and "Caretaker moved".
_CPA = _COMMON | {"caretaker_moved"}
# "Methodology for RTC, GRO-Therapeutic Camp, GRO-Treatment Services": the five, and "Achieved therapeutic goal(s)".
_TREATMENT = _COMMON | {"therapeutic_goals_achieved"}
# "Methodology for GRO-Basic Child Care, GRO-Emergency Shelter, Independent Foster Family Home, Independent Foster
# Group Home": the five only.
EXCLUDED_REASONS: dict[str, frozenset[str]] = {
    "CPA": _CPA,
    "RTC": _TREATMENT,
    "GRO_THERAPEUTIC_CAMP": _TREATMENT,
    "GRO_TREATMENT": _TREATMENT,
    "GRO_BASIC": _COMMON,
    "GRO_EMERGENCY_SHELTER": _COMMON,
    "INDEPENDENT_FOSTER_FAMILY_HOME": _COMMON,
    "INDEPENDENT_FOSTER_GROUP_HOME": _COMMON,
}
FACILITY_TYPES = tuple(EXCLUDED_REASONS)

# The quarters by (first month, last month): "September 1 through November 30, December 1 through February 28,
# March 1 through May 31, and June 1 through August 31".
_QUARTERS = ((9, 11), (12, 2), (3, 5), (6, 8))
_CENT = Decimal("0.01")


@cites(OUTPUT_3)
def performance_periods(contract_start: date, contract_end: date) -> list[Period]:
    """The performance periods of Attachment F, Output #3 ("Performance Period") that the contract covers
    "wholly or partially", each clipped to the contract, inclusive, in order.

    The seed writes "December 1 through February 28"; in a leap year that quarter runs to February 29, the last
    day of February, so that every day of the contract falls in exactly one period.
    """
    _check_period((contract_start, contract_end), "the contract ends before it starts")
    periods = []
    for year in range(contract_start.year - 1, contract_end.year + 1):
        for first, last in _QUARTERS:
            start = date(year, first, 1)
            end_year = year + 1 if last < first else year
            end = _last_day(end_year, last)
            if end >= contract_start and start <= contract_end:
                periods.append((max(start, contract_start), min(end, contract_end)))
    return sorted(periods)


@cites(OUTPUT_3)
def counted_exits(facility_type: str, exits: list[Exit], period: Period) -> list[Exit]:
    """The exits in the denominator of Attachment F, Output #3 (the methodology for the facility type): exit date
    in the period (inclusive) and a reason for discharge the facility type's methodology does not exclude.
    Any reason not among REASONS is counted."""
    excluded = _excluded(facility_type)
    _check_period(period, "the period ends before it starts")
    for number, (placement_start, exit_date, _reason) in enumerate(exits, start=1):
        if exit_date < placement_start:
            raise RuleViolation(f"exit {number} leaves its placement on {exit_date.isoformat()}, before the "
                                f"placement started on {placement_start.isoformat()}", OUTPUT_3)
    start, end = period
    return [e for e in exits if start <= e[1] <= end and e[2] not in excluded]


@cites(OUTPUT_3)
def average_length_of_placement(facility_type: str, exits: list[Exit], period: Period) -> Decimal | None:
    """Attachment F, Output #3: the days in placement (exit date minus placement start) of the counted exits
    (the numerator) divided by their count (the denominator), rounded half-up to two decimals; None when no
    exit counts."""
    counted = counted_exits(facility_type, exits, period)
    if not counted:
        return None
    days = sum((exit_date - placement_start).days for placement_start, exit_date, _ in counted)
    return (Decimal(days) / Decimal(len(counted))).quantize(_CENT, rounding=ROUND_HALF_UP)


def _excluded(facility_type: str) -> frozenset[str]:
    try:
        return EXCLUDED_REASONS[facility_type]
    except (KeyError, TypeError):
        raise RuleViolation(f"unknown facility type {facility_type!r} (one of: {', '.join(FACILITY_TYPES)})",
                            OUTPUT_3) from None


def _check_period(period: Period, message: str) -> None:
    start, end = period
    if end < start:
        raise RuleViolation(f"{message} ({start.isoformat()} to {end.isoformat()})", OUTPUT_3)


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)
