"""Resume forms of the hiring-exclusion review, as staff see them in the Prefect UI."""

from datetime import date
from enum import StrEnum

from pydantic import Field

from models.review import DesigneeDecision, Recommendation
from tasks.human.fields import REASONS, StaffAnswer


class DesigneeResponse(StaffAnswer):
    """(7)(C)2: may the individual provide case management services?"""

    decision: DesigneeDecision = Field(
        description="May or may not the individual provide case management services under the contract?")
    reasons: str = REASONS
    decision_date: date = Field(title="Decision date",
                                description="Date of the decision; the 30-day window for a review runs from it.")


class ReviewRequest(StaffAnswer):
    """(7)(C)2.A-B: the contractor's written request for an administrative review."""

    received_on: date = Field(description="Date the written request was received.")
    reasons: str = Field("", description="The reasons the request sets out (blank if it gives none).",
                         max_length=4000)


class ScheduleReview(StaffAnswer):
    """(7)(C)2.C: date and time of the administrative review."""

    review_date: date = Field(description="Day of the review.")
    review_time: str = Field(description="Time of the review, 24-hour HH:MM, Central time.",
                             pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    place: str = Field(description="Room and address, or the call-in details.", min_length=1, max_length=200)
    scheduled_on: date = Field(description="Date the review is scheduled (today).")


class ReviewOutcome(StrEnum):
    recommend_affirm = "held: recommend the director affirm"
    recommend_reverse = "held: recommend the director reverse"
    continued = "continued at the contractor's request"


class ReviewHeld(StaffAnswer):
    """(7)(C)2.C-D: the review was held (recommendation) or continued (reschedule)."""

    outcome: ReviewOutcome = Field(description="What happened at the review.")
    reasons: str = REASONS


class DirectorDecision(StaffAnswer):
    """(7)(C)2.D(II): the director affirms or reverses the initial decision; final."""

    decision: Recommendation = Field(description="Affirm or reverse the designee's initial decision.")
    reasons: str = REASONS
    decided_on: date = Field(description="Date of the final decision.")
