"""Daily deadline sweep (docs/architecture.md, "Sweeps"): timers, escalations, reminders, the staff inbox; the
notices it queues are delivered by an outbox-delivery run it starts."""

from datetime import date
from time import perf_counter

from prefect import flow
from prefect.futures import PrefectFuture
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from flows.outbox_delivery import DEPLOYMENT as DELIVERY
from tasks.audit_chain import seal_chain
from tasks.context import division_today
from tasks.handup.removal import start_removals
from tasks.human.deadlines import escalate_overdue, fire_timers, remind_due, resume_runs
from tasks.inbox import publish_inbox
from tasks.notices import recover_stale_notices, request_delivery
from tasks.plans.reminders import remind_plans
from tasks.renewal.schedule import start_due_renewals

PROGRESS_AFTER = 0.5  # seconds: the progress artifact moves after a step that took this long, and at the end


@flow(name="deadline-sweep", flow_run_name="deadline-sweep-{as_of}")
def deadline_sweep(as_of: date | None = None) -> dict[str, dict[str, float]]:
    """Run every deadline rule for as_of; running it twice for the same day sends nothing twice.
    Returns the counts of each step and the seconds it took (also published as artifacts)."""
    as_of = as_of or division_today()
    steps = [
        ("deadlines passed (runs resumed)", lambda: resume_runs(fire_timers(as_of))),
        ("tasks escalated", lambda: escalate_overdue(as_of)),
        ("tasks reminded", lambda: remind_due(as_of)),
        ("plan reminders", lambda: remind_plans(as_of)),
        ("Hand-Up removals", lambda: start_removals(as_of)),
        ("contract renewals", lambda: start_due_renewals(as_of)),
        ("outbox", lambda: recover_stale_notices(as_of)),
        ("notices", lambda: request_delivery.submit(DELIVERY)),  # created while the steps below run
        ("open tasks", lambda: publish_inbox(as_of)),
        ("audit chain", lambda: {"rows sealed": seal_chain()}),  # last: it seals the rows the steps above wrote
    ]
    progress = create_progress_artifact(0.0, description=f"Deadline sweep for {as_of.isoformat()}")
    counts: dict[str, float] = {}
    seconds: dict[str, float] = {}
    delivery = None
    for done, (label, step) in enumerate(steps, start=1):
        started = perf_counter()
        result = step()
        if isinstance(result, PrefectFuture):  # the delivery run: its count once it is created
            delivery, result = result, {}
        seconds[label] = round(perf_counter() - started, 2)
        counts.update({f"{label}: {k}": v for k, v in result.items()} if isinstance(result, dict) else {label: result})
        if seconds[label] >= PROGRESS_AFTER or done == len(steps):  # an API call: not after each quick step
            update_progress_artifact(progress, 100.0 * done / len(steps))
    started = perf_counter()
    counts["notices: delivery run started"] = 1 if delivery.result() else 0
    seconds["notices"] = round(seconds["notices"] + perf_counter() - started, 2)
    create_markdown_artifact(
        key="deadline-sweep-summary",
        markdown="| step | count |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in counts.items())
        + "\n\n| step | seconds |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in seconds.items()),
        description=f"Deadline sweep summary for {as_of.isoformat()}",
    )
    return {"counts": counts, "seconds": seconds}
