"""Daily deadline sweep (DESIGN.md §4.5, §6): timers, escalations, reminders, delivery, the staff inbox."""

from datetime import date

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, create_table_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE

from tasks.context import division_today, settings
from tasks.delivery import deliver_notices
from tasks.sweep import escalate_overdue, fire_timers, inbox_rows, remind_due, resume_runs


@task(name="publish-staff-inbox", cache_policy=NO_CACHE)
def publish_inbox(as_of: date) -> int:
    """The open human tasks as a table artifact: task, role, due date, link to the run."""
    total, rows = inbox_rows(as_of, settings().inbox_artifact_rows)
    create_table_artifact(
        key="staff-inbox", table=rows or [{"task": "(no open tasks)"}],
        description=f"Open human tasks on {as_of.isoformat()}: {total} in all, soonest due first"
                    + (f" (first {len(rows)} shown; `cwa inbox` lists all)" if total > len(rows) else ""),
    )
    return total


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
    update_progress_artifact(progress, 75.0)
    summary.update({f"notices {k}": v for k, v in deliver_notices().items()})
    summary["open tasks"] = publish_inbox(as_of)
    update_progress_artifact(progress, 100.0)
    create_markdown_artifact(
        key="deadline-sweep-summary",
        markdown="| step | count |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in summary.items()),
        description=f"Deadline sweep summary for {as_of.isoformat()}",
    )
    return summary
