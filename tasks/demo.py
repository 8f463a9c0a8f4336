"""Sample reviews and plans waiting at each kind of human task, for `cwa seed-demo` (fictional people)."""

import time
from datetime import date, timedelta
from uuid import UUID

from prefect.flow_runs import resume_flow_run
from sqlmodel import select

from models.intake import OffenceIn, ScreeningResult
from models.tables import HiringReview, HumanTask, ImprovementPlan, TaskStatus
from tasks.context import division_today, transaction
from tasks.intake import start_review_run, store_screening

DENY = {"decision": "may not provide case management", "reasons": "History relevant to the duties (demo)."}
ASSAULT = OffenceIn(category="violent_or_sexual", level="misdemeanor", offence_date=date(2012, 3, 4))
OLD_DRUG = OffenceIn(category="drug_related", level="felony", offence_date=date(2015, 6, 1))


def wait_for_human_task(run_id: str, key: str, timeout: float = 120) -> None:
    """Until the run is suspended at the open human task `key`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with transaction() as session:
            row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                       HumanTask.key == key)).first()
        if row and row.status == TaskStatus.open:
            from prefect import get_client

            with get_client(sync_client=True) as client:
                state = client.read_flow_run(UUID(run_id)).state
            if state.is_paused() and state.state_details.pause_key == row.pause_key:
                return
        time.sleep(0.5)
    raise TimeoutError(f"run {run_id} did not reach {key}; is the runner serving (make up)?")


def _answer(run_id: str, key: str, answer: dict) -> None:
    wait_for_human_task(run_id, key)
    resume_flow_run(UUID(run_id), run_input={k: v.isoformat() if isinstance(v, date) else v for k, v in answer.items()})


def seed_demo_reviews(report=print) -> list[str]:
    """Start the demo reviews and answer tasks until each waits where the demo wants it."""
    today = division_today()
    decided, received = today - timedelta(days=6), today - timedelta(days=1)
    steps = [
        ("designee-response", DENY | {"decision_date": decided, "decided_by": "S-001"}),
        ("review-request-1", {"received_on": received, "reasons": "Rehabilitation since 2015.",
                              "decided_by": "S-002"}),
        ("schedule-review-1", {"review_date": today + timedelta(days=1), "review_time": "10:00",
                               "place": "Room 210, 615 Howerton Ct, Jefferson City", "scheduled_on": today,
                               "decided_by": "S-002"}),
        ("review-held-1", {"outcome": "held: recommend the director affirm",
                           "reasons": "No new information (demo).", "decided_by": "S-001"}),
    ]
    plan = [("HR-DEMO-01", [ASSAULT], 0), ("HR-DEMO-02", [OLD_DRUG], 0), ("HR-DEMO-03", [OLD_DRUG], 1),
            ("HR-DEMO-04", [OLD_DRUG], 2), ("HR-DEMO-05", [OLD_DRUG], 3), ("HR-DEMO-06", [OLD_DRUG], 4)]
    started = []
    for n, (review_id, offences, answered) in enumerate(plan, start=1):
        screening = ScreeningResult(
            review_id=review_id, contractor_id=f"C-00{1 + n % 3}", prospect_id=f"P-90{n}",
            prospect_name=f"Demo Applicant {n}", screened_on=decided, offences=offences,
            release_authorization=True)
        if _seed_one(HiringReview, review_id, lambda session, r=screening: store_screening(session, r, "seed-demo"),
                     start_review_run, steps[:answered], report):
            started.append(review_id)
    return started


def _seed_one(model, record_id: str, store, start, answers, report) -> bool:
    """Store a record unless it exists, start its run, and answer its first tasks; False if it existed."""
    with transaction() as session:
        if session.get(model, record_id):
            report(f"{record_id} exists already: skipped")
            return False
        store(session)
    run_id = start(record_id)
    for key, answer in answers:
        _answer(run_id, key, answer)
    report(f"{record_id}: run {run_id}")
    return True


def seed_demo_plans(report=print) -> list[str]:
    """Practice improvement plans waiting at each of their human tasks."""
    from tasks.plan_intake import open_plan, start_plan_run

    today = division_today()
    steps = [
        ("require-plan", {"require": True, "reasons": "Placement stability below the contract goal (demo).",
                          "decided_by": "S-005"}),
        ("record-plan", {"reasons_not_achieved": "Caseworker turnover (demo).",
                         "steps": "Hire two supervisors; weekly case reviews.",
                         "responsible": "A. Reyes, program director", "timeframe_days": 90,
                         "effective_on": today, "decided_by": "S-005"}),
    ]
    started = []
    for answered, (plan_id, contract) in enumerate((("PIP-DEMO-01", "K-001"), ("PIP-DEMO-02", "K-002"),
                                                    ("PIP-DEMO-03", "K-003"))):
        def store(session, plan_id=plan_id, contract=contract):
            open_plan(session, plan_id=plan_id, contract_id=contract, outcomes=["placement stability"],
                      actor="seed-demo")

        if _seed_one(ImprovementPlan, plan_id, store, start_plan_run, steps[:answered], report):
            started.append(plan_id)
    return started
