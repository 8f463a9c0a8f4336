"""Resume forms of the Hand-Up Pilot Program, as staff see them in the Prefect UI."""

from datetime import date
from enum import StrEnum

from pydantic import Field

from tasks.human.fields import REASONS, StaffAnswer


class ApproveRemovals(StaffAnswer):
    """13 CSR 35-32.040 (4)(C): an eligibility supervisor approves removing a batch of participants sixty days
    unpaid, holding any back with a reason; unticked, no one in the batch is removed."""

    approve: bool = Field(False, title="Approve the removals?",
                          description="Tick to remove every participant listed except those held back below; "
                                      "leave unticked to remove no one.")
    hold_back: str = Field("", title="Participants held back", max_length=20000,
                           description="One per line, the participant ID, a colon and the reason, e.g. "
                                       "'HU-123: payment arrangement agreed'. Refer to people by IDs only.")
    decided_on: date = Field(title="Date of the decision",
                             description="The removal takes effect, and the notice of adverse action is dated, "
                                         "on this day.")
    reasons: str = REASONS


class ApproveEnrolment(StaffAnswer):
    """13 CSR 35-32.040 (1): the application meets (1)(A)-(F); the eligibility worker enrols or refuses."""

    approve: bool = Field(False, title="Enrol in the Hand-Up Pilot Program?",
                          description="Tick to enrol; leave unticked to refuse, with written reasons.")
    enrolled_on: date = Field(title="Enrolment date", description="Premiums are billed from this date on.")
    reasons: str = Field("", title="Written reasons (required to refuse)", max_length=4000,
                         description="Refer to people by IDs only.")


class HearingOutcome(StrEnum):
    upheld = "upheld: the adverse action stands"
    reversed = "reversed: reinstate the participant and restore the bills"


class HearingDecision(StaffAnswer):
    """13 CSR 35-32.040 (5), 13 CSR 40-2.160: the hearing officer's decision on the adverse action."""

    outcome: HearingOutcome = Field(description="Reversed reinstates the participant with the bills restored.")
    reasons: str = REASONS
    decided_on: date = Field(title="Decision date", description="The date of the hearing decision.")
