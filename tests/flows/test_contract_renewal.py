"""The annual contract renewal on a real Prefect server (13 CSR 35-32.020 (13)-(16), 35-32.030 (5)-(6)): seven
contractors with 5,000 children each and twelve months of case data; the sweep starts every renewal ahead of
the year's end; one contractor's review reports a programming error, the others let the window pass; the
administrator recommends and the director decides: renew, renew with a plan (which starts that workflow),
renew with a reduced caseload, do not renew. The contract year is 2023-10-01 to 2024-09-30, apart from every
other test's dates."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from flows.cli import app

from models.tables import Contract, ContractTerms, ImprovementPlan, Notice, Renewal
from tasks.context import transaction
from tasks.renewal.case_data import import_case_data
from tasks.renewal.synthetic import synthetic_contract_year
from tests.stack import wait_until
from tests.workflow import (everything_in_prefects_database, everything_prefect_holds, refused, resume, run_sweep,
                            wait_final, wait_for_task)

YEAR_START, YEAR_END = date(2023, 10, 1), date(2024, 9, 30)
SWEEP_DAY = date(2024, 8, 20)  # within 45 days of the year's end
CONTRACTS = [f"R-0{n}" for n in range(1, 8)]
DECISIONS = {"R-01": "renew", "R-02": "renew with a practice improvement plan",
             "R-03": "renew with a reduced caseload", "R-04": "do not renew"}
ADMIN, DIRECTOR = "S-005", "S-003"


def seed_contracts() -> None:
    with transaction() as session:
        for n, contract_id in enumerate(CONTRACTS):
            session.merge(Contract(id=contract_id, contractor_id=f"C-00{n % 3 + 1}", region="St. Louis",
                                   starts_on=YEAR_START, ends_on=date(2026, 9, 30)))
            if not session.exec(select(ContractTerms).where(ContractTerms.contract_id == contract_id)).first():
                session.add(ContractTerms(
                    contract_id=contract_id, year_start=YEAR_START, year_end=YEAR_END, cases_awarded=4000,
                    monthly_rate=Decimal("1850.00"), safety_target=Decimal("98.00"), reentry_target=Decimal("90.00"),
                    permanency_target=Decimal("60.00") if contract_id == "R-02" else Decimal("20.00"),
                    region_county_permanency=Decimal("26.00"), region_contractor_permanency=Decimal("24.10"),
                    allowable_reentries=30, appropriation=Decimal("900000.00"), recorded_by="test"))
    for n, contract_id in enumerate(CONTRACTS):
        for kind, text in synthetic_contract_year(contract_id, children=5000, year_start=YEAR_START,
                                                  seed=n).items():
            with transaction() as session:
                import_case_data(session, kind=kind, stream=io.StringIO(text), actor="test")


def renewal(contract_id: str) -> Renewal:
    with transaction() as session:
        return session.get(Renewal, f"RN-{contract_id}-{YEAR_START}")


def letters(contract_id: str) -> list[str]:
    with transaction() as session:
        return list(session.exec(select(Notice.notice_type).where(
            Notice.subject_id == f"RN-{contract_id}-{YEAR_START}", Notice.channel == "mail").order_by(Notice.id)))


@pytest.mark.rule("13 CSR 35-32.020 (13)", "13 CSR 35-32.020 (15)", "13 CSR 35-32.020 (16)",
                  "13 CSR 35-32.030 (6)(B)")
def test_seven_contracts_renewed_through_review_correction_and_decision(stack):
    seed_contracts()
    assert run_sweep(SWEEP_DAY, timeout=120)["state"]["type"] == "COMPLETED"
    runs = {c: renewal(c).flow_run_id for c in CONTRACTS}
    assert all(runs.values())
    for contract_id, run_id in runs.items():
        wait_for_task(run_id, "record-corrections", timeout=120)
        assert letters(contract_id) == ["renewal-preliminary"]
        assert renewal(contract_id).review_closes_on == date(2024, 9, 4)

    # (15): R-01's review finds a programming error, which the division corrects; the rest let the window pass
    resume(runs["R-01"], correction="a programming error the contractor identified, corrected by the division",
           description="Exits coded 'other' for two children (IDs in the ticket) were adoptions.",
           received_on=date(2024, 8, 30), decided_by=ADMIN)
    assert run_sweep(date(2024, 9, 5), timeout=120)["state"]["type"] == "COMPLETED"

    for contract_id, run_id in runs.items():
        wait_for_task(run_id, "recommend-renewal", timeout=120)
        decision = DECISIONS.get(contract_id, "renew")
        resume(run_id, recommendation=decision, reduced_cases=3000 if contract_id == "R-03" else 0,
               reasons="On the final outcomes report.", decided_by=ADMIN)
        wait_for_task(run_id, "decide-renewal")
        assert "does not hold the role 'director'" in refused(
            run_id, decision=decision, reduced_cases=0, reasons="Agreed.", decided_by=ADMIN)
        resume(run_id, decision=decision, reduced_cases=3000 if contract_id == "R-03" else 0,
               reasons="Agreed with the recommendation.", decided_by=DIRECTOR)
        if decision != "do not renew":
            wait_for_task(run_id, "next-year-terms")
            resume(run_id, cases_awarded=3000 if contract_id == "R-03" else 4000, monthly_rate="1900.00",
                   permanency_target="21.00", safety_target="98.00", reentry_target="90.00",
                   region_county_permanency="26.50", region_contractor_permanency="24.40", allowable_reentries=30,
                   appropriation="900000.00", decided_by=ADMIN)
        assert wait_final(run_id, timeout=120)["state"]["type"] == "COMPLETED"

    with transaction() as session:
        next_year = {t.contract_id: t for t in session.exec(select(ContractTerms).where(
            ContractTerms.year_start == date(2024, 10, 1), ContractTerms.contract_id.in_(CONTRACTS)))}
        contracts = {c.id: c for c in session.exec(select(Contract).where(Contract.id.in_(CONTRACTS)))}
        plan = session.exec(select(ImprovementPlan).where(ImprovementPlan.contract_id == "R-02")).one()
    assert set(next_year) == set(CONTRACTS) - {"R-04"} and next_year["R-03"].cases_awarded == 3000
    assert contracts["R-04"].status == "not_renewed" and contracts["R-03"].caseload_reduced_on == date(2024, 10, 1)
    assert plan.outcomes_missed == ["Permanency within 12 months"]  # the target of 60% was missed
    wait_for_task(_plan_run(plan.id), "require-plan")  # (16): the plan's workflow started

    for contract_id in CONTRACTS:
        r = renewal(contract_id)
        assert r.status == "decided" and r.final["version"] == "final" and Path(r.report_path).is_file()
        assert r.final["inputs"]["children"] == 5000 and len(r.final["incentive"]["months"]) == 12
        assert letters(contract_id) == ["renewal-preliminary", "renewal-decision"]
    assert [c["kind"] for c in renewal("R-01").corrections] == ["programming_error"]
    assert renewal("R-02").decision == "renew_with_plan" and renewal("R-02").plan_id == plan.id

    status = CliRunner().invoke(app, ["renewal", "status", f"RN-R-02-{YEAR_START}"])
    shown = " ".join(status.output.split())
    assert status.exit_code == 0 and "decision renew_with_plan" in shown and "report:" in shown

    held = everything_prefect_holds() + everything_in_prefects_database()
    assert "renewal-report-rn-r-01" in held and "R-01-C00001" not in held  # IDs of children stay out of Prefect


def _plan_run(plan_id: str) -> str:
    def started():
        with transaction() as session:
            return session.get(ImprovementPlan, plan_id).flow_run_id
    return wait_until(started, 60, f"the run of plan {plan_id} to start")
