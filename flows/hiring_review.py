"""Administrative review of a hiring exclusion, 13 CSR 35-32.020 (7)(C)-(D)."""

from datetime import date

from prefect import flow

from models.calendar import add_business_days
from models.errors import RuleViolation
from models.exclusions import mandatory_exclusions
from models.review import (DIRECTOR_DECISION_BUSINESS_DAYS, DESIGNEE_RESPONSE_BUSINESS_DAYS, DesigneeDecision,
                           Recommendation, check_review_date, check_review_request, final_status, request_deadline,
                           scheduling_due)
from models.tables import OnDue, Role
from tasks.context import current_flow_run_id, division_today
from tasks.human import DeadlinePassed, TaskSpec, ask
from tasks.notices import deliver_notices
from tasks.reviews.forms import (DesigneeResponse, DirectorDecision, ReviewHeld, ReviewOutcome, ReviewRequest,
                                 ScheduleReview)
from tasks.reviews.records import (SUBJECT, ReviewFacts, attach_run, load_review, record_awaiting_designee,
                                   record_continuance, record_designee_decision, record_final_decision,
                                   record_mandatory_exclusion, record_no_request, record_recommendation,
                                   record_request_refused, record_review_requested, record_review_scheduled)

UNREASONED = "13 CSR 35-32.020 (7)(C)2.B"


def _spec(key: str, kind: str, review_id: str, role: Role, due: date | None, **kw) -> TaskSpec:
    return TaskSpec(key=key, kind=kind, subject_type=SUBJECT, subject_id=review_id, role=role, due=due, **kw)


@flow(name="hiring-exclusion-review", flow_run_name="hiring-review-{review_id}", log_prints=False)
def hiring_exclusion_review(review_id: str, as_of: date | None = None) -> str:
    """Intake to final decision; every wait is a human task staff answer in the Prefect UI."""
    as_of = as_of or division_today()
    attach_run(review_id, current_flow_run_id())
    facts = load_review(review_id)

    paragraphs = mandatory_exclusions(list(facts.findings), as_of)
    if paragraphs:
        record_mandatory_exclusion(review_id, paragraphs, as_of)
        deliver_notices()
        return "excluded_mandatory"

    record_awaiting_designee(review_id)
    response = ask(
        _spec("designee-response", "designee response", review_id, Role.designee,
              add_business_days(as_of, DESIGNEE_RESPONSE_BUSINESS_DAYS)),
        DesigneeResponse,
        f"### Hiring review `{review_id}`: may prospective employee `{facts.prospect_id}` provide case "
        f"management?\nThe contractor `{facts.contractor_id}` asks to hire an individual whose background "
        f"investigation shows {len(facts.findings)} finding(s), none of them a mandatory exclusion. "
        "Give the written response with reasons (13 CSR 35-32.020 (7)(C)2).",
        decision_date=division_today(),
    )
    record_designee_decision(review_id, response.decision.value, response.reasons, response.decision_date,
                             response.decided_by)
    deliver_notices()
    if response.decision is DesigneeDecision.may_provide:
        return "approved"

    request = _await_request(review_id, facts, response.decision_date)
    if request is None:
        return "closed"

    recommendation = _hold_review(review_id, request.received_on)
    director = ask(
        _spec("director-decision", "director's final decision", review_id, Role.director,
              add_business_days(division_today(), DIRECTOR_DECISION_BUSINESS_DAYS),
              excluded_staff_id=recommendation.decided_by,
              excluded_reason="the designee who recommended may not also decide (separation of duties)"),
        DirectorDecision,
        f"### Hiring review `{review_id}`: final decision\nThe designee recommends that you "
        f"**{_recommended(recommendation.outcome).value}** the initial decision. Affirm or reverse it; "
        "the decision is final (13 CSR 35-32.020 (7)(C)2.D(II)).",
        decided_on=division_today(),
    )
    record_final_decision(review_id, director.decision.value, director.reasons, director.decided_on,
                          director.decided_by)
    deliver_notices()
    return final_status(director.decision).value


def _await_request(review_id: str, facts: ReviewFacts, decision_date: date) -> ReviewRequest | None:
    """(7)(C)2.A-B, (7)(D)1: wait for a written request until the thirty days run out."""
    deadline = request_deadline(decision_date)
    attempt = 1
    while True:
        request = ask(
            _spec(f"review-request-{attempt}", "record request for review", review_id, Role.designee,
                  deadline, on_due=OnDue.timer),
            ReviewRequest,
            f"### Hiring review `{review_id}`: contractor's request for administrative review\n"
            f"Record the written request when it arrives. The last day to ask is **{deadline.isoformat()}**; "
            "after it the decision stands (13 CSR 35-32.020 (7)(C)2.A-B).",
        )
        if isinstance(request, DeadlinePassed):
            record_no_request(review_id, deadline)
            return None
        try:
            check_review_request(decision_date=decision_date, received_on=request.received_on,
                                 reasons=request.reasons, division_employee=facts.division_employee,
                                 release_authorization=facts.release_authorization)
        except RuleViolation as refused:
            final = refused.rule != UNREASONED
            record_request_refused(review_id, attempt, request.received_on, refused.reason, refused.rule,
                                   final, request.decided_by)
            deliver_notices()
            if final:
                return None
            attempt += 1
            continue
        record_review_requested(review_id, request.received_on, request.reasons, request.decided_by)
        return request


def _hold_review(review_id: str, received_on: date) -> ReviewHeld:
    """(7)(C)2.C-D: schedule within three business days, hold or continue, recommend."""
    attempt, since = 1, received_on
    while True:
        schedule = ask(
            _spec(f"schedule-review-{attempt}", "schedule administrative review", review_id, Role.designee,
                  scheduling_due(since), on_due=OnDue.escalate),
            ScheduleReview,
            f"### Hiring review `{review_id}`: schedule the administrative review\n"
            f"Set the date and time within three business days of **{since.isoformat()}** "
            "(13 CSR 35-32.020 (7)(C)2.C). The contractor is notified; the exclusion stays in effect.",
            validate=lambda s: check_review_date(s.review_date, s.scheduled_on),
            scheduled_on=division_today(),
        )
        record_review_scheduled(review_id, attempt, schedule.review_date, schedule.review_time,
                                schedule.place, schedule.scheduled_on, schedule.decided_by)
        deliver_notices()
        held = ask(
            _spec(f"review-held-{attempt}", "hold administrative review", review_id, Role.designee,
                  schedule.review_date),
            ReviewHeld,
            f"### Hiring review `{review_id}`: the administrative review of {schedule.review_date.isoformat()}\n"
            "Record your recommendation to the director, or that the review was continued at the "
            "contractor's request (13 CSR 35-32.020 (7)(C)2.C-D).",
        )
        if held.outcome is not ReviewOutcome.continued:
            record_recommendation(review_id, _recommended(held.outcome).value, held.decided_by)
            return held
        record_continuance(review_id, attempt, held.decided_by)
        attempt, since = attempt + 1, division_today()


def _recommended(outcome: ReviewOutcome) -> Recommendation:
    return Recommendation.affirm if outcome is ReviewOutcome.recommend_affirm else Recommendation.reverse
