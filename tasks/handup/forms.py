"""Resume forms of the Hand-Up Pilot Program, as staff see them in the Prefect UI."""

from datetime import date

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
