"""The outbox (docs/architecture.md, "The outbox"): a notice is a row written in the caller's transaction, with
the decision that caused it, under a unique idempotency key; delivery reads it later."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from models.address import PostalAddress, validate_address
from models.notice_types import EMAIL, NOTICE_TYPES
from models.tables import Channel, Contractor, Notice
from tasks.notices.render import render_notice


def queue_notice(
    session: Session,
    *,
    notice_type: str,
    key: str,
    recipient_type: str,
    recipient_id: str,
    address: str,
    subject_type: str,
    subject_id: str,
    context: dict[str, Any],
    channel: str = "email",
    postal_address: dict | None = None,
) -> Notice | None:
    """Add an outbox row to the caller's transaction; None if this idempotency key was queued before."""
    pending = session.info.setdefault("queued_notice_keys", set())
    with session.no_autoflush:  # one flush per transaction, not one per notice
        if key in pending or session.exec(select(Notice.id).where(Notice.idempotency_key == key)).first():
            return None
    pending.add(key)
    rendered = render_notice(notice_type, context)
    kind = NOTICE_TYPES[notice_type]
    notice = Notice(
        notice_type=notice_type,
        recipient_type=recipient_type,
        recipient_id=recipient_id,
        address=address,
        subject_type=subject_type,
        subject_id=subject_id,
        template=notice_type,
        template_version=kind.version,
        subject_line=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        content_hash=rendered.content_hash,
        channel=channel,
        idempotency_key=key,
        postal_address=postal_address,
        letter_body=rendered.body,
    )
    session.add(notice)
    return notice


@dataclass(frozen=True)
class Recipient:
    """Who a notice goes to: IDs, the email address if any, the postal address if any."""

    type: str
    id: str
    name: str
    email: str | None
    email_opt_in: bool
    postal: dict | None


def notify(session: Session, *, notice_type: str, key: str, recipient: Recipient, subject_type: str,
           subject_id: str, context: dict[str, Any]) -> list[Notice]:
    """Queue a notice by its channel policy (docs/architecture.md, "Notices"): a type that goes by first-class mail is
    always a letter, with an email copy only for a recipient who opted in; a staff notice is email."""
    kind = NOTICE_TYPES[notice_type]
    common = dict(notice_type=notice_type, recipient_type=recipient.type, recipient_id=recipient.id,
                  subject_type=subject_type, subject_id=subject_id,
                  context={"recipient_name": recipient.name, **context})
    if kind.delivery == EMAIL:
        rows = [queue_notice(session, key=key, address=recipient.email or "", **common)]
    else:
        postal = validate_address(recipient.postal or {}).model_dump()
        lines = PostalAddress(**postal).lines()
        rows = [queue_notice(session, key=f"{key}:mail", address=" / ".join(lines), channel=Channel.mail,
                             postal_address=postal, **common)]
        if recipient.email and recipient.email_opt_in:
            rows.append(queue_notice(session, key=f"{key}:email", address=recipient.email,
                                     postal_address=postal, **common))
    return [row for row in rows if row is not None]


def contractor_recipient(contractor: Contractor) -> Recipient:
    """A contractor: its postal address for letters, its email for copies if it opted in."""
    return Recipient(
        type="contractor", id=contractor.id, name=contractor.name, email=contractor.email,
        email_opt_in=contractor.email_opt_in,
        postal={"name": contractor.name, "line1": contractor.address_line1, "line2": contractor.address_line2,
                "city": contractor.city, "state": contractor.state, "zip_code": contractor.zip_code},
    )
