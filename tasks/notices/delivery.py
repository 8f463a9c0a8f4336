"""Deliver the outbox, each notice exactly once (docs/architecture.md, "The outbox"): email over SMTP; letters to
the mailroom batch of the day or to the print-and-mail service, chosen in settings."""

import asyncio
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import anyio
import httpx
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from models.address import PostalAddress
from models.errors import DomainError
from models.notice_types import LETTER, NOTICE_TYPES
from models.settings import Settings
from models.tables import Channel, Notice, NoticeStatus
from tasks.context import current_flow_run_id, settings, transaction
from tasks.human.audit import audit
from tasks.notices.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from tasks.notices.letters import Letter, letter_hash, render_letter
from tasks.notices.mailroom import add_to_batch
from tasks.notices.print_api import PrintApiConfig, get_letter, send_letter
from tasks.notices.render import contact_text, split_sections
from tasks.notices.smtp import SmtpSession, build_email, send_email


# Emails whose outcomes one transaction records. A process that stops between the SMTP server's acceptance and
# that commit leaves at most these in 'sending', for recover_stale to put before staff (never sent twice).
SETTLE_EVERY = 100


def letter_for(notice: Notice, cfg: Settings) -> Letter:
    """The printed letter of a notice, from what the outbox row holds (the same bytes every time)."""
    intro, sections = split_sections(notice.letter_body or "")
    issued = notice.created_at if notice.created_at.tzinfo else notice.created_at.replace(tzinfo=timezone.utc)
    return Letter(
        division_name=cfg.division_name,
        division_address_lines=tuple(line.strip() for line in cfg.division_address.split(";")),
        contact_lines=(f"Telephone {cfg.division_phone}", f"Email {cfg.division_email}"),
        notice_date=issued.astimezone(ZoneInfo(cfg.timezone)).date(),
        reference=f"{notice.subject_id} / {notice.notice_type}",
        recipient_lines=tuple(PostalAddress(**notice.postal_address).lines()),
        subject=notice.subject_line,
        body="\n\n".join(intro),
        sections=tuple(sections) + (("Contact", contact_text()),
                                    ("Rule", f"This notice was issued under {NOTICE_TYPES[notice.notice_type].rule}.")),
    )


def _claim(limit: int, today: date, started: datetime) -> list[Notice]:
    """Claim up to `limit` due notices, most urgent first, in one statement that moves them from 'queued' to
    'sending': WITH due AS MATERIALIZED (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ... FROM due, so that two delivery
    runs never take the same row (SQLite has one writer) and the LIMIT holds whatever the plan. A notice this run
    claimed before (claimed_at >= started) waits for the next run."""
    due = (select(Notice.id)
           .where(Notice.status == NoticeStatus.queued,
                  or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= started),
                  or_(Notice.claimed_at.is_(None), Notice.claimed_at < started))
           # most urgent first: a letter by the day it must reach the mail, any other notice as due today
           .order_by(func.coalesce(Notice.mail_by, today), Notice.id).limit(limit)
           .with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED"))
    with transaction() as session:
        ids = session.exec(
            update(Notice).where(Notice.id == due.c.id, Notice.status == NoticeStatus.queued)
            .values(status=NoticeStatus.sending, attempts=Notice.attempts + 1, claimed_at=datetime.now(timezone.utc))
            .returning(Notice.id)
        ).scalars().all()
        return list(session.exec(select(Notice).where(Notice.id.in_(ids))
                                 .order_by(func.coalesce(Notice.mail_by, today), Notice.id)).all()) if ids else []


def _settle(notice: Notice, error: DeliveryError | None, cfg: Settings) -> str:
    """Record the outcome on the notice: sent, queued again with backoff, or failed (dead letter)."""
    now = datetime.now(timezone.utc)
    if error is None:
        if notice.status == NoticeStatus.sending:
            notice.status, notice.sent_at = NoticeStatus.sent, now
        notice.last_error = None
    elif isinstance(error, PermanentDeliveryError) or notice.attempts >= cfg.delivery_max_attempts:
        notice.status, notice.last_error = NoticeStatus.failed, str(error)
    else:
        notice.status, notice.last_error = NoticeStatus.queued, str(error)
        delay = max(cfg.delivery_backoff_seconds * 2 ** (notice.attempts - 1),
                    float(getattr(error, "retry_after", None) or 0))
        notice.next_attempt_at = now + timedelta(seconds=delay)
    return notice.status


def _send_email(notice: Notice, cfg: Settings, smtp: SmtpSession) -> None:
    pdf = None
    if notice.postal_address and NOTICE_TYPES[notice.notice_type].delivery == LETTER:
        pdf = render_letter(letter_for(notice, cfg))
    send_email(build_email(notice, cfg, pdf), cfg, smtp)


def _api(cfg: Settings) -> PrintApiConfig:
    return PrintApiConfig(cfg.print_api_url, cfg.print_api_username, cfg.print_api_password, cfg.print_api_timeout)


def _send_letter(session: Session, notice: Notice, cfg: Settings, today: date) -> None:
    pdf = render_letter(letter_for(notice, cfg))
    if cfg.mail_transport == "mailroom":
        add_to_batch(session, root=Path(cfg.mailroom_dir), day=today, notice=notice, pdf=pdf)
        return
    address = PostalAddress(**notice.postal_address)
    recipient = {"name": address.name, "address_line1": address.line1, "address_line2": address.line2,
                 "address_city": address.city, "address_state": address.state, "address_zip": address.zip_code}
    with httpx.Client() as client:
        receipt = send_letter(client, _api(cfg), pdf=pdf, recipient=recipient, idempotency_key=notice.idempotency_key,
                              description=f"{notice.notice_type} {notice.subject_id}")
    notice.provider_id, notice.expected_delivery = receipt.provider_id, receipt.expected_delivery
    notice.letter_hash = letter_hash(pdf)


def deliver_due(limit: int = 1000, today: date | None = None, max_batches: int = 100) -> dict[str, int]:
    """Deliver every queued notice whose retry time has come, a batch at a time; counts by outcome."""
    cfg = settings()
    started = datetime.now(timezone.utc)
    today = today or started.astimezone(ZoneInfo(cfg.timezone)).date()
    counts = {"sent": 0, "batched": 0, "retry": 0, "failed": 0}
    with SmtpSession(cfg) as smtp:
        for _ in range(max_batches):
            claimed = _claim(limit, today, started)
            if not claimed:
                break
            statuses = [_deliver_letter(n.id, cfg, today) for n in claimed if n.channel == Channel.mail]
            statuses += _deliver_emails([n for n in claimed if n.channel != Channel.mail], cfg, smtp)
            for status in statuses:
                counts[status if status in counts else "retry"] += 1
    return counts


def _attempt(send) -> DeliveryError | None:
    """Run one delivery; return the error it met, classified, rather than raise: a claimed notice is settled."""
    try:
        send()
    except DeliveryError as exc:
        return exc
    except DomainError as exc:  # a bad address, a refused batch: staff must fix it
        return PermanentDeliveryError(str(exc))
    except Exception as exc:  # never leave a claimed notice in 'sending'
        return TransientDeliveryError(f"{type(exc).__name__}: {exc}")
    return None


def _deliver_letter(notice_id: int, cfg: Settings, today: date) -> str:
    """Deliver one claimed letter and record the outcome in the same transaction (the mailroom's files and audit
    row, or the print service's receipt, go with it)."""
    with transaction() as session:
        notice = session.get(Notice, notice_id)
        status = _settle(notice, _attempt(lambda: _send_letter(session, notice, cfg, today)), cfg)
        session.add(notice)
        return status


def _deliver_emails(notices: list[Notice], cfg: Settings, smtp: SmtpSession) -> list[str]:
    """Send claimed emails over the batch's SMTP connection and record their outcomes every SETTLE_EVERY messages
    in one transaction: the sent ones with one UPDATE, each failure as _settle says."""
    statuses = []
    for start in range(0, len(notices), SETTLE_EVERY):
        chunk = notices[start:start + SETTLE_EVERY]
        errors = [_attempt(lambda: _send_email(notice, cfg, smtp)) for notice in chunk]
        sent = [notice.id for notice, error in zip(chunk, errors) if error is None]
        with transaction() as session:
            if sent:
                session.exec(update(Notice).where(Notice.id.in_(sent), Notice.status == NoticeStatus.sending)
                             .values(status=NoticeStatus.sent, sent_at=datetime.now(timezone.utc), last_error=None))
            for notice, error in zip(chunk, errors):
                if error is not None:
                    _settle(notice, error, cfg)
                    session.add(notice)
        statuses += [NoticeStatus.sent if error is None else notice.status for notice, error in zip(chunk, errors)]
    return statuses


def recover_stale(older_than: timedelta = timedelta(minutes=15)) -> dict[str, int]:
    """Notices left in 'sending' by a process that stopped mid-delivery. A letter is queued again: its
    idempotency key (print service) or file name (mailroom) makes a second letter impossible. An email
    may have left: it goes to the dead letters for staff to check before re-queueing."""
    cutoff = datetime.now(timezone.utc) - older_than
    stale = (Notice.status == NoticeStatus.sending, Notice.claimed_at < cutoff)
    with transaction() as session:
        letters = session.exec(update(Notice).where(*stale, Notice.channel == Channel.mail)
                               .values(status=NoticeStatus.queued)).rowcount
        emails = session.exec(update(Notice).where(*stale, Notice.channel == Channel.email).values(
            status=NoticeStatus.failed,
            last_error="delivery stopped mid-send: the email may have gone; check before re-queueing")).rowcount
    return {"letters re-queued": letters, "emails to check": emails}


def refresh_letters(today: date, limit: int = 500) -> int:
    """Ask the print-and-mail service about letters it accepted; record the ones it reports delivered."""
    cfg = settings()
    if cfg.mail_transport != "print-api":
        return 0
    with transaction() as session:
        pending = session.exec(select(Notice).where(Notice.channel == Channel.mail, Notice.status == NoticeStatus.sent,
                                                    Notice.provider_id.is_not(None)).limit(limit)).all()
        delivered = 0
        with httpx.Client() as client:
            for notice in pending:
                try:
                    receipt = get_letter(client, _api(cfg), notice.provider_id)
                except DeliveryError:
                    continue  # asked again at the next sweep
                notice.expected_delivery = receipt.expected_delivery or notice.expected_delivery
                if receipt.status == "delivered":
                    notice.status, notice.delivered_on = NoticeStatus.delivered, today
                    delivered += 1
                session.add(notice)
    return delivered


def requeue_failed(actor: str, notice_ids: list[int] | None = None) -> list[int]:
    """Put dead letters back in the queue after staff fixed the cause (all of them, or these IDs)."""
    with transaction() as session:
        query = select(Notice.id).where(Notice.status == NoticeStatus.failed)
        ids = list(session.exec(query.where(Notice.id.in_(notice_ids)) if notice_ids else query).all())
        if ids:
            session.exec(update(Notice).where(Notice.id.in_(ids))
                         .values(status=NoticeStatus.queued, next_attempt_at=None, attempts=0))
            audit(session, actor=actor, action="notice.requeued", subject_type="notice", subject_id="outbox",
                  detail={"notice_ids": ids})
        return ids


@task(name="deliver-notices", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def deliver_notices() -> dict[str, int]:
    """Deliver the outbox now (also run by the daily sweep)."""
    counts = deliver_due()
    get_run_logger().info("notices delivered: %s", counts)
    return counts


@task(name="recover-stale-notices", cache_policy=NO_CACHE)
def recover_stale_notices(today: date) -> dict[str, int]:
    """Notices a stopped process left half-delivered (nothing lost, nothing sent twice), and letters
    the print-and-mail service has since delivered."""
    return recover_stale() | {"letters delivered": refresh_letters(today)}


@task(name="request-delivery", cache_policy=NO_CACHE)
def request_delivery(deployment: str) -> str | None:
    """Start a delivery run now, without waiting for it, if a notice is queued: returns its flow run ID. A Prefect
    server too busy to create it does not fail the caller: the notices stay queued for the scheduled delivery run."""
    with transaction() as session:
        if session.exec(select(Notice.id).where(Notice.status == NoticeStatus.queued).limit(1)).first() is None:
            return None
    try:
        return asyncio.run(_start_run(deployment, f"request-delivery:{current_flow_run_id() or uuid4()}"))
    except TimeoutError as exc:
        get_run_logger().warning("%s; the queued notices go with the next scheduled %s run", exc, deployment)
        return None


async def _start_run(deployment: str, key: str) -> str:
    """Not linked as a subflow (Prefect's placeholder task run is one more write). A Prefect server on SQLite that is
    busy answers 503 and the client waits 2 s before asking again: an attempt that has not succeeded within its
    time is abandoned and made again at once, under the same idempotency key, so there is never a second run."""
    from prefect.deployments.flow_runs import arun_deployment

    for patience in (0.25, 0.5, 1, 2, 4, 8, 16):
        with anyio.move_on_after(patience):
            return str((await arun_deployment(deployment, timeout=0, as_subflow=False, idempotency_key=key)).id)
    raise TimeoutError(f"Prefect did not create the {deployment} run within 32 s")
