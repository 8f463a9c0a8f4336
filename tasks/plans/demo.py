"""Sample practice improvement plans waiting at each of their human tasks, for `cwa seed-demo`."""

from models.tables import ImprovementPlan
from tasks.context import division_today
from tasks.demo import seed_one
from tasks.plans.intake import open_plan, start_plan_run


def seed_demo_plans(report=print) -> list[str]:
    """Practice improvement plans waiting at each of their human tasks."""
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

        if seed_one(ImprovementPlan, plan_id, store, start_plan_run, steps[:answered], report):
            started.append(plan_id)
    return started
