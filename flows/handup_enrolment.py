"""Hand-Up enrolment, 13 CSR 35-32.040 (1), (4)(A) and (6): check the application, the eligibility worker
decides, the notice gives the premium or every reason for refusal."""

from datetime import date

from prefect import flow

from models.calendar import add_business_days
from models.errors import RuleViolation
from models.handup import ParticipantStatus
from models.tables import Role
from tasks.context import current_flow_run_id, division_today
from tasks.handup.common import SUBJECT
from tasks.handup.forms import ApproveEnrolment
from tasks.handup.enrolment import check_application, record_enrolment, record_refusal
from tasks.human import TaskSpec, ask
from tasks.notices import deliver_notices

WORKER_DAYS = 5  # service target for the eligibility worker; the rule sets none


def _refusal_has_reasons(answer: ApproveEnrolment) -> None:
    if not answer.approve and not answer.reasons.strip():
        raise RuleViolation("give the written reasons for refusing the application", "13 CSR 35-32.040 (1)")


@flow(name="handup-enrolment", flow_run_name="handup-enrolment-{participant_id}")
def handup_enrolment(participant_id: str, as_of: date | None = None) -> str:
    """From an application to enrolment with its premium, or a refusal with every unmet paragraph."""
    as_of = as_of or division_today()
    checked = check_application(participant_id, as_of, current_flow_run_id())
    if checked.status != ParticipantStatus.applied:
        return checked.status
    if checked.unmet:
        record_refusal(participant_id, None, "handup-rules", as_of)
        deliver_notices()
        return ParticipantStatus.refused

    decision = ask(
        TaskSpec(key="approve-enrolment", kind="approve a Hand-Up enrolment", subject_type=SUBJECT,
                 subject_id=participant_id, role=Role.eligibility_worker,
                 due=add_business_days(as_of, WORKER_DAYS)),
        ApproveEnrolment,
        f"### Hand-Up application `{participant_id}`: enrol?\n"
        "The application meets every condition of 13 CSR 35-32.040 (1)(A)-(F), and the premium is less than the "
        f"child care benefit. See the premium with `cwa handup status {participant_id}`. Enrol, or refuse with "
        "written reasons.",
        validate=_refusal_has_reasons,
        enrolled_on=as_of,
    )
    if decision.approve:
        record_enrolment(participant_id, decision.decided_by, decision.enrolled_on)
    else:
        record_refusal(participant_id, decision.reasons, decision.decided_by, as_of)
    deliver_notices()
    return ParticipantStatus.enrolled if decision.approve else ParticipantStatus.refused
