"""Practice improvement plans, 13 CSR 35-32.020 (15)-(16)."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.calendar import add_calendar_days
from models.errors import RuleViolation
from models.rules import cites

DEFAULT_DAYS = 90
RULE = "13 CSR 35-32.020 (16)"


class PlanStatus(StrEnum):
    proposed = "proposed"
    not_required = "not_required"
    required = "required"
    active = "active"
    verified = "verified"
    breached = "breached"
    remedied = "remedied"
    withdrawn = "withdrawn"


class Remedy(StrEnum):
    terminate = "terminate the contract"
    reduce_caseload = "reduce the contractor's caseload"
    other = "another remedy, in writing"


@dataclass(frozen=True)
class Responsible:
    name: str
    role: str


@cites("13 CSR 35-32.020 (16)")
def plan_deadline(effective: date, days: int = DEFAULT_DAYS) -> date:
    """(16): act within ninety calendar days, or the number of days the plan specifies."""
    if days < 1:
        raise RuleViolation("the plan's timeframe must be at least one day", f"{RULE}(D)")
    return add_calendar_days(effective, days)


@cites("13 CSR 35-32.020 (16)(C)")
def parse_responsible(text: str) -> list[Responsible]:
    """(16)(C): one individual per line, "name, role"; at least one."""
    people, problems = [], []
    for n, line in enumerate((raw.strip() for raw in text.splitlines()), start=1):
        if not line:
            continue
        name, _, role = (part.strip() for part in line.partition(","))
        if not name or not role:
            problems.append(f"line {n} needs a name and a role separated by a comma")
        else:
            people.append(Responsible(name, role))
    if problems or not people:
        raise RuleViolation("; ".join(problems) or "name at least one individual responsible, with a role",
                            f"{RULE}(C)")
    return people


@cites("13 CSR 35-32.020 (16)(A)",
       "13 CSR 35-32.020 (16)(B)",
       "13 CSR 35-32.020 (16)(C)",
       "13 CSR 35-32.020 (16)(D)")
def check_plan(*, reasons: str, steps: str, responsible: str, days: int) -> None:
    """(16)(A)-(D): the written plan addresses all four elements."""
    for text, element, what in ((reasons, "A", "why the outcome was not achieved"),
                                (steps, "B", "the steps to meet the outcome")):
        if not text.strip():
            raise RuleViolation(f"the plan must state {what}", f"{RULE}({element})")
    parse_responsible(responsible)
    if days < 1:
        raise RuleViolation("the plan's timeframe must be at least one day", f"{RULE}(D)")


@cites("13 CSR 35-32.020 (16)")
def reminder_due(deadline: date, as_of: date, offsets: tuple[int, ...]) -> int | None:
    """The reminder owed on as_of: the smallest offset (days before the deadline) already reached."""
    days_left = (deadline - as_of).days
    reached = [o for o in offsets if 0 <= days_left <= o]
    return min(reached) if reached else None
