"""Deliver queued email notices over SMTP, each exactly once (DESIGN.md §7).

DeliveryError
 ├── TransientDeliveryError   SMTP 4xx, refused or dropped connection, timeout: retried with backoff
 └── PermanentDeliveryError   SMTP 5xx: the notice goes to the failed (dead-letter) state
"""

import hashlib
import smtplib
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import or_, update
from sqlmodel import select

from models.settings import Settings
from models.tables import Channel, Notice, NoticeStatus
from tasks.context import settings, transaction


class DeliveryError(Exception):
    """Base of delivery failures."""


class TransientDeliveryError(DeliveryError):
    """Worth retrying later."""


class PermanentDeliveryError(DeliveryError):
    """Retrying will not help; staff must fix the cause."""


def build_email(notice: Notice, cfg: Settings) -> EmailMessage:
    """RFC 5322 message with a plain-text body and an HTML alternative; Message-ID from the idempotency key."""
    msg = EmailMessage()
    msg["From"] = cfg.smtp_from
    msg["To"] = notice.address
    msg["Subject"] = notice.subject_line
    msg["Date"] = formatdate(localtime=False)
    digest = hashlib.sha256(notice.idempotency_key.encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{digest}@cwa.notices>"
    msg["X-Notice-Key"] = notice.idempotency_key
    msg.set_content(notice.body_text)
    msg.add_alternative(notice.body_html, subtype="html")
    return msg


def send_email(msg: EmailMessage, cfg: Settings) -> None:
    """Hand one message to the SMTP server; classify failures as transient or permanent."""
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout) as smtp:
            smtp.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        kind = PermanentDeliveryError if exc.smtp_code >= 500 else TransientDeliveryError
        raise kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        kind = PermanentDeliveryError if any(code >= 500 for code, _ in exc.recipients.values()) else TransientDeliveryError
        raise kind(f"recipient refused: {list(exc.recipients.values())}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TransientDeliveryError(f"{type(exc).__name__}: {exc}") from exc


def _claim(notice_id: int) -> bool:
    """Move one queued notice to 'sending'; False if another worker has it already."""
    with transaction() as session:
        result = session.exec(
            update(Notice)
            .where(Notice.id == notice_id, Notice.status == NoticeStatus.queued)
            .values(status=NoticeStatus.sending, attempts=Notice.attempts + 1)
        )
        return result.rowcount == 1


def _settle(notice_id: int, error: DeliveryError | None, cfg: Settings) -> str:
    now = datetime.now(timezone.utc)
    with transaction() as session:
        notice = session.get(Notice, notice_id)
        if error is None:
            notice.status, notice.sent_at, notice.last_error = NoticeStatus.sent, now, None
        elif isinstance(error, PermanentDeliveryError) or notice.attempts >= cfg.delivery_max_attempts:
            notice.status, notice.last_error = NoticeStatus.failed, str(error)
        else:
            notice.status, notice.last_error = NoticeStatus.queued, str(error)
            delay = cfg.delivery_backoff_seconds * 2 ** (notice.attempts - 1)
            notice.next_attempt_at = now + timedelta(seconds=delay)
        session.add(notice)
        return notice.status


def deliver_due_emails(limit: int = 1000) -> dict[str, int]:
    """Send every queued email whose retry time has come; returns counts by outcome."""
    cfg = settings()
    now = datetime.now(timezone.utc)
    with transaction() as session:
        ids = session.exec(
            select(Notice.id)
            .where(Notice.status == NoticeStatus.queued, Notice.channel == Channel.email)
            .where(or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now))
            .order_by(Notice.id)
            .limit(limit)
        ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for notice_id in ids:
        if not _claim(notice_id):
            continue
        error = None
        try:
            with transaction() as session:
                msg = build_email(session.get(Notice, notice_id), cfg)
            send_email(msg, cfg)
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # never leave a claimed notice in 'sending'
            error = TransientDeliveryError(f"{type(exc).__name__}: {exc}")
        status = _settle(notice_id, error, cfg)
        counts["sent" if status == NoticeStatus.sent else "failed" if status == NoticeStatus.failed else "retry"] += 1
    return counts


@task(name="deliver-notices", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def deliver_notices() -> dict[str, int]:
    """Deliver the outbox now (also run by the daily sweep)."""
    counts = deliver_due_emails()
    get_run_logger().info("notices delivered: %s", counts)
    return counts
