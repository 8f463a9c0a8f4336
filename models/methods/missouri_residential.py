"""13 CSR 35-80.010 Residential Foster Care Maintenance Methodology: the statewide room and board component, the
daily supervision component of each of the four supervision categories, the four maintenance rates and the
three-year rebasing. Pure, no I/O; money in Decimal dollars, rounded half-up to the cent.

(3): "The foster care maintenance rate will contain two (2) separate components. A statewide average room and
board component and a child-specific daily supervision component." (2)(A): "Four (4) child-specific foster care
maintenance rates", one for each supervision category of (3)(B)2.A-D.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["CATEGORIES", "REBASE_YEARS", "ROOM_AND_BOARD_TREND", "SUPERVISION_TREND", "CostReport", "RateSchedule",
           "maintenance_rate", "maintenance_rates", "rebasing_due", "room_and_board_component",
           "supervision_category", "supervision_component"]

FOUR_RATES = "13 CSR 35-80.010 (2)(A)"
REBASING = "13 CSR 35-80.010 (2)(D)"
RATE = "13 CSR 35-80.010 (3)"
ROOM_AND_BOARD = "13 CSR 35-80.010 (3)(A)2"
SUPERVISION = "13 CSR 35-80.010 (3)(B)2"
BASIC_CORE = "13 CSR 35-80.010 (3)(B)2.A"
INFANT_TODDLER = "13 CSR 35-80.010 (3)(B)2.B"
RESIDENTIAL_TREATMENT = "13 CSR 35-80.010 (3)(B)2.C"
INTENSIVE = "13 CSR 35-80.010 (3)(B)2.D"
TREND = "13 CSR 35-80.010 (4)(A)"

# (4)(A): room and board by "the change in the USDA Expenditures on Children by Families. For State Fiscal Year
# 2004, this amount would be two and seventy-five one-hundredths percent (2.75%)"; daily supervision by "the
# percentage COLA ... provided to state employees. For State Fiscal Year 2004, ... (1.35%)".
ROOM_AND_BOARD_TREND = Decimal("0.0275")
SUPERVISION_TREND = Decimal("0.0135")
# (2)(D): "Statewide foster care maintenance costs shall be rebased every three (3) years."
REBASE_YEARS = 3
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Category:
    """A supervision category of (3)(B)2, with the awake staff/child ratio of Exhibit 1 for the ages it mostly
    serves (one staff member for `children_per_staff` children) and the DSS contract categories it names."""

    code: str
    paragraph: str
    name: str
    children_per_staff: int
    examples: tuple[str, ...]


CATEGORIES: dict[str, Category] = {c.code: c for c in (
    Category("A", BASIC_CORE, "basic core requirements", 10,
             ("emergency shelter", "emergency crisis intervention", "maternity care", "maternity care with infant")),
    Category("B", INFANT_TODDLER, "infant/toddler/preschool requirements", 4, ("infant care", "toddler care")),
    Category("C", RESIDENTIAL_TREATMENT, "residential treatment requirements (DFS Levels II & III)", 8,
             ("moderate need (Level II)", "severe need (Level III)", "family focused residential services")),
    Category("D", INTENSIVE, "intensive residential care requirements (DFS Level IV)", 6,
             ("intensive need (Level IV)",)),
)}


@dataclass(frozen=True)
class CostReport:
    """One agency's cost report (2)(B)-(C): its net room and board and supervision costs for the base year, and
    its days of service by supervision category ("Agencies will report days by type of service provided")."""

    agency: str
    room_and_board_costs: Decimal
    supervision_costs: Decimal
    days: Mapping[str, int]
    base_year: int

    @property
    def total_days(self) -> int:
        return sum(self.days.values())


@dataclass(frozen=True)
class RateSchedule:
    """The statewide room and board component, and for each category with agencies in it: its agencies, their
    days, its supervision component and its maintenance rate."""

    room_and_board: Decimal
    category_of: dict[str, str] = field(default_factory=dict)
    days: dict[str, int] = field(default_factory=dict)
    supervision: dict[str, Decimal] = field(default_factory=dict)
    rates: dict[str, Decimal] = field(default_factory=dict)


@cites(ROOM_AND_BOARD, TREND)
def room_and_board_component(net_costs: Decimal, total_days: int, trend: Decimal = ROOM_AND_BOARD_TREND) -> Decimal:
    """(3)(A)2: "the total net applicable room and board related costs for all agencies" divided "by the statewide
    total days of residential child caring services provided", adjusted by the (4)(A) trend (2.75% for SFY 2004),
    rounded half-up to the cent."""
    return _component(net_costs, total_days, trend, ROOM_AND_BOARD, "room and board")


@cites(SUPERVISION, TREND)
def supervision_component(category_costs: Decimal, category_days: int, trend: Decimal = SUPERVISION_TREND) -> Decimal:
    """(3)(B)2: "the total net applicable supervision costs for all agencies within a category" divided "by the
    total days of child caring services provided by those agencies", adjusted by the (4)(A) trend (the state
    employees' COLA, 1.35% for SFY 2004), rounded half-up to the cent."""
    return _component(category_costs, category_days, trend, SUPERVISION, "supervision")


@cites(RATE)
def maintenance_rate(room_and_board: Decimal, supervision: Decimal) -> Decimal:
    """(3): the daily maintenance rate is the room and board component plus the daily supervision component."""
    for name, value in (("room and board", room_and_board), ("supervision", supervision)):
        if not value.is_finite() or value < 0:
            raise RuleViolation(f"the {name} component must be a dollar amount of zero or more, not {value}", RATE)
    return (room_and_board + supervision).quantize(_CENT, rounding=ROUND_HALF_UP)


@cites(SUPERVISION, BASIC_CORE, INFANT_TODDLER, RESIDENTIAL_TREATMENT, INTENSIVE)
def supervision_category(days_by_category: Mapping[str, int]) -> str:
    """(3)(B)2: the category (A-D) an agency is classified into "based upon the average level of supervision
    required by children in their care".

    The rule used: the category in which the agency reported the most days of service (the level most of its
    children's days require). A tie goes to the category requiring more supervision by Exhibit 1's awake
    staff/child ratio: B (1:4) before D (1:6) before C (1:8) before A (1:10).
    """
    unknown = sorted(set(days_by_category) - set(CATEGORIES))
    if unknown:
        raise RuleViolation(f"unknown supervision categor(ies) {', '.join(map(repr, unknown))} (A, B, C or D)",
                            SUPERVISION)
    for code, days in days_by_category.items():
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise RuleViolation(f"days in category {code} must be a whole number of zero or more, not {days!r}",
                                SUPERVISION)
    if not sum(days_by_category.values()):
        raise RuleViolation("the agency reports no days of service in any category", SUPERVISION)
    return max(days_by_category,
               key=lambda code: (days_by_category[code], -CATEGORIES[code].children_per_staff))


@cites(REBASING)
def rebasing_due(base_year: int, rate_year: int) -> bool:
    """(2)(D): "Statewide foster care maintenance costs shall be rebased every three (3) years." Costs of base
    year Y serve the rates of years Y to Y+2; rates for year Y+3 or later are due for rebasing (flagged True)."""
    if rate_year < base_year:
        raise RuleViolation(f"the base year {base_year} is after the rate year {rate_year}", REBASING)
    return rate_year - base_year >= REBASE_YEARS


@cites(FOUR_RATES, ROOM_AND_BOARD, SUPERVISION, RATE)
def maintenance_rates(reports: Iterable[CostReport], room_and_board_trend: Decimal = ROOM_AND_BOARD_TREND,
                      supervision_trend: Decimal = SUPERVISION_TREND) -> RateSchedule:
    """(2)(A), (3): the statewide room and board component from all agencies' costs and days (3)(A)2; each agency
    classified by supervision_category; the supervision component of each category from the costs and total
    days of its agencies (3)(B)2; each category's rate their sum. A category with no agency has no rate."""
    reports = list(reports)
    seen: set[str] = set()
    for report in reports:
        if report.agency in seen:
            raise RuleViolation(f"agency {report.agency!r} reports twice", FOUR_RATES)
        seen.add(report.agency)
    category_of = {r.agency: supervision_category(r.days) for r in reports}
    room_and_board = room_and_board_component(sum((r.room_and_board_costs for r in reports), Decimal(0)),
                                              sum(r.total_days for r in reports), room_and_board_trend)
    days: dict[str, int] = {}
    supervision: dict[str, Decimal] = {}
    for code in CATEGORIES:
        members = [r for r in reports if category_of[r.agency] == code]
        if members:
            days[code] = sum(r.total_days for r in members)
            supervision[code] = supervision_component(sum((r.supervision_costs for r in members), Decimal(0)),
                                                      days[code], supervision_trend)
    return RateSchedule(room_and_board=room_and_board, category_of=category_of, days=days, supervision=supervision,
                        rates={code: maintenance_rate(room_and_board, s) for code, s in supervision.items()})


def _component(costs: Decimal, days: int, trend: Decimal, paragraph: str, name: str) -> Decimal:
    if not isinstance(costs, Decimal) or not costs.is_finite() or costs < 0:
        raise RuleViolation(f"{name} costs must be a dollar amount of zero or more, not {costs}", paragraph)
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise RuleViolation(f"{name} days must be a whole number above zero, not {days!r}", paragraph)
    if not isinstance(trend, Decimal) or not trend.is_finite() or trend < 0:
        raise RuleViolation(f"the {name} trend factor must be a fraction of zero or more, not {trend}", TREND)
    return (costs * (1 + trend) / days).quantize(_CENT, rounding=ROUND_HALF_UP)
