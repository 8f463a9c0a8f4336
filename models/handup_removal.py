"""Removal for non-payment, 13 CSR 35-32.040 (4)(C): which oldest bills fall due for removal on a day, the
unpaid months as a batch lists them, and the supervisor's hold-backs. Pure."""

import re
from datetime import date, timedelta

from models.errors import RuleViolation
from models.handup import REMOVAL_DAYS
from models.rules import cites

RULE = "13 CSR 35-32.040 (4)(C)"
MONTHS_WIDTH = 200  # removal_candidate.months_unpaid
_HOLD = re.compile(r"([^:\s]+)\s*:\s*(.*)")


@cites("13 CSR 35-32.040 (4)(C)")
def removal_cutoff(as_of: date) -> date:
    """(4)(C): the latest due date of an oldest unpaid bill that makes removal due on as_of (more than sixty
    days past it): removal_due(due, as_of) exactly when due <= removal_cutoff(as_of)."""
    return as_of - timedelta(days=REMOVAL_DAYS + 1)


@cites("13 CSR 35-32.040 (4)(C)")
def months_label(months: list[date]) -> str:
    """The unpaid coverage months, "2026-01, 2026-02"; a list too long for the record becomes a range."""
    names = [m.strftime("%Y-%m") for m in sorted(set(months))]
    label = ", ".join(names)
    if len(label) <= MONTHS_WIDTH:
        return label
    return f"{names[0]} to {names[-1]}, {len(names)} months"


@cites("13 CSR 35-32.040 (4)(C)")
def parse_holds(text: str, candidate_ids: list[str] | set[str]) -> dict[str, str]:
    """The participants the supervisor holds back from removal, one line each, "HU-123: reason". Every
    problem is named: a line that is not "ID: reason", an ID not in the batch, a missing reason, an ID twice."""
    known, holds, problems = set(candidate_ids), {}, []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _HOLD.fullmatch(line.strip())
        if match is None:
            problems.append(f"line {n} is not 'participant ID: reason'")
            continue
        pid, reason = match[1], match[2].strip()
        if pid not in known:
            problems.append(f"line {n}: {pid} is not a candidate in this batch")
        elif not reason:
            problems.append(f"line {n}: no reason given for holding back {pid}")
        elif pid in holds:
            problems.append(f"line {n}: {pid} is held back twice")
        else:
            holds[pid] = reason
    if problems:
        raise RuleViolation("; ".join(problems), RULE)
    return holds


@cites("13 CSR 35-32.040 (4)(C)", "13 CSR 35-32.040 (5)")
def check_decided_on(decided_on: date, proposed_on: date) -> None:
    """The removal takes effect, and the notice of adverse action is issued, on the day of the decision: not
    before the day the batch was proposed."""
    if decided_on < proposed_on:
        raise RuleViolation(f"the decision date {decided_on.isoformat()} is before the batch was proposed "
                            f"({proposed_on.isoformat()})", RULE)
