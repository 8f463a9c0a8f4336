"""Removal for non-payment, 13 CSR 35-32.040 (4)(C), (5)-(6): the daily sweep's batch of participants sixty days
unpaid goes to an eligibility supervisor, who approves it, holding any back with a reason; each one removed gets
a notice of adverse action by first-class mail."""

from datetime import date

from prefect import flow
from prefect.artifacts import create_table_artifact

from models.calendar import add_business_days
from models.handup_removal import check_decided_on, parse_holds
from models.tables import OnDue, Role
from tasks.context import current_flow_run_id, division_today, settings
from tasks.handup.forms import ApproveRemovals
from tasks.handup.removal import DEPLOYMENT, load_batch, removal_rows
from tasks.handup.removal_decision import approve_removals, record_removals
from tasks.human import TaskSpec, ask
from tasks.notices import deliver_notices
from tasks.shared_runs import batch_runs, start_helper_runs

DECIDE_DAYS = 2  # business days for the supervisor; the rule sets no limit


@flow(name="handup-removal", flow_run_name="handup-removal-{batch_id}")
def handup_removal(batch_id: str, as_of: date | None = None, runs: int | None = None, helper: bool = False) -> dict:
    """(4)(C): the supervisor approves the batch (or removes no one); record the removals, with their notices
    of adverse action (5), and deliver them; `runs` (default CWA_BATCH_RUNS) runs share the removals over the
    workers (tasks/shared_runs.py), a helper being one of them. Returns the count of each decision."""
    as_of = as_of or division_today()
    batch = load_batch(batch_id, None if helper else current_flow_run_id())
    rows = removal_rows(batch_id)
    shown = rows[:settings().inbox_artifact_rows]
    create_table_artifact(
        key=f"handup-removal-{batch_id.lower()}", table=shown,
        description=f"Hand-Up removal batch `{batch_id}`: {len(rows)} participant(s) whose oldest premium is more "
                    f"than sixty days unpaid (13 CSR 35-32.040 (4)(C))"
                    + (f"; the first {len(shown)} are shown" if len(shown) < len(rows) else ""))
    if batch.status != "proposed" or helper:  # approved: carry it out (a helper, a second run); decided: counts
        counts = record_removals(batch_id)
        deliver_notices()
        return counts
    ids = list(batch.candidates)
    answer = ask(
        TaskSpec(key="approve-removals", kind="approve Hand-Up removals", subject_type="removal_batch",
                 subject_id=batch_id, role=Role.eligibility_supervisor, due=add_business_days(as_of, DECIDE_DAYS),
                 on_due=OnDue.remind),
        ApproveRemovals,
        f"### Hand-Up removal batch `{batch_id}`: remove {len(ids)} participant(s) for non-payment?\n"
        f"Each listed participant's oldest premium was more than sixty days unpaid on {batch.as_of.isoformat()}; "
        "after sixty days of non-payment a participant is permanently removed (13 CSR 35-32.040 (4)(C), (6)). "
        f"The list is the run's artifact `handup-removal-{batch_id.lower()}`. Hold a participant back with one line "
        "'ID: reason'. Each one removed is sent a notice of adverse action with the right to a fair hearing "
        "within ninety days (13 CSR 35-32.040 (5)).",
        validate=lambda a: (parse_holds(a.hold_back, ids), check_decided_on(a.decided_on, batch.as_of)),
        decided_on=division_today(),
    )
    held = parse_holds(answer.hold_back, ids) if answer.approve else dict.fromkeys(ids, answer.reasons)
    approve_removals(batch_id, held, answer.decided_by, answer.decided_on)
    if (more := batch_runs(runs) - 1) > 0:
        start_helper_runs(DEPLOYMENT, {"batch_id": batch_id, "as_of": as_of.isoformat()}, more)
    counts = record_removals(batch_id)
    deliver_notices()
    return counts
