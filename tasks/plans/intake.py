"""Open a practice improvement plan for a contract and start its run (13 CSR 35-32.020 (16))."""

from datetime import date

from sqlmodel import Session

from models.errors import NotFound, RuleViolation
from models.tables import Contract, ImprovementPlan
from tasks.human.audit import audit

DEPLOYMENT = "practice-improvement-plan/practice-improvement-plan"


def open_plan(session: Session, *, plan_id: str, contract_id: str, outcomes: list[str], actor: str) -> str:
    """Record the outcomes not met for a contract; several plans may be open for one contract."""
    if session.get(Contract, contract_id) is None:
        raise NotFound(f"no contract {contract_id!r}")
    if session.get(ImprovementPlan, plan_id) is not None:
        raise RuleViolation(f"improvement plan {plan_id!r} exists already", "intake")
    if not [o for o in outcomes if o.strip()]:
        raise RuleViolation("name at least one outcome not met", "13 CSR 35-32.020 (16)")
    session.add(ImprovementPlan(id=plan_id, contract_id=contract_id, outcomes_missed=outcomes))
    audit(session, actor=actor, action="plan.opened", subject_type="improvement_plan", subject_id=plan_id,
          rule="13 CSR 35-32.020 (16)", detail={"contract_id": contract_id, "outcomes": outcomes})
    return plan_id


def start_plan_run(plan_id: str, as_of: date | None = None) -> str:
    """A run of the plan deployment (IDs only as parameters); returns the flow run ID."""
    from prefect.deployments import run_deployment

    params = {"plan_id": plan_id} | ({"as_of": as_of.isoformat()} if as_of else {})
    return str(run_deployment(DEPLOYMENT, parameters=params, timeout=0, _sync=True).id)
