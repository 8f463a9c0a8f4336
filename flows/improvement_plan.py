"""Practice improvement plan, 13 CSR 35-32.020 (15)-(16): elect, record, verify or breach, remedy."""

from datetime import date

from prefect import flow

from models.calendar import add_business_days, add_calendar_days
from models.improvement_plan import DEFAULT_DAYS, Remedy, check_plan
from models.tables import OnDue, Role
from tasks.context import current_flow_run_id, division_today
from tasks.human import DeadlinePassed, TaskSpec, ask
from tasks.notices import deliver_notices
from tasks.plans.forms import ApproveTermination, ChooseRemedy, PlanOutcome, RecordPlan, RequirePlan, VerifyPlan
from tasks.plans.records import (SUBJECT, load_plan, open_plan_once, record_breach, record_closed, record_election,
                                 record_plan, record_remedy)

STAFF_DAYS = 10  # service target for the division's own steps; the rule sets no limit


def _spec(key: str, kind: str, plan_id: str, role: Role, due: date, **kw) -> TaskSpec:
    return TaskSpec(key=key, kind=kind, subject_type=SUBJECT, subject_id=plan_id, role=role, due=due, **kw)


@flow(name="practice-improvement-plan", flow_run_name="improvement-plan-{plan_id}")
def practice_improvement_plan(plan_id: str, as_of: date | None = None, contract_id: str | None = None,
                              outcomes_missed: list[str] | None = None) -> str:
    """From outcomes not met to a verified plan, or a breach and its remedy. Staff starting a run in the UI
    give the contract and the outcomes not met; the plan is opened with them."""
    as_of = as_of or division_today()
    if contract_id:
        open_plan_once(plan_id, contract_id, outcomes_missed or [])
    facts = load_plan(plan_id, current_flow_run_id())
    missed = ", ".join(facts.outcomes_missed)
    election = ask(
        _spec("require-plan", "decide whether to require a plan", plan_id, Role.contract_admin,
              add_business_days(as_of, STAFF_DAYS)),
        RequirePlan,
        f"### Plan `{plan_id}`, contract `{facts.contract_id}`: require a practice improvement plan?\n"
        f"Outcomes not met: **{missed}**. The division may elect to require a plan (13 CSR 35-32.020 (16)).",
    )
    record_election(plan_id, election.require, election.reasons, election.decided_by, as_of)
    deliver_notices()
    if not election.require:
        return "not_required"

    written = ask(
        _spec("record-plan", "record the contractor's plan", plan_id, Role.contract_admin,
              add_business_days(as_of, STAFF_DAYS)),
        RecordPlan,
        f"### Plan `{plan_id}`, contract `{facts.contract_id}`: record the written plan\n"
        "Enter the plan as the contractor wrote it; it must address (A)-(D) of 13 CSR 35-32.020 (16). "
        "The deadline is the effective date plus the timeframe in calendar days.",
        validate=lambda p: check_plan(reasons=p.reasons_not_achieved, steps=p.steps, responsible=p.responsible,
                                      days=p.timeframe_days),
        timeframe_days=DEFAULT_DAYS,
    )
    deadline = record_plan(plan_id, written.reasons_not_achieved, written.steps, written.responsible,
                           written.timeframe_days, written.effective_on, written.decided_by)
    deliver_notices()

    verification = ask(
        _spec("verify-plan", "verify the plan's actions", plan_id, Role.contract_admin, deadline,
              on_due=OnDue.timer),
        VerifyPlan,
        f"### Plan `{plan_id}`, contract `{facts.contract_id}`: verify the actions\n"
        f"Record, with evidence, that the actions were taken, by **{deadline.isoformat()}**; after that day "
        "the plan is in breach. The division may also withdraw the plan, with reasons.",
    )
    if not isinstance(verification, DeadlinePassed):
        record_closed(plan_id, verification.outcome is PlanOutcome.verified, verification.evidence,
                      verification.decided_on, verification.decided_by)
        deliver_notices()
        return "verified" if verification.outcome is PlanOutcome.verified else "withdrawn"

    breached_on = add_calendar_days(deadline, 1)
    record_breach(plan_id, deadline, breached_on)
    deliver_notices()
    return _remedy(plan_id, facts.contract_id, breached_on)


def _remedy(plan_id: str, contract_id: str, breached_on: date) -> str:
    """(15)-(16): the administrator chooses the remedy; termination needs the director."""
    attempt = 1
    while True:
        choice = ask(
            _spec(f"choose-remedy-{attempt}", "choose the remedy for a breach", plan_id, Role.contract_admin,
                  add_business_days(breached_on, STAFF_DAYS)),
            ChooseRemedy,
            f"### Plan `{plan_id}`, contract `{contract_id}`: breach of contract\n"
            "The plan's actions were not taken in time. Choose the remedy: terminate the contract (the "
            "director approves), reduce the caseload, or another remedy in writing (13 CSR 35-32.020 (15)-(16)).",
        )
        if choice.remedy is Remedy.terminate:
            approval = ask(
                _spec(f"approve-termination-{attempt}", "approve terminating the contract", plan_id,
                      Role.director, add_business_days(breached_on, STAFF_DAYS)),
                ApproveTermination,
                f"### Contract `{contract_id}`: approve termination\nThe contract administrator proposes to "
                f"terminate contract `{contract_id}` for the breach of plan `{plan_id}` (13 CSR 35-32.020 (15)).",
            )
            if not approval.approve:
                attempt += 1
                continue
        record_remedy(plan_id, choice.remedy.value, choice.detail, choice.effective_on, choice.decided_by)
        deliver_notices()
        return f"remedied: {choice.remedy.name}"
