"""Resume forms of the annual contract renewal, as staff see them in the Prefect UI."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from tasks.human.fields import REASONS, StaffAnswer


class Correction(StrEnum):
    none = "no corrections"
    data = "the contractor updated the case data (re-imported)"
    programming_error = "a programming error the contractor identified, corrected by the division"


class RecordCorrections(StaffAnswer):
    """13 CSR 35-32.020 (15): the contractor reviews its outcomes before the final report; it updates the case
    management system, and the division corrects any programming error it identifies."""

    correction: Correction = Field(description="Re-import the corrected extracts first (cwa renewal import); the "
                                               "outcomes are computed again when you submit.")
    description: str = Field("", title="What was corrected", max_length=4000,
                             description="The contractor's points and what changed. Refer to children by IDs only.")
    received_on: date = Field(title="Date received", description="When the contractor's review came in.")


class RenewalDecision(StrEnum):
    renew = "renew"
    renew_with_plan = "renew with a practice improvement plan"
    renew_reduced = "renew with a reduced caseload"
    do_not_renew = "do not renew"


class Recommend(StaffAnswer):
    """13 CSR 35-32.020 (15)-(16): the contract administrator recommends, on the final outcomes report."""

    recommendation: RenewalDecision
    reduced_cases: int = Field(0, ge=0, title="Cases for the next year (reduced caseload only)",
                               description="The number of cases awarded after the reduction.")
    reasons: str = REASONS


class Decide(StaffAnswer):
    """13 CSR 35-32.020 (15)-(16), 35-32.030 (6)(B)5: the director decides; not the one who recommended."""

    decision: RenewalDecision
    reduced_cases: int = Field(0, ge=0, title="Cases for the next year (reduced caseload only)",
                               description="The number of cases awarded after the reduction.")
    reasons: str = REASONS


class NextYearTerms(StaffAnswer):
    """Performance measures are reviewed and renegotiated at renewal: the next contract year's terms."""

    cases_awarded: int = Field(ge=1, title="Cases awarded")
    monthly_rate: Decimal = Field(gt=0, max_digits=12, decimal_places=2, title="Monthly amount per case ($)")
    permanency_target: Decimal = Field(ge=0, le=100, decimal_places=2, title="(13)(A) permanency target (%)")
    safety_target: Decimal = Field(ge=0, le=100, decimal_places=2, title="(13)(B) no abuse/neglect target (%)")
    reentry_target: Decimal = Field(ge=0, le=100, decimal_places=2, title="(13)(C) no re-entry target (%)")
    region_county_permanency: Decimal = Field(ge=0, le=100, decimal_places=2,
                                              title="Region's county average permanency (%), 32.030 (6)(B)1.A")
    region_contractor_permanency: Decimal = Field(ge=0, le=100, decimal_places=2,
                                                  title="Region's contractor average permanency (%), (6)(B)1.B")
    allowable_reentries: int = Field(ge=0, title="Allowable re-entries in the year, 32.030 (6)(B)3.D")
    appropriation: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2,
                                          title="Incentive appropriation ($), blank if none")
