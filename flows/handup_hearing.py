"""Fair hearing on a Hand-Up adverse action, 13 CSR 35-32.040 (5) and 13 CSR 40-2.160: a hearing officer
upholds the action or reverses it with reinstatement and the bills restored."""

from datetime import date

from prefect import flow

from models.calendar import add_business_days
from models.tables import Role
from tasks.context import current_flow_run_id, division_today
from tasks.handup.forms import HearingDecision, HearingOutcome
from tasks.handup.hearings import load_hearing, record_hearing_decision
from tasks.human import TaskSpec, ask
from tasks.notices import deliver_notices

OFFICER_DAYS = 30  # service target for scheduling and deciding the hearing


@flow(name="handup-hearing", flow_run_name="handup-hearing-{hearing_id}")
def handup_hearing(hearing_id: str, as_of: date | None = None) -> str:
    """A timely request (checked when it was recorded) goes to a hearing officer, whose decision is noticed."""
    as_of = as_of or division_today()
    hearing = load_hearing(hearing_id, current_flow_run_id())
    if hearing.status != "open":
        return hearing.status
    decision = ask(
        TaskSpec(key="decide-hearing", kind="decide a Hand-Up fair hearing", subject_type="hearing_request",
                 subject_id=hearing_id, role=Role.hearing_officer, due=add_business_days(as_of, OFFICER_DAYS)),
        HearingDecision,
        f"### Fair hearing `{hearing_id}` for participant `{hearing.participant_id}`\n"
        f"The notice of adverse action was issued on {hearing.adverse_action_on.isoformat()}; the request came "
        "within ninety days (13 CSR 35-32.040 (5)). Uphold the action, or reverse it: the participant is "
        "reinstated and the bills cancelled at removal are restored.",
        decided_on=as_of,
    )
    reverse = decision.outcome is HearingOutcome.reversed
    record_hearing_decision(hearing_id, reverse, decision.reasons, decision.decided_by, decision.decided_on)
    deliver_notices()
    return "reversed" if reverse else "upheld"
