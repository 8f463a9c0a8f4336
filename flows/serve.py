"""Serve every deployment with its schedule from one process (the embedded stack, docs/operations.md)."""

import asyncio
import os

os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect.runner import Runner  # noqa: E402
from prefect.client.schemas.schedules import CronSchedule  # noqa: E402

from flows.contract_renewal import contract_renewal  # noqa: E402
from flows.deadline_sweep import deadline_sweep  # noqa: E402
from flows.handup_billing import BILLING_CRON, handup_billing  # noqa: E402
from flows.handup_enrolment import handup_enrolment  # noqa: E402
from flows.handup_hearing import handup_hearing  # noqa: E402
from flows.handup_removal import handup_removal  # noqa: E402
from flows.hiring_review import hiring_exclusion_review  # noqa: E402
from flows.improvement_plan import practice_improvement_plan  # noqa: E402
from flows.outbox_delivery import EVERY_SECONDS, outbox_delivery  # noqa: E402
from flows.forkserver import start_runs_from_a_forkserver  # noqa: E402
from tasks.context import settings  # noqa: E402

SWEEP_CRON = "0 6 * * *"  # every day at 06:00 in the division's time zone


def main() -> None:
    """Register every flow with one runner and run their scheduled and resumed runs."""
    if os.environ.get("CWA_FORKSERVER", "1") == "1":
        start_runs_from_a_forkserver()
    runner = Runner(limit=int(os.environ.get("CWA_RUNNER_LIMIT", "8")), pause_on_shutdown=False,
                    query_seconds=float(os.environ.get("CWA_RUNNER_QUERY_SECONDS", "0.25")))
    runner.add_flow(hiring_exclusion_review, name="hiring-exclusion-review", tags=["13-CSR-35-32.020"])
    runner.add_flow(practice_improvement_plan, name="practice-improvement-plan", tags=["13-CSR-35-32.020"])
    runner.add_flow(contract_renewal, name="contract-renewal", tags=["13-CSR-35-32.020", "13-CSR-35-32.030"])
    runner.add_flow(handup_enrolment, name="handup-enrolment", tags=["13-CSR-35-32.040"])
    runner.add_flow(handup_hearing, name="handup-hearing", tags=["13-CSR-35-32.040"])
    runner.add_flow(handup_removal, name="handup-removal", tags=["13-CSR-35-32.040"])
    runner.add_flow(handup_billing, name="handup-billing", tags=["13-CSR-35-32.040"],
                    schedules=[CronSchedule(cron=BILLING_CRON, timezone=settings().timezone)])
    runner.add_flow(outbox_delivery, name="outbox-delivery", interval=EVERY_SECONDS)
    runner.add_flow(deadline_sweep, name="deadline-sweep",
                    schedules=[CronSchedule(cron=SWEEP_CRON, timezone=settings().timezone)])
    asyncio.run(runner.start())


if __name__ == "__main__":
    main()
