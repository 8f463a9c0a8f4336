"""Practice improvement plans on a real Prefect server, with as_of moved through time (13 CSR 35-32.020 (16))."""

from datetime import date

import pytest
from sqlmodel import select

from models.tables import Contract, ImprovementPlan, Notice
from tasks.context import transaction
from tasks.plans.intake import open_plan, start_plan_run
from tests.workflow import refused, resume, run_sweep, wait_final, wait_for_task


PLAN = dict(reasons_not_achieved="Caseworker turnover in the second quarter.",
            steps="Hire two supervisors; weekly case reviews.",
            responsible="A. Reyes, program director\nB. Okoro, case management supervisor", decided_by="S-005")


def start(plan_id: str, contract: str = "K-001") -> str:
    with transaction() as session:
        open_plan(session, plan_id=plan_id, contract_id=contract, outcomes=["placement stability"], actor="test")
    return start_plan_run(plan_id, date(2026, 7, 15))


def plan(plan_id: str) -> ImprovementPlan:
    with transaction() as session:
        return session.get(ImprovementPlan, plan_id)


def notice_types(plan_id: str, channel: str = "email") -> list[str]:
    with transaction() as session:
        return list(session.exec(select(Notice.notice_type).where(
            Notice.subject_id == plan_id, Notice.channel == channel).order_by(Notice.id)).all())


def to_active_plan(plan_id: str, effective: date, days: int, contract: str = "K-001") -> str:
    run_id = start(plan_id, contract)
    wait_for_task(run_id, "require-plan")
    resume(run_id, require=True, reasons="Placement stability below target two quarters running.",
           decided_by="S-005")
    wait_for_task(run_id, "record-plan")
    resume(run_id, **PLAN, timeframe_days=days, effective_on=effective)
    wait_for_task(run_id, "verify-plan")
    return run_id


@pytest.mark.rule("13 CSR 35-32.020 (16)")
def test_a_plan_verified_in_time_closes(stack):
    run_id = start("PIP-T-OK")
    wait_for_task(run_id, "require-plan")
    resume(run_id, require=True, reasons="Below target.", decided_by="S-005")
    wait_for_task(run_id, "record-plan")
    resume(run_id, **{**PLAN, "responsible": "A. Reyes"}, timeframe_days=90, effective_on=date(2026, 8, 1))
    task = wait_for_task(run_id, "record-plan")
    assert "name and a role" in task.last_error  # (16)(C): the form comes back with the reason
    resume(run_id, **PLAN, timeframe_days=90, effective_on=date(2026, 8, 1))
    verify = wait_for_task(run_id, "verify-plan")
    assert verify.due_date == date(2026, 10, 30) == plan("PIP-T-OK").deadline
    resume(run_id, outcome="actions taken: verified", evidence="Report Q3-17; hiring records HR-88.",
           decided_on=date(2026, 10, 20), decided_by="S-005")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert plan("PIP-T-OK").status == "verified"
    assert [p["role"] for p in plan("PIP-T-OK").responsible] == ["program director", "case management supervisor"]
    assert notice_types("PIP-T-OK", "mail") == ["pip-required", "pip-accepted", "pip-closed"]


@pytest.mark.rule("13 CSR 35-32.020 (16)")
def test_a_plan_that_breaches_ends_in_termination_approved_by_the_director(stack):
    run_id = to_active_plan("PIP-T-BREACH", date(2026, 8, 1), 30, contract="K-002")
    assert plan("PIP-T-BREACH").deadline == date(2026, 8, 31)
    run_sweep(date(2026, 8, 31))
    assert wait_for_task(run_id, "verify-plan").status == "open"  # the last day is still in time
    run_sweep(date(2026, 9, 1))
    wait_for_task(run_id, "choose-remedy-1")
    assert (plan("PIP-T-BREACH").status, plan("PIP-T-BREACH").breached_on) == ("breached", date(2026, 9, 1))
    resume(run_id, remedy="terminate the contract", detail="Terminated for breach of the plan.",
           effective_on=date(2026, 10, 1), decided_by="S-005")
    wait_for_task(run_id, "approve-termination-1")
    assert "does not hold the role 'director'" in refused(run_id, approve=True, reasons="Agreed.", decided_by="S-005")
    resume(run_id, approve=True, reasons="Agreed.", decided_by="S-003")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert plan("PIP-T-BREACH").remedy == "terminate"
    with transaction() as session:
        assert session.get(Contract, "K-002").status == "terminated"
    assert notice_types("PIP-T-BREACH", "mail")[-2:] == ["pip-breach", "pip-remedy"]


@pytest.mark.rule("13 CSR 35-32.020 (16)")
def test_reminders_go_once_each_even_when_the_sweep_runs_twice_a_day(stack):
    run_id = to_active_plan("PIP-T-REMIND", date(2026, 8, 3), 90)
    deadline = plan("PIP-T-REMIND").deadline
    assert deadline == date(2026, 11, 1)
    for day in (date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 18), date(2026, 10, 18),
                date(2026, 10, 25), date(2026, 10, 25)):
        run_sweep(day)
    reminders = [n for n in notice_types("PIP-T-REMIND") if n == "pip-reminder"]
    assert len(reminders) == 3  # 30, 14 and 7 days before; never twice
    with transaction() as session:
        keys = sorted(session.exec(select(Notice.idempotency_key).where(
            Notice.subject_id == "PIP-T-REMIND", Notice.notice_type == "pip-reminder")).all())
    assert keys == ["pip-reminder:PIP-T-REMIND:14", "pip-reminder:PIP-T-REMIND:30", "pip-reminder:PIP-T-REMIND:7"]
    resume(run_id, outcome="withdrawn by the division", evidence="Outcome met after a data correction.",
           decided_on=date(2026, 10, 26), decided_by="S-005")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert plan("PIP-T-REMIND").status == "withdrawn"


def test_staff_can_start_a_plan_from_a_deployment_run_with_the_contract_and_outcomes(stack):
    from prefect.deployments import run_deployment

    run = run_deployment("practice-improvement-plan/practice-improvement-plan", timeout=0, parameters={
        "plan_id": "PIP-T-UI", "contract_id": "K-003", "outcomes_missed": ["timely permanency"]})
    wait_for_task(str(run.id), "require-plan")
    assert (plan("PIP-T-UI").contract_id, plan("PIP-T-UI").outcomes_missed) == ("K-003", ["timely permanency"])
