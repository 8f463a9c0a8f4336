"""Database work of practice improvement plans, 13 CSR 35-32.020 (15)-(16): each step writes its decision,
audit row and notice in one transaction, and a resumed run that repeats a step changes nothing."""

from dataclasses import dataclass
from datetime import date

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session

from models.improvement_plan import PlanStatus, Remedy, parse_responsible, plan_deadline
from models.tables import Contract, Contractor, ImprovementPlan
from tasks.context import settings, transaction
from tasks.human.steps import get_record, recorded_step
from tasks.notices.outbox import notify, contractor_recipient

SUBJECT = "improvement_plan"
RULE = "13 CSR 35-32.020 (16)"


@dataclass(frozen=True)
class PlanFacts:
    id: str
    contract_id: str
    contractor_id: str
    outcomes_missed: tuple[str, ...]
    status: str
    deadline: date | None


def _plan(session: Session, plan_id: str) -> ImprovementPlan:
    return get_record(session, ImprovementPlan, plan_id, "improvement plan")


@task(name="open-plan")
def open_plan_once(plan_id: str, contract_id: str, outcomes: list[str]) -> None:
    """Open the plan unless a previous run of this flow (or `cwa plan start`) did."""
    from tasks.plans.intake import open_plan

    with transaction() as session:
        if session.get(ImprovementPlan, plan_id) is None:
            open_plan(session, plan_id=plan_id, contract_id=contract_id, outcomes=outcomes, actor="prefect-ui")


@task(name="load-plan", cache_policy=NO_CACHE)
def load_plan(plan_id: str, flow_run_id: str | None) -> PlanFacts:
    """The plan's facts; links the plan to the run that handles it."""
    with transaction() as session:
        plan = _plan(session, plan_id)
        contract = session.get(Contract, plan.contract_id)
        if flow_run_id and plan.flow_run_id != flow_run_id:
            plan.flow_run_id = flow_run_id
            session.add(plan)
        return PlanFacts(plan.id, plan.contract_id, contract.contractor_id, tuple(plan.outcomes_missed),
                         plan.status, plan.deadline)


def _step(plan_id: str, action: str, actor: str, rule: str, detail: dict | None = None):
    return recorded_step(ImprovementPlan, plan_id, what="improvement plan", subject_type=SUBJECT, action=action,
                         actor=actor, rule=rule, detail=detail)


def _notify(session: Session, plan: ImprovementPlan, notice_type: str, key: str, notice_date: date,
            **context) -> None:
    contract = session.get(Contract, plan.contract_id)
    notify(session, notice_type=notice_type, key=f"{notice_type}:{plan.id}:{key}",
           recipient=contractor_recipient(session.get(Contractor, contract.contractor_id)),
           subject_type=SUBJECT, subject_id=plan.id,
           context={"division_name": settings().division_name, "notice_date": notice_date.isoformat(),
                    "contract_id": plan.contract_id, "plan_id": plan.id, "reference": plan.id, **context})


@task(name="record-plan-election")
def record_election(plan_id: str, require: bool, reasons: str, decided_by: str, on: date) -> None:
    """(16): the division elects to require a plan (notice to the contractor), or not."""
    with _step(plan_id, "plan.required" if require else "plan.not_required", decided_by, RULE,
               {"require": require}) as (session, plan):
        plan.status = PlanStatus.required if require else PlanStatus.not_required
        plan.closed_reason = None if require else reasons
        if require:
            _notify(session, plan, "pip-required", "1", on, reasons=reasons,
                    outcomes="; ".join(plan.outcomes_missed))


@task(name="record-plan")
def record_plan(plan_id: str, reasons: str, steps: str, responsible: str, days: int, effective_on: date,
                decided_by: str) -> date:
    """(16)(A)-(D): the written plan; its deadline is the effective date plus its days."""
    deadline = plan_deadline(effective_on, days)
    people = [{"name": p.name, "role": p.role} for p in parse_responsible(responsible)]
    with _step(plan_id, "plan.recorded", decided_by, RULE,
               {"days": days, "effective_on": effective_on.isoformat(), "deadline": deadline.isoformat(),
                "responsible": len(people)}) as (session, plan):
        plan.status, plan.reasons, plan.steps, plan.responsible = PlanStatus.active, reasons, steps, people
        plan.timeframe_days, plan.effective_on, plan.deadline = days, effective_on, deadline
        _notify(session, plan, "pip-accepted", "1", effective_on, effective_on=effective_on.isoformat(),
                days=days, deadline=deadline.isoformat())
    return deadline


@task(name="record-plan-closed")
def record_closed(plan_id: str, verified: bool, evidence: str, on: date, decided_by: str) -> None:
    """(16): the actions were verified, or the division withdrew the plan; notice to the contractor."""
    outcome = "verified and closed" if verified else "withdrawn by the Children's Division"
    with _step(plan_id, "plan.verified" if verified else "plan.withdrawn", decided_by, RULE,
               {"on": on.isoformat()}) as (session, plan):
        plan.status = PlanStatus.verified if verified else PlanStatus.withdrawn
        plan.evidence, plan.verified_on = evidence, on if verified else None
        plan.closed_reason = None if verified else evidence
        detail = ("The division verified that the actions in the plan were taken." if verified
                  else f"Reasons: {evidence}")
        _notify(session, plan, "pip-closed", "1", on, outcome=outcome, detail=detail)


@task(name="record-breach")
def record_breach(plan_id: str, deadline: date, on: date) -> None:
    """(16): no action within the plan's timeframe is a breach of contract."""
    with _step(plan_id, "plan.breached", "deadline-sweep", RULE, {"deadline": deadline.isoformat()}) as (
            session, plan):
        plan.status, plan.breached_on = PlanStatus.breached, on
        _notify(session, plan, "pip-breach", "1", on, deadline=deadline.isoformat())


@task(name="record-remedy")
def record_remedy(plan_id: str, remedy: str, detail: str, effective_on: date, decided_by: str) -> None:
    """(15)-(16): terminate the contract, reduce the caseload, or another remedy; notice to the contractor."""
    chosen = Remedy(remedy)
    with _step(plan_id, "plan.remedy", decided_by, "13 CSR 35-32.020 (15)-(16)",
               {"remedy": chosen.name, "effective_on": effective_on.isoformat()}) as (session, plan):
        plan.status, plan.remedy, plan.remedy_detail = PlanStatus.remedied, chosen.name, detail
        contract = session.get(Contract, plan.contract_id)
        if chosen is Remedy.terminate:
            contract.status = "terminated"
        elif chosen is Remedy.reduce_caseload:
            contract.caseload_reduced_on = effective_on
        session.add(contract)
        _notify(session, plan, "pip-remedy", "1", effective_on, remedy=chosen.value,
                detail=detail, effective_on=effective_on.isoformat())
