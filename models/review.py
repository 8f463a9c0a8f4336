"""Administrative review of a hiring decision, 13 CSR 35-32.020 (7)(C)2 and (7)(D)."""

from datetime import date
from enum import StrEnum

from models.calendar import add_business_days, add_calendar_days
from models.errors import RuleViolation
from models.rules import cites

REQUEST_WINDOW_DAYS = 30
SCHEDULING_BUSINESS_DAYS = 3


class ReviewStatus(StrEnum):
    received = "received"
    excluded_mandatory = "excluded_mandatory"
    awaiting_designee = "awaiting_designee"
    approved = "approved"
    denied = "denied"
    request_refused = "request_refused"
    review_requested = "review_requested"
    review_scheduled = "review_scheduled"
    awaiting_director = "awaiting_director"
    final_affirmed = "final_affirmed"
    final_reversed = "final_reversed"
    final_no_request = "final_no_request"


EXCLUSION_IN_EFFECT = {
    ReviewStatus.excluded_mandatory,
    ReviewStatus.denied,
    ReviewStatus.request_refused,
    ReviewStatus.review_requested,
    ReviewStatus.review_scheduled,
    ReviewStatus.awaiting_director,
    ReviewStatus.final_affirmed,
    ReviewStatus.final_no_request,
}


class DesigneeDecision(StrEnum):
    may_provide = "may provide case management"
    may_not_provide = "may not provide case management"


class Recommendation(StrEnum):
    affirm = "affirm"
    reverse = "reverse"


@cites("13 CSR 35-32.020 (7)(C)2.A")
def request_deadline(decision_date: date) -> date:
    """(7)(C)2.A: the last day to request a review, thirty days from the decision."""
    return add_calendar_days(decision_date, REQUEST_WINDOW_DAYS)


@cites("13 CSR 35-32.020 (7)(C)2.C")
def scheduling_due(received_on: date) -> date:
    """(7)(C)2.C: the review is scheduled within three business days of receipt of the request."""
    return add_business_days(received_on, SCHEDULING_BUSINESS_DAYS)


@cites("13 CSR 35-32.020 (7)(D)1")
def review_available(division_employee: bool, release_authorization: bool) -> bool:
    """(7)(D)1: no review for a current or former division employee without a signed release."""
    return release_authorization or not division_employee


@cites("13 CSR 35-32.020 (7)(C)2.A", "13 CSR 35-32.020 (7)(C)2.B", "13 CSR 35-32.020 (7)(D)1")
def check_review_request(
    *,
    decision_date: date,
    received_on: date,
    reasons: str,
    division_employee: bool,
    release_authorization: bool,
) -> None:
    """(7)(C)2.A-B, (7)(D)1: raise RuleViolation if the contractor's request must be refused."""
    if not review_available(division_employee, release_authorization):
        raise RuleViolation(
            "the application has no signed authorization to release information, "
            "so the administrative review does not apply to a current or former division employee",
            "13 CSR 35-32.020 (7)(D)1",
        )
    if received_on < decision_date:
        raise RuleViolation("the request is dated before the decision", "13 CSR 35-32.020 (7)(C)2.A")
    last_day = request_deadline(decision_date)
    if received_on > last_day:
        raise RuleViolation(
            f"the request was received on {received_on.isoformat()}, after the last day "
            f"to ask, {last_day.isoformat()} (thirty days from the decision)",
            "13 CSR 35-32.020 (7)(C)2.A",
        )
    if not reasons.strip():
        raise RuleViolation(
            "the request does not set out the reasons for the review",
            "13 CSR 35-32.020 (7)(C)2.B",
        )


@cites("13 CSR 35-32.020 (7)(C)2.C")
def check_review_date(review_on: date, scheduled_on: date) -> None:
    """(7)(C)2.C: a review cannot be set for a day before it is scheduled."""
    if review_on < scheduled_on:
        raise RuleViolation(
            f"the review date {review_on.isoformat()} is before the day it was scheduled",
            "13 CSR 35-32.020 (7)(C)2.C",
        )


@cites("13 CSR 35-32.020 (7)(C)2.D(II)")
def final_status(decision: Recommendation) -> ReviewStatus:
    """(7)(C)2.D(II): the director affirms or reverses; the decision is final."""
    return ReviewStatus.final_affirmed if decision is Recommendation.affirm else ReviewStatus.final_reversed


DESIGNEE_RESPONSE_BUSINESS_DAYS = 10  # service target for reminders; the rule sets no limit
DIRECTOR_DECISION_BUSINESS_DAYS = 10  # service target for reminders; the rule sets no limit
