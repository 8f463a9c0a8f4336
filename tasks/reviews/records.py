"""Database work of the hiring-exclusion review: load facts, record each step, queue its notice.

Each record_* task writes the decision, its audit row and its notice in one transaction, and does
nothing when the step is already recorded (a resumed flow re-runs from the top).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from models.exclusions import Category, Disposition, Finding, Level
from models.review import (DesigneeDecision, Recommendation, ReviewStatus, final_status, request_deadline,
                           review_available)
from models.tables import Contractor, HiringReview, Offence
from tasks.context import settings, transaction
from tasks.human.steps import get_record, recorded_step
from tasks.notices.outbox import contractor_recipient, notify

SUBJECT = "hiring_review"


@dataclass(frozen=True)
class ReviewFacts:
    """What the flow needs to decide; IDs and non-identifying facts only."""

    id: str
    contractor_id: str
    prospect_id: str
    status: str
    division_employee: bool
    release_authorization: bool
    findings: tuple[Finding, ...]
    decision_date: date | None
    recommended_by: str | None


def _review(session: Session, review_id: str) -> HiringReview:
    return get_record(session, HiringReview, review_id, "hiring review")


@task(name="load-review", cache_policy=NO_CACHE)
def load_review(review_id: str) -> ReviewFacts:
    with transaction() as session:
        r = _review(session, review_id)
        offences = session.exec(select(Offence).where(Offence.review_id == review_id)).all()
        findings = tuple(
            Finding(Category(o.category), Level(o.level), Disposition(o.disposition), o.offence_date,
                    o.disposition_date)
            for o in offences
        )
        return ReviewFacts(r.id, r.contractor_id, r.prospect_id, r.status, r.division_employee,
                           r.release_authorization, findings, r.decision_date, r.recommended_by)


def _notify(session: Session, review: HiringReview, notice_type: str, key: str, notice_date: date,
            **context) -> None:
    notify(
        session, notice_type=notice_type, key=f"{notice_type}:{review.id}:{key}",
        recipient=contractor_recipient(session.get(Contractor, review.contractor_id)),
        subject_type=SUBJECT, subject_id=review.id,
        context={"division_name": settings().division_name, "notice_date": notice_date.isoformat(),
                 "review_id": review.id, "prospect_id": review.prospect_id, **context},
    )


def _step(review_id: str, action: str, actor: str, rule: str, detail: dict | None = None):
    return recorded_step(HiringReview, review_id, what="hiring review", subject_type=SUBJECT, action=action,
                         actor=actor, rule=rule, detail=detail)


@task(name="attach-run")
def attach_run(review_id: str, flow_run_id: str) -> None:
    """Link the review to the flow run that handles it."""
    with transaction() as session:
        review = _review(session, review_id)
        review.flow_run_id = flow_run_id
        session.add(review)


@task(name="record-mandatory-exclusion")
def record_mandatory_exclusion(review_id: str, paragraphs: list[str], as_of: date) -> None:
    """(7)(C)1: excluded without review; the contractor is told which subparagraph applies."""
    cited = ", ".join(paragraphs)
    with _step(review_id, "review.excluded_mandatory", "system", "13 CSR 35-32.020 (7)(C)1",
               {"paragraphs": paragraphs, "as_of": as_of.isoformat()}) as (session, r):
        r.status, r.exclusion_paragraphs = ReviewStatus.excluded_mandatory, cited
        _notify(session, r, "exclusion-mandatory", "1", as_of, paragraphs=cited)


@task(name="record-awaiting-designee")
def record_awaiting_designee(review_id: str) -> None:
    with _step(review_id, "review.sent_to_designee", "system", "13 CSR 35-32.020 (7)(C)2") as (session, r):
        r.status = ReviewStatus.awaiting_designee


@task(name="record-designee-decision")
def record_designee_decision(review_id: str, decision: str, reasons: str, decision_date: date,
                             designee_id: str) -> None:
    """(7)(C)2: the designee's written response; a denial carries the review right and its deadline."""
    denied = DesigneeDecision(decision) is DesigneeDecision.may_not_provide
    with _step(review_id, "review.designee_decided", designee_id, "13 CSR 35-32.020 (7)(C)2",
               {"decision": decision, "decision_date": decision_date.isoformat()}) as (session, r):
        r.designee_decision, r.designee_reasons, r.decision_date, r.designee_id = (
            decision, reasons, decision_date, designee_id)
        r.status = ReviewStatus.denied if denied else ReviewStatus.approved
        if not denied:
            right, deadline = "No review is needed: the individual may be assigned.", "n/a"
        elif review_available(r.division_employee, r.release_authorization):
            deadline = request_deadline(decision_date).isoformat()
            right = ("If you dispute this decision you may request an administrative review, in writing, "
                     "setting out your reasons, no later than thirty days from the date of this decision "
                     "(13 CSR 35-32.020 (7)(C)2.A-B).")
        else:
            deadline = "n/a"
            right = ("The administrative review does not apply: the application has no signed authorization "
                     "to release information for a current or former division employee "
                     "(13 CSR 35-32.020 (7)(D)1).")
        _notify(session, r, "designee-decision", "1", decision_date, decision=decision,
                reasons=reasons, decision_date=decision_date.isoformat(), review_right=right,
                request_deadline=deadline)


@task(name="record-request-refused")
def record_request_refused(review_id: str, attempt: int, received_on: date, reason: str, rule: str,
                           final: bool, recorded_by: str) -> None:
    """(7)(C)2.A-B, (7)(D)1: a refused request, with a notice that says why."""
    with _step(review_id, "review.request_refused", recorded_by, rule,
               {"received_on": received_on.isoformat(), "reason": reason}) as (session, r):
        if final:
            r.status = ReviewStatus.request_refused
        _notify(session, r, "review-request-refused", str(attempt), received_on,
                received_on=received_on.isoformat(), reason=reason, rule_cited=rule)


@task(name="record-review-requested")
def record_review_requested(review_id: str, received_on: date, reasons: str, recorded_by: str) -> None:
    """(7)(C)2.A-B: a timely written request with reasons; the exclusion stays in effect."""
    with _step(review_id, "review.requested", recorded_by, "13 CSR 35-32.020 (7)(C)2.A-B",
               {"received_on": received_on.isoformat()}) as (session, r):
        r.status, r.request_received_on, r.request_reasons = (
            ReviewStatus.review_requested, received_on, reasons)


@task(name="record-no-request")
def record_no_request(review_id: str, deadline: date | None) -> None:
    """(7)(C)2.A: the thirty days passed without a request; the decision stands."""
    with _step(review_id, "review.window_closed", "system", "13 CSR 35-32.020 (7)(C)2.A",
               {"deadline": deadline.isoformat() if deadline else None}) as (session, r):
        r.status = ReviewStatus.final_no_request


@task(name="record-review-scheduled")
def record_review_scheduled(review_id: str, attempt: int, review_date: date, review_time: str,
                            place: str, scheduled_on: date, scheduled_by: str) -> None:
    """(7)(C)2.C: notify the contractor of the date and time; the exclusion stays in effect."""
    tz = ZoneInfo(settings().timezone)
    local = datetime.combine(review_date, time.fromisoformat(review_time), tzinfo=tz)
    with _step(review_id, "review.scheduled", scheduled_by, "13 CSR 35-32.020 (7)(C)2.C",
               {"review_date": review_date.isoformat(), "attempt": attempt}) as (session, r):
        r.status, r.review_at, r.review_place = (
            ReviewStatus.review_scheduled, local.astimezone(timezone.utc), place)
        _notify(session, r, "review-scheduled", str(attempt), scheduled_on,
                review_at=f"{review_date.isoformat()} at {review_time} (Central time)", review_place=place)


@task(name="record-continuance")
def record_continuance(review_id: str, attempt: int, designee_id: str) -> None:
    """(7)(C)2.C: continued at the contractor's request; to be rescheduled."""
    with _step(review_id, "review.continued", designee_id, "13 CSR 35-32.020 (7)(C)2.C",
               {"attempt": attempt}) as (session, r):
        r.status = ReviewStatus.review_requested


@task(name="record-recommendation")
def record_recommendation(review_id: str, recommendation: str, designee_id: str) -> None:
    """(7)(C)2.D(II): the designee's recommendation to the director."""
    with _step(review_id, "review.recommended", designee_id, "13 CSR 35-32.020 (7)(C)2.D(II)",
               {"recommendation": recommendation}) as (session, r):
        r.status, r.recommendation, r.recommended_by = (
            ReviewStatus.awaiting_director, recommendation, designee_id)


@task(name="record-final-decision")
def record_final_decision(review_id: str, decision: str, reasons: str, decided_on: date,
                          director_id: str) -> None:
    """(7)(C)2.D(II): the director affirms or reverses; the decision is final."""
    rec = Recommendation(decision)
    with _step(review_id, "review.final_decision", director_id, "13 CSR 35-32.020 (7)(C)2.D(II)",
               {"decision": decision, "decided_on": decided_on.isoformat()}) as (session, r):
        r.status, r.final_decision, r.final_by, r.final_on = final_status(rec), decision, director_id, decided_on
        _notify(session, r, "final-decision", "1", decided_on,
                decision="affirmed" if rec is Recommendation.affirm else "reversed",
                reasons=reasons, final_on=decided_on.isoformat())
