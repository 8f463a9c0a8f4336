"""Opting out, 13 CSR 35-32.040 (6): at any time, confirmed by notice, and for good."""

from datetime import date

from sqlmodel import Session, update

from models.errors import NotFound, RuleViolation
from models.handup import ParticipantStatus
from models.tables import Participant, PremiumBill
from tasks.handup.common import RULE, SUBJECT, notify_participant
from tasks.human.audit import audit


def opt_out(session: Session, *, participant_id: str, on: date, actor: str) -> int:
    """Leave the program on `on`: bills for coverage months after it are cancelled; the notice confirms it.
    Returns the number of bills cancelled."""
    p = session.get(Participant, participant_id)
    if p is None:
        raise NotFound(f"no Hand-Up participant {participant_id!r}")
    if p.status != ParticipantStatus.enrolled:
        raise RuleViolation(f"participant {participant_id} is {p.status}, not enrolled", f"{RULE} (6)")
    cancelled = session.exec(update(PremiumBill).where(
        PremiumBill.participant_id == participant_id, PremiumBill.status == "open",
        PremiumBill.coverage_month > on).values(status="cancelled")).rowcount
    p.status, p.ended_on, p.end_reason = ParticipantStatus.opted_out, on, "opt-out"
    session.add(p)
    audit(session, actor=actor, action="handup.opted_out", subject_type=SUBJECT, subject_id=participant_id,
          rule=f"{RULE} (6)", detail={"bills_cancelled": cancelled})
    notify_participant(session, p, "handup-opted-out", "1", on, effective_date=on.isoformat())
    return cancelled
