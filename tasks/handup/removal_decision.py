"""The supervisor's decision on a removal batch, 13 CSR 35-32.040 (4)(C), (5)-(6), carried out in batches that
several runs share (tasks/shared_runs.py).

`approve_removals` records the decision once: the participants held back (with the reason), who decided and on
which day; the batch is then "approved". `record_removals` claims the undecided candidates in batches of
CWA_HANDUP_BATCH_SIZE with FOR UPDATE SKIP LOCKED and removes each one still due, cancelling the open bills and
queuing the notice of adverse action, each batch in one transaction; a candidate who paid, or left the program,
since the proposal is "withdrawn". The run that finds nothing left marks the batch "decided". A rerun changes
nothing.
"""

from collections import Counter, defaultdict
from datetime import date
from time import sleep

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import bindparam, func, update
from sqlmodel import Session, select

from models.handup import ParticipantStatus, hearing_deadline, removal_due
from models.tables import Participant, PremiumBill, RemovalBatch, RemovalCandidate
from tasks.context import settings, transaction
from tasks.handup.common import SUBJECT, notify_participant
from tasks.handup.removal import ACTION, HEARING_RIGHT, HOW_TO_ASK, RULE, chunks, unpaid
from tasks.human.audit import audit
from tasks.human.steps import get_record
from tasks.shared_runs import held_elsewhere

__all__ = ["approve_removals", "record_removals"]


_HOLD = (RemovalCandidate.__table__.update().where(RemovalCandidate.__table__.c.id == bindparam("b_id"))
         .values(decision="held", hold_reason=bindparam("b_reason")))


@task(name="approve-handup-removals", cache_policy=NO_CACHE)
def approve_removals(batch_id: str, held: dict[str, str], decided_by: str, on: date) -> bool:
    """(4)(C): the supervisor's decision on a proposed batch: those held back get their reason, the batch is
    approved by `decided_by` on `on`. False, changing nothing, if the batch was decided before."""
    with transaction() as session:
        batch = session.exec(select(RemovalBatch).where(RemovalBatch.id == batch_id).with_for_update()).first()
        if batch is None:
            get_record(session, RemovalBatch, batch_id, "removal batch")  # raises NotFound
        if batch.status != "proposed":
            return False
        holds = [{"b_id": cid, "b_reason": held[pid]} for cid, pid in session.exec(
            select(RemovalCandidate.id, RemovalCandidate.participant_id).where(
                RemovalCandidate.batch_id == batch_id)).all() if pid in held]
        if holds:  # one statement for them all: "not approved" holds back the whole batch
            session.connection().execute(_HOLD, holds)
        batch.status, batch.decided_by, batch.decided_on = "approved", decided_by, on
        session.add(batch)
        audit(session, actor=decided_by, action="handup.removal_batch.approved", subject_type="removal_batch",
              subject_id=batch_id, rule=RULE, detail={"on": on.isoformat(), "held": len(holds)})
        return True


@task(name="record-handup-removals", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def record_removals(batch_id: str, held: dict[str, str] | None = None, decided_by: str = "",
                    on: date | None = None) -> dict[str, int]:
    """(4)(C): remove every undecided candidate of an approved batch, batch by batch (approving it first when
    `held` is given); the batch is decided when none is left. Returns the count of each decision."""
    if held is not None:
        approve_removals.fn(batch_id, held, decided_by, on)
    while True:
        with transaction() as session:
            batch = get_record(session, RemovalBatch, batch_id, "removal batch")
            if batch.status != "approved":
                return _counts(session, batch_id)
            undecided = select(RemovalCandidate.id).where(RemovalCandidate.batch_id == batch_id,
                                                          RemovalCandidate.decision.is_(None))
            candidates = list(session.exec(
                select(RemovalCandidate).where(RemovalCandidate.id.in_(
                    undecided.order_by(RemovalCandidate.id).limit(settings().handup_batch_size)
                    .with_for_update(skip_locked=True).scalar_subquery()))).all())
            if candidates:
                _decide(session, candidates, batch.decided_by, batch.decided_on)
                continue
            if held_elsewhere(session, undecided):
                sleep(1)  # another run is deciding a batch: if it dies, its candidates come back to this run
                continue
        if counts := _close(batch_id):
            return counts


def _oldest_unpaid(session: Session, participant_ids: list[str]) -> dict[str, date]:
    """The due date of each participant's oldest unpaid open bill (none: nothing unpaid)."""
    return dict(session.exec(select(PremiumBill.participant_id, func.min(PremiumBill.due_on))
                             .where(PremiumBill.participant_id.in_(participant_ids), *unpaid())
                             .group_by(PremiumBill.participant_id)).all())


def _remove(session: Session, p: Participant, c: RemovalCandidate, bills: list[int], decided_by: str,
            on: date) -> None:
    """(4)(C), (6): removed for good; the open bills are cancelled; (5) the notice of adverse action."""
    p.status, p.ended_on, p.end_reason, p.adverse_action_on = ParticipantStatus.removed, on, "non-payment", on
    session.add(p)
    audit(session, actor=decided_by, action="handup.removed", subject_type=SUBJECT, subject_id=p.id, rule=RULE,
          detail={"batch_id": c.batch_id, "oldest_due": c.oldest_due.isoformat(), "days_unpaid": (
              on - c.oldest_due).days, "bills_cancelled": bills})
    notify_participant(
        session, p, "adverse-action", f"removal-{c.oldest_due.isoformat()}", on, action=ACTION,
        effective_date=on.isoformat(), rule_paragraph=RULE, hearing_right=HEARING_RIGHT, how_to_ask=HOW_TO_ASK,
        last_day_to_ask=hearing_deadline(on).isoformat(),
        reasons=(f"Your Hand-Up premiums for {c.months_unpaid} were not paid. The oldest of them was due on "
                 f"{c.oldest_due.isoformat()} and is {(on - c.oldest_due).days} days unpaid. After sixty days of "
                 "non-payment a participant is permanently removed from the program (13 CSR 35-32.040 (4)(C) "
                 "and (6))."))


def _decide(session: Session, candidates: list[RemovalCandidate], decided_by: str, on: date) -> None:
    """Remove each candidate still due; the others are withdrawn with the reason."""
    ids = [c.participant_id for c in candidates]
    people = {p.id: p for p in session.exec(select(Participant).where(Participant.id.in_(ids))).all()}
    oldest = _oldest_unpaid(session, ids)
    bills = defaultdict(list)
    for bill_id, pid in session.exec(select(PremiumBill.id, PremiumBill.participant_id).where(
            PremiumBill.participant_id.in_(ids), PremiumBill.status == "open").order_by(PremiumBill.id)).all():
        bills[pid].append(bill_id)
    cancelled = []
    for c in candidates:
        p = people[c.participant_id]
        if p.status != ParticipantStatus.enrolled:
            c.decision, c.hold_reason = "withdrawn", f"{p.status} by {on.isoformat()}, not enrolled"
        elif c.participant_id not in oldest or not removal_due(oldest[c.participant_id], on):
            c.decision, c.hold_reason = "withdrawn", f"no longer sixty days unpaid on {on.isoformat()}"
        else:
            c.decision = "removed"
            _remove(session, p, c, bills[p.id], decided_by, on)
            cancelled += bills[p.id]
        session.add(c)
    for chunk in chunks(cancelled):
        session.exec(update(PremiumBill).where(PremiumBill.id.in_(chunk)).values(status="cancelled"))


def _close(batch_id: str) -> dict[str, int] | None:
    """The batch is decided when no candidate is left undecided: once, audited; None if one is left."""
    with transaction() as session:
        batch = session.exec(select(RemovalBatch).where(RemovalBatch.id == batch_id).with_for_update()).one()
        if batch.status == "approved":
            left = session.exec(select(func.count()).select_from(RemovalCandidate).where(
                RemovalCandidate.batch_id == batch_id, RemovalCandidate.decision.is_(None))).one()
            if left:
                return None
            batch.status = "decided"
            session.add(batch)
            counts = _counts(session, batch_id)
            audit(session, actor=batch.decided_by, action="handup.removal_batch.decided",
                  subject_type="removal_batch", subject_id=batch_id, rule=RULE,
                  detail={"on": batch.decided_on.isoformat(), **counts})
            return counts
        return _counts(session, batch_id)


def _counts(session: Session, batch_id: str) -> dict[str, int]:
    found = Counter(dict(session.exec(select(RemovalCandidate.decision, func.count()).where(
        RemovalCandidate.batch_id == batch_id).group_by(RemovalCandidate.decision)).all()))
    return {d: found.get(d, 0) for d in ("removed", "held", "withdrawn")}
