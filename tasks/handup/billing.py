"""Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B), set-based (docs/architecture.md, "Sweeps").

Each batch selects enrolled participants not yet billed for the month (an anti-join on premium_bill) in order of
ID after a keyset cursor, and in one transaction inserts their bills in bulk, applies any carried credit, queues
the premium notices in bulk (a letter; an email copy to those who opted in) and adds one audit row. Running it
again for the same month finds nobody left to bill: it changes nothing and sends nothing twice.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import bindparam, exists, func, insert
from sqlmodel import Session, select

from models.address import AddressError
from models.handup import BillingDates, ParticipantStatus, billing_dates, check_billing_time
from models.handup_reference import CENT
from models.tables import AuditEvent, Notice, Participant, PremiumBill
from models.tables.core import utcnow
from tasks.context import current_flow_run_id, settings, transaction
from tasks.handup.common import RULE, SUBJECT, dollars, participant_recipient
from tasks.notices.bulk import Outgoing, letter_address, queue_notices
from tasks.shared_runs import held_elsewhere

NOTICE = "handup-premium"
ZERO = Decimal("0.00")
COLUMNS = (Participant.id, Participant.name, Participant.address_line1, Participant.address_line2, Participant.city,
           Participant.state, Participant.zip_code, Participant.email, Participant.email_opt_in, Participant.premium,
           Participant.credit)


@dataclass(frozen=True)
class BatchResult:
    """What one batch did, in counts; last_id is the keyset cursor (None: nobody was left to bill)."""

    selected: int
    bills: int
    notices: int
    credit_applied: int
    address_errors: int
    last_id: str | None


def _unbilled(coverage_month: date):
    """Enrolled participants whose billing has started by this month and who have no bill for it yet."""
    billed = exists().where(PremiumBill.participant_id == Participant.id,
                            PremiumBill.coverage_month == coverage_month)
    return (Participant.status == ParticipantStatus.enrolled, Participant.first_month <= coverage_month,
            Participant.premium.is_not(None), ~billed)


def select_unbilled(session: Session, coverage_month: date, after_id: str, limit: int) -> list:
    """The next `limit` participants to bill after `after_id`, in order of ID; locked on PostgreSQL so that a
    payment recorded meanwhile cannot be lost when the credit is applied, skipping those another run holds
    (tasks/shared_runs.py)."""
    query = (select(*COLUMNS).where(*_unbilled(coverage_month), Participant.id > after_id)
             .order_by(Participant.id).limit(limit).with_for_update(of=Participant, skip_locked=True))
    return list(session.exec(query).all())


def billed_meanwhile(session: Session, coverage_month: date, participants: list) -> set[str]:
    """Those of `participants` a run billed between the selecting statement's snapshot and its locks (another
    run's batch committed in between), seen by a statement that starts after the locks."""
    return set(session.exec(select(PremiumBill.participant_id).where(
        PremiumBill.coverage_month == coverage_month,
        PremiumBill.participant_id.in_([p.id for p in participants]))).all())


@task(name="check-unbilled-held-elsewhere", cache_policy=NO_CACHE)
def unbilled_elsewhere(coverage_month: date) -> int:
    """Participants still to bill for the month that another run holds in a batch (0: none is in progress)."""
    with transaction() as session:
        return held_elsewhere(session, select(Participant.id).where(*_unbilled(coverage_month.replace(day=1))))


@task(name="count-unbilled-participants", cache_policy=NO_CACHE)
def count_unbilled(coverage_month: date) -> int:
    """How many participants are still to be billed for the month (for the progress artifact)."""
    with transaction() as session:
        return session.exec(select(func.count()).select_from(Participant)
                            .where(*_unbilled(coverage_month.replace(day=1)))).one()


def bill_rows(participants: list, dates: BillingDates, as_of: date,
              addresses: dict[str, tuple[dict, str]] | None = None) -> tuple[list[dict], list[dict], list[Outgoing]]:
    """The bills, the credit taken from each participant, and the premium notices of a batch (no I/O);
    addresses: the postal addresses already checked, by participant ID."""
    cfg = settings()
    bills, credits, notices = [], [], []
    month_name = dates.coverage_month.strftime("%B %Y")
    key_month = dates.coverage_month.strftime("%Y-%m")
    for p in participants:
        amount = Decimal(p.premium).quantize(CENT)
        applied = min(max(Decimal(p.credit or 0).quantize(CENT), ZERO), amount)
        bills.append({"participant_id": p.id, "coverage_month": dates.coverage_month, "due_on": dates.due_on,
                      "mail_by": dates.mail_by, "amount": amount, "paid": applied,
                      "status": "paid" if applied >= amount else "open"})
        if applied > 0:
            credits.append({"b_id": p.id, "b_applied": applied})
        notices.append(Outgoing(
            notice_type=NOTICE, key=f"{NOTICE}:{p.id}:{key_month}", recipient=participant_recipient(p),
            subject_type=SUBJECT, subject_id=p.id, mail_by=dates.mail_by, address=(addresses or {}).get(p.id),
            context={"division_name": cfg.division_name, "notice_date": as_of.isoformat(), "participant_id": p.id,
                     "reference": p.id, "coverage_month": month_name, "amount": dollars(amount),
                     "due_on": dates.due_on.isoformat(), "credit": dollars(applied),
                     "amount_to_pay": dollars(amount - applied), "how_to_pay": cfg.handup_how_to_pay}))
    return bills, credits, notices


def _mailable(participants: list) -> tuple[list, dict[str, tuple[dict, str]], list[str]]:
    """Participants whose address can take a letter with their checked addresses, and the IDs of those whose
    cannot (not billed: (4)(A) needs the letter; staff fix the address and the next run bills them)."""
    good, addresses, bad = [], {}, []
    for p in participants:
        try:
            addresses[p.id] = letter_address(participant_recipient(p))
            good.append(p)
        except AddressError:
            bad.append(p.id)
    return good, addresses, bad


_TAKE_CREDIT = (Participant.__table__.update().where(Participant.__table__.c.id == bindparam("b_id"))
                .values(credit=Participant.__table__.c.credit - bindparam("b_applied")))


def bill_participants(session: Session, participants: list, dates: BillingDates, as_of: date) -> BatchResult:
    """Bill these participants in the caller's transaction: bills, credit, notices and one audit row."""
    good, addresses, bad = _mailable(participants)
    bills, credits, notices = bill_rows(good, dates, as_of, addresses)
    if bills:
        session.connection().execute(insert(PremiumBill.__table__), bills)
    if credits:
        session.connection().execute(_TAKE_CREDIT, credits)
    queued = queue_notices(session, notices)
    session.connection().execute(insert(AuditEvent.__table__), [{
        "at": utcnow(), "actor": "handup-billing", "action": "handup.billed", "subject_type": "premium_billing",
        "subject_id": f"{dates.coverage_month:%Y-%m}", "rule": f"{RULE} (4)(A)-(B)",
        "flow_run_id": current_flow_run_id(),
        "detail": {"bills": len(bills), "notices": len(queued), "first_id": participants[0].id,
                   "last_id": participants[-1].id, "credit_applied": [c["b_id"] for c in credits],
                   "address_errors": bad}}])
    return BatchResult(len(participants), len(bills), len(queued), len(credits), len(bad), participants[-1].id)


@task(name="bill-premium-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def bill_batch(coverage_month: date, after_id: str, limit: int, as_of: date) -> BatchResult:
    """(4)(A)-(B): bill the next `limit` unbilled participants after `after_id`, all in one transaction. A retry
    selects again: what a failed attempt wrote was rolled back, what a lost success wrote is not selected."""
    dates = billing_dates(coverage_month, settings().handup_transit_days)
    with transaction() as session:
        participants = select_unbilled(session, dates.coverage_month, after_id, limit)
        if not participants:
            return BatchResult(0, 0, 0, 0, 0, None)
        last_id = participants[-1].id
        if billed := billed_meanwhile(session, dates.coverage_month, participants):
            participants = [p for p in participants if p.id not in billed]
        if not participants:
            return BatchResult(len(billed), 0, 0, 0, 0, last_id)
        return replace(bill_participants(session, participants, dates, as_of), selected=len(participants) + len(
            billed), last_id=last_id)


def bill_month(coverage_month: date, as_of: date, batch_size: int | None = None, on_batch=None) -> dict[str, int]:
    """Every batch of a month without Prefect (the CLI; the flow runs the same batches as tasks). on_batch
    (optional) is called with each BatchResult."""
    size, after, totals = batch_size or settings().handup_batch_size, "", dict.fromkeys(
        ("bills", "notices", "credit_applied", "address_errors", "batches"), 0)
    while True:
        result = bill_batch.fn(coverage_month, after, size, as_of)
        if result.last_id is None:
            return totals
        for name in ("bills", "notices", "credit_applied", "address_errors"):
            totals[name] += getattr(result, name)
        totals["batches"] += 1
        after = result.last_id
        if on_batch:
            on_batch(result)


def billing_status(coverage_month: date) -> dict[str, dict[str, int]]:
    """Counts for a month: its bills by status, its premium notices by channel and status (no personal data)."""
    month = coverage_month.replace(day=1)
    with transaction() as session:
        bill_counts = session.exec(select(PremiumBill.status, func.count()).where(
            PremiumBill.coverage_month == month).group_by(PremiumBill.status)).all()
        notice_counts = session.exec(select(Notice.channel, Notice.status, func.count()).where(
            Notice.idempotency_key.like(f"{NOTICE}:%:{month:%Y-%m}:%")).group_by(Notice.channel, Notice.status)).all()
    return {"bills": {status: n for status, n in bill_counts},
            "notices": {f"{channel} {status}": n for channel, status, n in notice_counts}}
