"""Resume forms of the practice improvement plan, as staff see them in the Prefect UI."""

from datetime import date
from enum import StrEnum

from pydantic import Field

from models.improvement_plan import DEFAULT_DAYS, Remedy
from tasks.human.fields import REASONS, StaffAnswer


class RequirePlan(StaffAnswer):
    """(16): the division may elect to require a practice improvement plan."""

    require: bool = Field(False, title="Require a practice improvement plan?",
                          description="Tick to require a plan; leave unticked to close without one.")
    reasons: str = REASONS


class RecordPlan(StaffAnswer):
    """(16)(A)-(D): the contractor's written plan, as received."""

    reasons_not_achieved: str = Field(title="(A) Why the outcome was not achieved", min_length=1,
                                      description="As the plan states it.", max_length=4000)
    steps: str = Field(title="(B) Steps to meet the outcome", min_length=1, max_length=4000,
                       description="As the plan states them.")
    responsible: str = Field(title="(C) Individuals responsible", min_length=1, max_length=2000,
                             description="One per line: name, role (e.g. 'J. Smith, case management supervisor').")
    timeframe_days: int = Field(title="(D) Timeframe in calendar days", ge=1, le=365,
                                description=f"Days the plan allows; the rule's default is {DEFAULT_DAYS}.")
    effective_on: date = Field(title="Effective date", description="The deadline counts from this date.")


class PlanOutcome(StrEnum):
    verified = "actions taken: verified"
    withdrawn = "withdrawn by the division"


class VerifyPlan(StaffAnswer):
    """(16): record that the actions were taken (with evidence), or withdraw the plan."""

    outcome: PlanOutcome = Field(description="Verified closes the plan; withdrawn closes it without verification.")
    evidence: str = Field(title="Evidence references or reasons", min_length=1, max_length=4000,
                          description="Document IDs, report references; for a withdrawal, the reasons.")
    decided_on: date = Field(title="Date", description="Date of the verification or withdrawal.")


class ChooseRemedy(StaffAnswer):
    """(15)-(16): after a breach, terminate, reduce the caseload, or another remedy in writing."""

    remedy: Remedy = Field(description="Termination also needs the director's approval.")
    detail: str = Field(title="The remedy in writing", min_length=1, max_length=4000,
                        description="What the contractor is told, with reasons.")
    effective_on: date = Field(title="Effective date", description="When the remedy takes effect.")


class ApproveTermination(StaffAnswer):
    """(15): the director approves or refuses terminating the contract."""

    approve: bool = Field(False, title="Approve termination?", description="Unticked: the administrator chooses again.")
    reasons: str = REASONS
