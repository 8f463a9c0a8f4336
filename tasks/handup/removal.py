"""Removal for non-payment, 13 CSR 35-32.040 (4)(C): the daily sweep proposes a batch of the enrolled participants
whose oldest unpaid bill is more than sixty days past due; an eligibility supervisor approves it, holding some
back with reasons; each one removed is removed for good (6), their open bills are cancelled, and a notice of
adverse action goes by first-class mail (5). A fair hearing that reverses it calls `reinstate`.

Set-based: one query finds the candidates, and both steps write in batches of CWA_HANDUP_BATCH_SIZE. A
candidate who paid, or left the program, between the proposal and the decision is not removed ("withdrawn").
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import and_, exists, func, insert, or_, update
from sqlmodel import Session, select

from models.errors import NotFound, RuleViolation
from models.handup import ParticipantStatus, apply_payment
from models.handup_removal import months_label, removal_cutoff
from models.tables import AuditEvent, Participant, PremiumBill, RemovalBatch, RemovalCandidate
from tasks.context import settings, transaction
from tasks.handup.common import SUBJECT
from tasks.human.audit import audit
from tasks.human.steps import get_record

DEPLOYMENT = "handup-removal/handup-removal"
RULE = "13 CSR 35-32.040 (4)(C)"
ACTION = "removal from the Hand-Up Pilot Program"
HEARING_RIGHT = ("You have the right to a fair hearing on this action (13 CSR 35-32.040 (5)). The hearings "
                 "process of 13 CSR 40-2.160 applies to it.")
HOW_TO_ASK = ("Ask for a fair hearing in writing: write to the Children's Division at the address below, give "
              "your participant number and say that you ask for a hearing on this action (13 CSR 35-32.040 (5) "
              "and 13 CSR 40-2.160).")


def unpaid():
    """A bill still owed: open and not paid in full."""
    return (PremiumBill.status == "open", PremiumBill.paid < PremiumBill.amount)


def chunks(items: list, size: int | None = None):
    """The items in lists of `size` (default CWA_HANDUP_BATCH_SIZE)."""
    size = size or settings().handup_batch_size
    for start in range(0, len(items), size):
        yield items[start:start + size]


@task(name="propose-handup-removals", cache_policy=NO_CACHE)
def propose_removals(as_of: date) -> str | None:
    """(4)(C): add every enrolled participant whose oldest unpaid bill is more than sixty days past due on as_of
    to the day's batch RB-<as_of>, once per oldest bill. Returns the batch ID if it has candidates awaiting a
    decision; a second run the same day changes nothing."""
    batch_id = f"RB-{as_of.isoformat()}"
    with transaction() as session:
        batch = session.get(RemovalBatch, batch_id)
        found = _candidates(session, as_of) if batch is None or batch.status == "proposed" else []
        if found and batch is None:
            session.add(RemovalBatch(id=batch_id, as_of=as_of))
    labels: dict[tuple[date, ...], str] = {}  # months_label once per distinct list of months, not per candidate
    for chunk in chunks(found):
        with transaction() as session:
            session.connection().execute(insert(RemovalCandidate.__table__), [
                {"batch_id": batch_id, "participant_id": pid, "oldest_due": due,
                 "months_unpaid": labels.get(months) or labels.setdefault(months, months_label(list(months))),
                 "days_unpaid": (as_of - due).days} for pid, due, months in chunk])
            audit(session, actor="deadline-sweep", action="handup.removals_proposed", subject_type="removal_batch",
                  subject_id=batch_id, rule=RULE, detail={"as_of": as_of.isoformat(), "candidates": len(chunk)})
    return batch_id if _pending(batch_id) else None


def _candidates(session: Session, as_of: date) -> list[tuple[str, date, tuple[date, ...]]]:
    """One query: the participants due for removal on as_of and not yet proposed for that oldest bill (or
    waiting in a batch), by ID, each with its oldest unpaid due date and the months unpaid before as_of."""
    oldest = (select(PremiumBill.participant_id.label("pid"), func.min(PremiumBill.due_on).label("due"))
              .join(Participant, Participant.id == PremiumBill.participant_id)
              .where(Participant.status == ParticipantStatus.enrolled, *unpaid())
              .group_by(PremiumBill.participant_id).subquery())
    already = exists().where(RemovalCandidate.participant_id == oldest.c.pid,
                             or_(RemovalCandidate.oldest_due == oldest.c.due, RemovalCandidate.decision.is_(None)))
    due = select(oldest.c.pid, oldest.c.due).where(oldest.c.due <= removal_cutoff(as_of), ~already).subquery()
    rows = session.exec(  # the oldest bill is due before as_of, so every candidate has a row
        select(due.c.pid, due.c.due, PremiumBill.coverage_month)
        .join(PremiumBill, and_(PremiumBill.participant_id == due.c.pid, PremiumBill.due_on < as_of, *unpaid()))
        .order_by(due.c.pid, PremiumBill.coverage_month)).all()
    return [(pid, group[0][1], tuple(month for _, _, month in group))
            for pid, group in ((pid, list(group)) for pid, group in groupby(rows, key=itemgetter(0)))]


def _pending(batch_id: str) -> int:
    """Candidates of a batch still proposed that await the supervisor's decision."""
    with transaction() as session:
        return session.exec(select(func.count()).select_from(RemovalCandidate).join(RemovalBatch).where(
            RemovalCandidate.batch_id == batch_id, RemovalBatch.status == "proposed",
            RemovalCandidate.decision.is_(None))).one()


@dataclass(frozen=True)
class BatchFacts:
    """A removal batch: IDs and counts only."""

    id: str
    as_of: date
    status: str
    candidates: tuple[str, ...]


@task(name="load-removal-batch", cache_policy=NO_CACHE)
def load_batch(batch_id: str, flow_run_id: str | None) -> BatchFacts:
    """The batch and its participant IDs; links the batch to the run that decides it."""
    with transaction() as session:
        batch = get_record(session, RemovalBatch, batch_id, "removal batch")
        if flow_run_id and batch.flow_run_id is None:
            batch.flow_run_id = flow_run_id
            session.add(batch)
        ids = session.exec(select(RemovalCandidate.participant_id).where(RemovalCandidate.batch_id == batch_id)
                           .order_by(RemovalCandidate.participant_id)).all()
        return BatchFacts(batch.id, batch.as_of, batch.status, tuple(ids))


@task(name="list-removal-candidates", cache_policy=NO_CACHE)
def removal_rows(batch_id: str) -> list[dict]:
    """The batch's candidates for the artifact: participant ID, months unpaid, days unpaid (no names)."""
    with transaction() as session:
        return [{"participant_id": pid, "months_unpaid": months, "days_unpaid": days}
                for pid, months, days in session.exec(
                    select(RemovalCandidate.participant_id, RemovalCandidate.months_unpaid,
                           RemovalCandidate.days_unpaid).where(RemovalCandidate.batch_id == batch_id)
                    .order_by(RemovalCandidate.participant_id)).all()]


def reinstate(session: Session, participant_id: str, on: date) -> int:
    """(5): a fair hearing reversed the removal. The participant is enrolled again and the bills cancelled at
    removal are open again; credit received since (payments after removal) is applied to them, oldest first.
    In the caller's transaction; returns the number of bills restored."""
    p = session.get(Participant, participant_id)
    if p is None:
        raise NotFound(f"no Hand-Up participant {participant_id!r}")
    if p.status != ParticipantStatus.removed:
        raise RuleViolation(f"participant {participant_id} is {p.status}, not removed", "13 CSR 35-32.040 (5)")
    removal = session.exec(select(AuditEvent.detail).where(
        AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id == participant_id,
        AuditEvent.action == "handup.removed").order_by(AuditEvent.id.desc())).first()
    cancelled = select(PremiumBill.id).where(PremiumBill.participant_id == participant_id,
                                             PremiumBill.status == "cancelled")
    if removal and "bills_cancelled" in removal:
        cancelled = cancelled.where(PremiumBill.id.in_(removal["bills_cancelled"] or [-1]))
    restored = list(session.exec(cancelled).all())
    if restored:
        session.exec(update(PremiumBill).where(PremiumBill.id.in_(restored)).values(status="open"))
    applied = _apply_credit(session, p)
    p.status, p.ended_on, p.end_reason = ParticipantStatus.enrolled, None, None
    session.add(p)
    audit(session, actor="system", action="handup.reinstated", subject_type=SUBJECT, subject_id=participant_id,
          rule="13 CSR 35-32.040 (5)", detail={"on": on.isoformat(), "bills_restored": restored,
                                               "credit_applied": str(applied)})
    return len(restored)


def _apply_credit(session: Session, p: Participant) -> Decimal:
    """The participant's credit pays their open bills, oldest first (4)(B); returns the amount applied."""
    if p.credit <= 0:
        return Decimal("0.00")
    bills = list(session.exec(select(PremiumBill).where(PremiumBill.participant_id == p.id, *unpaid())
                              .order_by(PremiumBill.due_on, PremiumBill.id)).all())
    applied, left = apply_payment([(b.id, b.amount - b.paid) for b in bills], Decimal("0"), p.credit)
    parts = dict(applied)
    for b in bills:
        if b.id in parts:
            b.paid += parts[b.id]
            b.status = "paid" if b.paid >= b.amount else "open"
            session.add(b)
    spent, p.credit = p.credit - left, left
    return spent


def start_removal_run(batch_id: str, as_of: date | None = None) -> str:
    """Create a run of the removal deployment (IDs only), one per batch, never a subflow of the caller (a
    subflow cannot suspend); returns the flow run ID."""
    from prefect.deployments import run_deployment

    params = {"batch_id": batch_id} | ({"as_of": as_of.isoformat()} if as_of else {})
    return str(run_deployment(DEPLOYMENT, parameters=params, timeout=0, as_subflow=False,
                              idempotency_key=f"handup-removal-{batch_id}", _sync=True).id)


def start_removals(as_of: date) -> dict[str, int]:
    """The sweep's step: propose the day's batch and start its removal run, once per batch."""
    batch_id = propose_removals(as_of)
    if batch_id is None:
        return {"awaiting decision": 0, "runs started": 0}
    with transaction() as session:
        started = session.get(RemovalBatch, batch_id).flow_run_id
    if not started:
        run_id = start_removal_run(batch_id, as_of)
        with transaction() as session:
            batch = session.get(RemovalBatch, batch_id)
            batch.flow_run_id = batch.flow_run_id or run_id
            session.add(batch)
    return {"awaiting decision": _pending(batch_id), "runs started": 0 if started else 1}
