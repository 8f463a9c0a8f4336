"""Serve every deployment with its schedule from one process (the embedded stack, DESIGN.md §8)."""

import os

os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import serve  # noqa: E402
from prefect.client.schemas.schedules import CronSchedule  # noqa: E402

from flows.deadline_sweep import deadline_sweep  # noqa: E402
from flows.hiring_review import hiring_exclusion_review  # noqa: E402
from tasks.context import settings  # noqa: E402

SWEEP_CRON = "0 6 * * *"  # every day at 06:00 in the division's time zone


def deployments():
    tz = settings().timezone
    return [
        hiring_exclusion_review.to_deployment(name="hiring-exclusion-review",
                                              tags=["13-CSR-35-32.020"]),
        deadline_sweep.to_deployment(name="deadline-sweep",
                                     schedules=[CronSchedule(cron=SWEEP_CRON, timezone=tz)]),
    ]


def main() -> None:
    serve(*deployments(), limit=int(os.environ.get("CWA_RUNNER_LIMIT", "8")))


if __name__ == "__main__":
    main()
