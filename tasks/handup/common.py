"""What every Hand-Up step shares: the participant as a notice recipient, the notice context, the step helper."""

from datetime import date

from sqlmodel import Session

from models.tables import Participant
from tasks.context import settings
from tasks.human.steps import recorded_step
from tasks.notices.outbox import Recipient, notify

SUBJECT = "handup_participant"
RULE = "13 CSR 35-32.040"


def participant_recipient(p: Participant) -> Recipient:
    """A participant: letters to the postal address; an email copy only if they opted in."""
    return Recipient(type="participant", id=p.id, name=p.name, email=p.email, email_opt_in=p.email_opt_in,
                     postal={"name": p.name, "line1": p.address_line1, "line2": p.address_line2, "city": p.city,
                             "state": p.state, "zip_code": p.zip_code})


def notify_participant(session: Session, p: Participant, notice_type: str, key: str, notice_date: date,
                       **context) -> None:
    """Queue a notice to the participant under the key `<type>:<participant>:<key>`."""
    notify(session, notice_type=notice_type, key=f"{notice_type}:{p.id}:{key}", recipient=participant_recipient(p),
           subject_type=SUBJECT, subject_id=p.id,
           context={"division_name": settings().division_name, "notice_date": notice_date.isoformat(),
                    "participant_id": p.id, "reference": p.id, **context})


def participant_step(participant_id: str, action: str, actor: str, rule: str, detail: dict | None = None):
    """Load the participant, audit the step with its paragraph, save, in one transaction."""
    return recorded_step(Participant, participant_id, what="Hand-Up participant", subject_type=SUBJECT,
                         action=action, actor=actor, rule=rule, detail=detail)


def dollars(amount) -> str:
    return f"${amount:,.2f}"
