"""Daily deadline sweep (DESIGN.md §4.5, §6): timers, escalations, reminders, delivery, the staff inbox."""

from datetime import date

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from tasks.context import division_today
from tasks.outbox import deliver_notices, recover_stale_notices
from tasks.sweep import escalate_overdue, fire_timers, publish_inbox, remind_due, remind_plans, resume_runs


@flow(name="deadline-sweep", flow_run_name="deadline-sweep-{as_of}")
def deadline_sweep(as_of: date | None = None) -> dict[str, int]:
    """Run every deadline rule for as_of; running it twice for the same day sends nothing twice."""
    as_of = as_of or division_today()
    progress = create_progress_artifact(0.0, description=f"Deadline sweep for {as_of.isoformat()}")
    summary: dict[str, int] = {}
    fired = fire_timers(as_of)
    summary["deadlines passed (runs resumed)"] = resume_runs(fired)
    update_progress_artifact(progress, 25.0)
    summary["tasks escalated"] = escalate_overdue(as_of)
    update_progress_artifact(progress, 50.0)
    summary["tasks reminded"] = remind_due(as_of)
    summary["plan reminders"] = remind_plans(as_of)
    update_progress_artifact(progress, 75.0)
    summary.update({f"outbox: {k}": v for k, v in recover_stale_notices(as_of).items()})
    summary.update({f"notices {k}": v for k, v in deliver_notices().items()})
    summary["open tasks"] = publish_inbox(as_of)
    update_progress_artifact(progress, 100.0)
    create_markdown_artifact(
        key="deadline-sweep-summary",
        markdown="| step | count |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in summary.items()),
        description=f"Deadline sweep summary for {as_of.isoformat()}",
    )
    return summary
