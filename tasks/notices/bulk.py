"""Queue many notices at once (docs/architecture.md, "The outbox" and "Notices"): the rows `outbox.notify` would
write, with its channel policy and keys, but one idempotency lookup per call, one render per notice and recipient
(a letter and its email copy share it) and one bulk INSERT. For set-based steps such as the monthly premium
billing; a single decision keeps using `notify`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from models.address import validate_address
from models.notice_types import EMAIL, NOTICE_TYPES
from models.tables import Channel, Notice, NoticeStatus
from models.tables.core import utcnow
from tasks.notices.outbox import Recipient
from tasks.notices.render import render_notice

LOOKUP_CHUNK = 2000  # keys per IN (...) of the idempotency lookup: well under SQLite's and PostgreSQL's limits


@dataclass(frozen=True)
class Outgoing:
    """One notice to one recipient, as `notify` takes it; mail_by is the day its letter must reach the mail."""

    notice_type: str
    key: str
    recipient: Recipient
    subject_type: str
    subject_id: str
    context: dict[str, Any]
    mail_by: date | None = None
    address: tuple[dict, str] | None = None  # letter_address(recipient), if the caller has checked it already


def letter_address(recipient: Recipient) -> tuple[dict, str]:
    """The validated postal address (as stored on the row) and its printed lines joined by ' / ', as `notify`
    writes them; AddressError names every bad field."""
    address = validate_address(recipient.postal or {})
    return address.model_dump(), " / ".join(address.lines())


def _channels(item: Outgoing) -> list[tuple[str, str, str, dict | None]]:
    """(key, channel, address, postal address) of each row the channel policy asks for."""
    recipient = item.recipient
    if NOTICE_TYPES[item.notice_type].delivery == EMAIL:
        return [(item.key, Channel.email, recipient.email or "", None)]
    postal, lines = item.address or letter_address(recipient)
    rows = [(f"{item.key}:mail", Channel.mail, lines, postal)]
    if recipient.email and recipient.email_opt_in:
        rows.append((f"{item.key}:email", Channel.email, recipient.email, postal))
    return rows


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """The keys already queued, in this transaction or before: one query per LOOKUP_CHUNK keys."""
    found = set(session.info.get("queued_notice_keys", ()))
    found &= set(keys)
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = list(keys[start:start + LOOKUP_CHUNK])
        found.update(session.exec(select(Notice.idempotency_key).where(Notice.idempotency_key.in_(chunk))).all())
    return found


def queue_notices(session: Session, items: Sequence[Outgoing]) -> list[dict]:
    """Add the outbox rows of every item to the caller's transaction, skipping keys queued before; returns the
    rows inserted. Raises AddressError or MissingNoticeFields before inserting anything, as `notify` would."""
    planned = [(item, _channels(item)) for item in items]
    seen = existing_keys(session, [key for _, rows in planned for key, *_ in rows])
    now, values = utcnow(), []
    for item, rows in planned:
        fresh = [row for row in rows if row[0] not in seen]
        if not fresh:
            continue
        seen.update(key for key, *_ in fresh)
        rendered = render_notice(item.notice_type, {"recipient_name": item.recipient.name, **item.context})
        kind = NOTICE_TYPES[item.notice_type]
        for key, channel, address, postal in fresh:
            values.append({
                "notice_type": item.notice_type, "recipient_type": item.recipient.type,
                "recipient_id": item.recipient.id, "address": address, "subject_type": item.subject_type,
                "subject_id": item.subject_id, "template": item.notice_type, "template_version": kind.version,
                "subject_line": rendered.subject, "body_text": rendered.text, "body_html": rendered.html,
                "content_hash": rendered.content_hash, "channel": channel, "idempotency_key": key,
                "status": NoticeStatus.queued, "attempts": 0, "created_at": now, "postal_address": postal,
                "letter_body": rendered.body, "mail_by": item.mail_by if channel == Channel.mail else None,
            })
    if values:
        session.connection().execute(insert(Notice.__table__), values)  # Core: one executemany, NULLs kept
        session.info.setdefault("queued_notice_keys", set()).update(v["idempotency_key"] for v in values)
    return values
