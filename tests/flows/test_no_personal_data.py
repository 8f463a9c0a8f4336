"""No personal data in Prefect (docs/architecture.md, "The system of record"): runs, parameters, logs, artifacts,
inputs, descriptions."""

from datetime import date

from tasks.seed import CONTRACTORS, STAFF
from tests.conftest import RUNNER, SERVICE, STAFF_PASSWORD
from tests.workflow import (everything_in_prefects_database, everything_prefect_holds, new_review, refused, resume,
                            run_sweep, wait_final, wait_for_task)

PROSPECT = "Zebulon Quartermaine-Ashby"


def test_names_and_addresses_never_reach_prefect(stack):
    rid = "HR-PII-1"
    run_id = new_review(rid, prospect_name=PROSPECT, as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    refused(run_id, decision="may not provide case management", reasons="History relevant to the duties.",
            decision_date=date(2026, 11, 3), decided_by="S-004")  # a supervisor is no designee
    resume(run_id, decision="may not provide case management", reasons="History relevant to the duties.",
           decision_date=date(2026, 11, 3), decided_by="S-001")
    wait_for_task(run_id, "review-request-1")
    resume(run_id, received_on=date(2026, 12, 20), reasons="Late.", decided_by="S-001")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    run_sweep(date(2026, 11, 16))

    held = everything_prefect_holds() + everything_in_prefects_database()
    assert rid in held and "designee-response" in held  # the dump does cover our runs and forms
    assert "prefect.flow-run." in held  # and the server's events
    names = [PROSPECT, STAFF_PASSWORD, SERVICE[1], RUNNER[1], "argon2"] + [name for _, name, _ in STAFF]
    names += [email for _, _, email, *_ in CONTRACTORS]
    names += [part for name in [PROSPECT] + [n for _, n, _ in STAFF] for part in name.split()]
    leaked = sorted({n for n in names if n.lower() in held.lower()})
    assert leaked == []


def test_hand_up_families_and_incomes_never_reach_prefect(stack):
    from tests.handup_cohort import application, apply, seed_providers

    seed_providers()
    family = application("HU-PII-1", name="Zenobia Quillfeather-Haskins", income="2777.77",
                         email="zenobia.qh@example.org")
    run_id = apply(family)
    wait_for_task(run_id, "approve-enrolment")
    resume(run_id, approve=True, enrolled_on=family.applied_on, decided_by="S-006")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"

    held = everything_prefect_holds() + everything_in_prefects_database()
    assert "HU-PII-1" in held and "approve-enrolment" in held
    private = ["Zenobia", "Quillfeather", "Haskins", "zenobia.qh@example.org", family.address.line1, "2777.77",
               str(family.person_id)]
    assert sorted(p for p in private if p.lower() in held.lower()) == []
