"""The outcomes of a contract year, 13 CSR 35-32.020 (13)(A)-(D): permanency, safety, no re-entry and the
monitored measures, in one pass over the children referred to the contractor and the events of their cases.
Pure: the year, the targets and the case data are arguments. Definitions (each Measure also carries its own):

- The contract year runs from year_start (the first day of a month) to year_end, both days included, and is at
  most twelve months; its months are calendar months, month 1 being the month of year_start.
- A child is in care from the referral until an exit, and again from a re-entry until the next exit. A re-entry
  while the child is in care (no exit before it in the data) changes nothing; a second exit without a re-entry
  between, or an exit before the referral, is refused.
- Served ("in the care of the contractor" during the year): in care on at least one day of the year. A child
  referred on year_end, or who exits on year_start, is served; one who exits the day before year_start is not.
- Twelve months after a day end on the same date a year later (February 29: February 28), that day included,
  so a re-entry 365 days after an exit in a common year is within twelve months and one 366 days after is not.
- Care days: the days of the year from the referral or re-entry up to the day before the exit (the exit day is
  not a care day); an event counts in the year when its date falls in the year.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["EXIT_TYPES", "PERPETRATORS", "EVENT_KINDS", "FUNDING", "Child", "Event", "Targets", "Measure",
           "Outcomes", "is_permanency", "twelve_months_after", "reentered_within_twelve_months", "compute_outcomes",
           "missed_outcomes"]

RULE = "13 CSR 35-32.020 (13)"
PERMANENCY, SAFETY, REENTRY, MONITORED = (f"{RULE}({letter})" for letter in "ABCD")
EXIT_TYPES = ("reunification", "adoption", "guardianship", "other")
PERMANENT_EXITS = frozenset(EXIT_TYPES[:3])
PERPETRATORS = ("out_of_home_provider", "parent", "other")
EVENT_KINDS = ("exit", "reentry", "report", "placement_change", "residential_days", "resource_home")
FUNDING = ("ive", "hdn")
OLDER_YOUTH_AGE = 14
_EXIT, _REENTRY = 0, 1  # an exit and a re-entry on the same day: the exit first
_CENT = Decimal("0.01")

_MEASURES = {  # name: (label, paragraph, definition)
    "permanency": ("Permanency within 12 months", PERMANENCY,
                   "Served children whose exit to permanency (reunification with a parent or guardian, a finalized "
                   "adoption, a legal guardianship) falls in the contract year, over the children served."),
    "safety": ("No abuse or neglect by the out-of-home provider", SAFETY,
               "Served children with no substantiated abuse/neglect report naming the out-of-home care provider "
               "as perpetrator dated in the year, over the children served."),
    "no_reentry": ("No re-entry within 12 months", REENTRY,
                   "Children who exited (any exit) during the year or the 12 months before it and did not re-enter "
                   "within 12 months of an exit (re-entries known up to the end of the year), over those children."),
    "placement_settings": ("Placement settings per child served", MONITORED,
                           "1 + placement changes in the year, for each child served, averaged over them."),
    "residential_days": ("Residential days per 1,000 care days", MONITORED,
                         "Residential days in the year of the children served, per 1,000 of their care days."),
    "older_youth_permanency": ("Permanency of youth 14 or older", MONITORED,
                               "Served youth 14 or older on the first day of the year who exited to permanency "
                               "in the year, over those youth."),
    "resource_homes": ("Resource homes developed", MONITORED,
                       "Distinct resource homes the contractor developed in the year (a count)."),
}


@dataclass(frozen=True)
class Child:
    child_id: str
    referred_on: date
    birth_date: date
    funding: str  # ive (Title IV-E) or hdn (100% state)


@dataclass(frozen=True)
class Event:
    child_id: str | None  # None for a resource home
    kind: str  # one of EVENT_KINDS
    on: date
    detail: str = ""  # the exit type, the perpetrator type, or the resource home's ID
    days: int = 0  # residential days in the month that starts on `on`


@dataclass(frozen=True)
class Targets:
    """The contract's targets for (13)(A)-(C), in percent."""

    permanency: Decimal
    safety: Decimal
    reentry: Decimal


@dataclass(frozen=True)
class Measure:
    """One measure. `percent` is the figure shown: a percentage for (13)(A)-(C) and the older youth, the
    average for placement settings, days per 1,000 care days for residential care; None when the denominator
    is 0, and for the resource homes (a count: the numerator, denominator None). Rounded half-up to 2 decimals.
    met: percent >= target; None without a target or a percent."""

    name: str
    label: str
    paragraph: str
    numerator: int
    denominator: int | None
    percent: Decimal | None
    target: Decimal | None
    met: bool | None
    definition: str


@dataclass(frozen=True)
class Outcomes:
    year_start: date
    year_end: date
    served: int
    permanency: Measure
    safety: Measure
    no_reentry: Measure
    monitored: tuple[Measure, ...]
    permanency_by_month: tuple[int, ...]  # 12 counts of the permanency numerator, month 1 = year_start's month


@cites(PERMANENCY)
def is_permanency(exit_type: str) -> bool:
    """(13)(A): permanency is reunification with the child's parent(s) or guardian(s), a finalized adoption, or
    a legal guardianship; an `other` exit is not permanency. An unknown exit type is refused."""
    if exit_type not in EXIT_TYPES:
        raise RuleViolation(f"unknown exit type {exit_type!r}; expected one of {', '.join(EXIT_TYPES)}",
                            PERMANENCY)
    return exit_type in PERMANENT_EXITS


@cites(REENTRY)
def twelve_months_after(day: date) -> date:
    """(13)(C): the last day of the twelve months after `day`, the same date a year later (Feb 29: Feb 28)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


@cites(REENTRY)
def reentered_within_twelve_months(exited_on: date, reentered_on: date) -> bool:
    """(13)(C): a re-entry within twelve months of the previous exit, from the exit day to its anniversary."""
    return exited_on <= reentered_on <= twelve_months_after(exited_on)


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(_CENT, rounding=ROUND_HALF_UP)


def _measure(name: str, numerator: int, denominator: int | None, target: Decimal | None = None,
             value: Decimal | None = None) -> Measure:
    label, paragraph, definition = _MEASURES[name]
    if value is None and denominator is not None:
        value = _percent(numerator, denominator)
    met = None if target is None or value is None else value >= target
    return Measure(name, label, paragraph, numerator, denominator, value, target, met, definition)


def _check(year_start: date, year_end: date, targets: Targets) -> None:
    if year_end < year_start:
        raise RuleViolation(f"dates out of order: the year ends {year_end} before it starts {year_start}", RULE)
    if year_start.day != 1:
        raise RuleViolation(f"a contract year starts on the first day of a month, not {year_start}", RULE)
    if year_end >= twelve_months_after(year_start):
        raise RuleViolation(f"a contract year is at most twelve months: {year_start} to {year_end}", RULE)
    for name, paragraph in (("permanency", PERMANENCY), ("safety", SAFETY), ("reentry", REENTRY)):
        target = getattr(targets, name)
        if isinstance(target, bool) or not isinstance(target, (Decimal, int)) or not 0 <= target <= 100:
            raise RuleViolation(f"the {name} target must be a percentage from 0 to 100, not {target!r}", paragraph)


def _children(children: Iterable[Child]) -> dict[str, Child]:
    kids: dict[str, Child] = {}
    for child in children:
        if child.child_id in kids:
            raise RuleViolation(f"child {child.child_id} is referred twice", RULE)
        if child.funding not in FUNDING:
            raise RuleViolation(f"child {child.child_id}: unknown funding {child.funding!r} (ive or hdn)", RULE)
        if child.birth_date > child.referred_on:
            raise RuleViolation(f"dates out of order: child {child.child_id} is referred on {child.referred_on}, "
                                f"before its birth on {child.birth_date}", RULE)
        kids[child.child_id] = child
    return kids


@cites(RULE, PERMANENCY, SAFETY, REENTRY, MONITORED)
def compute_outcomes(children: Iterable[Child], events: Iterable[Event], year_start: date, year_end: date,
                     targets: Targets) -> Outcomes:
    """(13)(A)-(D) for the contract year year_start..year_end, with the definitions of the module docstring and
    of each Measure. One pass over the events, then one over the children: O(children + events)."""
    _check(year_start, year_end, targets)
    kids = _children(children)
    ys, ye = year_start, year_end
    moves: dict[str, list[tuple[date, int, str]]] = {}  # exits and re-entries
    provider_reports: set[str] = set()
    changes: dict[str, int] = {}
    residential: dict[str, int] = {}
    homes: set[str] = set()
    for event in events:
        kind, on, cid = event.kind, event.on, event.child_id
        if kind not in EVENT_KINDS:
            raise RuleViolation(f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}", RULE)
        if kind == "resource_home":
            if not event.detail:
                raise RuleViolation(f"a resource home developed on {on} has no home ID", MONITORED)
            if ys <= on <= ye:
                homes.add(event.detail)
            continue
        child = kids.get(cid)
        if child is None:
            raise RuleViolation(f"a {kind} event on {on} for child {cid}, who was never referred", RULE)
        if kind == "exit":
            is_permanency(event.detail)
            if on < child.referred_on:
                raise RuleViolation(f"dates out of order: child {cid} exits on {on}, before its referral on "
                                    f"{child.referred_on}", PERMANENCY)
            moves.setdefault(cid, []).append((on, _EXIT, event.detail))
        elif kind == "reentry":
            moves.setdefault(cid, []).append((on, _REENTRY, ""))
        elif kind == "report":
            if event.detail not in PERPETRATORS:
                raise RuleViolation(f"unknown perpetrator type {event.detail!r} in a report on child {cid}; "
                                    f"expected one of {', '.join(PERPETRATORS)}", SAFETY)
            if event.detail == "out_of_home_provider" and ys <= on <= ye:
                provider_reports.add(cid)
        elif kind == "placement_change":
            if ys <= on <= ye:
                changes[cid] = changes.get(cid, 0) + 1
        else:  # residential_days
            if event.days < 0:
                raise RuleViolation(f"child {cid}: residential days cannot be negative ({event.days})", MONITORED)
            if ys <= on <= ye:
                residential[cid] = residential.get(cid, 0) + event.days

    window_start = ys.replace(year=ys.year - 1)  # ys is the first of a month: never February 29
    after_end = ye + timedelta(days=1)
    served = permanent = safe = settings = care_days = res_days = older = older_permanent = cohort = stayed_out = 0
    by_month = [0] * 12
    for cid, child in kids.items():
        start: date | None = child.referred_on  # in care since; None while out of care
        last_exit: date | None = None
        in_year, exited_in_window, reentered, days = False, False, False, 0
        first_permanency: date | None = None
        for on, move, exit_type in sorted(moves.get(cid, ())):
            if move == _EXIT:
                if start is None:
                    raise RuleViolation(f"child {cid} exits on {on} without a re-entry after its exit on "
                                        f"{last_exit}", REENTRY)
                if start <= ye and on >= ys:
                    in_year = True
                    days += (min(on, after_end) - max(start, ys)).days
                    if first_permanency is None and on <= ye and exit_type in PERMANENT_EXITS:
                        first_permanency = on
                exited_in_window = exited_in_window or window_start <= on <= ye
                start, last_exit = None, on
            elif start is None:
                start = on
                if (last_exit is not None and window_start <= last_exit and on <= ye
                        and reentered_within_twelve_months(last_exit, on)):
                    reentered = True
        if start is not None and start <= ye:
            in_year = True
            days += (after_end - max(start, ys)).days
        if exited_in_window:
            cohort += 1
            stayed_out += not reentered
        if not in_year:
            continue
        served += 1
        care_days += days
        settings += 1 + changes.get(cid, 0)
        res_days += residential.get(cid, 0)
        safe += cid not in provider_reports
        youth = (ys.year - child.birth_date.year
                 - ((ys.month, ys.day) < (child.birth_date.month, child.birth_date.day))) >= OLDER_YOUTH_AGE
        older += youth
        if first_permanency is not None:
            permanent += 1
            older_permanent += youth
            by_month[(first_permanency.year - ys.year) * 12 + first_permanency.month - ys.month] += 1

    average = (Decimal(settings) / served).quantize(_CENT, rounding=ROUND_HALF_UP) if served else None
    per_thousand = ((Decimal(res_days) * 1000 / care_days).quantize(_CENT, rounding=ROUND_HALF_UP)
                    if care_days else None)
    monitored = (_measure("placement_settings", settings, served, value=average),
                 _measure("residential_days", res_days, care_days, value=per_thousand),
                 _measure("older_youth_permanency", older_permanent, older),
                 _measure("resource_homes", len(homes), None))
    return Outcomes(ys, ye, served, _measure("permanency", permanent, served, targets.permanency),
                    _measure("safety", safe, served, targets.safety),
                    _measure("no_reentry", stayed_out, cohort, targets.reentry), monitored, tuple(by_month))


@cites("13 CSR 35-32.020 (15)", "13 CSR 35-32.020 (16)")
def missed_outcomes(outcomes: Outcomes) -> list[str]:
    """(15)-(16): the labels of the outcomes of (13)(A)-(C) not met, in that order; an outcome with no children
    to measure (no percent) is not missed."""
    return [m.label for m in (outcomes.permanency, outcomes.safety, outcomes.no_reentry) if m.met is False]
