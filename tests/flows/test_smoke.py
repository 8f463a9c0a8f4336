from datetime import date

from tests.flows.conftest import new_review, resume, wait_final, wait_for_task


def test_designee_approves(stack):
    run_id = new_review("HR-SMOKE-1", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    resume(run_id, decision="may provide case management", reasons="Old minor offence.",
           decision_date=date(2026, 11, 3), decided_by="S-001")
    run = wait_final(run_id)
    assert run["state"]["type"] == "COMPLETED"
