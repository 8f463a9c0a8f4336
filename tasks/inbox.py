"""The staff inbox: open human tasks and dead-letter notices, for `cwa inbox` and the artifacts staff open in the
Prefect UI (refreshed whenever a task opens or closes, and by the daily sweep)."""

from datetime import date

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func
from sqlmodel import select

from models.tables import HumanTask, Notice, NoticeStatus, TaskStatus
from tasks.context import run_link, settings, transaction


def inbox_rows(as_of: date, limit: int | None = None) -> tuple[int, list[dict]]:
    """Open human tasks, soonest due first: (how many in all, the first `limit`)."""
    with transaction() as session:
        query = select(HumanTask).where(HumanTask.status == TaskStatus.open)
        total = session.exec(select(func.count()).select_from(HumanTask)
                             .where(HumanTask.status == TaskStatus.open)).one()
        rows = session.exec(query.order_by(HumanTask.due_date.is_(None), HumanTask.due_date, HumanTask.id)
                            .limit(limit)).all()
        return total, [
            {"task": r.kind, "subject": r.subject_id, "role": r.required_role,
             "due": r.due_date.isoformat() if r.due_date else "",
             "overdue": "yes" if r.due_date and r.due_date < as_of else "",
             "link": run_link(r.flow_run_id)}
            for r in rows
        ]


def dead_letters(limit: int | None = None) -> list[dict]:
    """Notices that failed for good, with the reason: staff fix the cause, then `cwa requeue`."""
    with transaction() as session:
        rows = session.exec(select(Notice).where(Notice.status == NoticeStatus.failed)
                            .order_by(Notice.id).limit(limit)).all()
        return [{"notice": n.id, "type": n.notice_type, "subject": n.subject_id, "to": n.recipient_id,
                 "channel": n.channel, "reason": (n.last_error or "")[:200]} for n in rows]


def publish_staff_inbox(as_of: date) -> int:
    """The open human tasks as a markdown artifact, overdue first, each row linking to its run (IDs only)."""
    total, rows = inbox_rows(as_of, settings().inbox_artifact_rows)
    lines = [f"Open human tasks on {as_of.isoformat()}: **{total}** in all, overdue and soonest due first"
             + (f" (first {len(rows)} shown; `cwa inbox` lists all)" if total > len(rows) else "") + ".", "",
             "| task | record | waiting for | due | overdue | run |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['task']} | {r['subject']} | {r['role']} | {r['due']} | {r['overdue']} | [open]({r['link']}) |"
              for r in rows] or ["| (no open tasks) | | | | | |"]
    create_markdown_artifact(key="staff-inbox", markdown="\n".join(lines),
                             description="The staff inbox: every task that waits for a person")
    return total


@task(name="publish-staff-inbox", cache_policy=NO_CACHE)
def publish_inbox(as_of: date) -> int:
    """The staff inbox and the dead-letter notices as artifacts (IDs only)."""
    failed = [{k: v for k, v in row.items() if k != "reason"}  # a reason may quote an address
              for row in dead_letters(settings().inbox_artifact_rows)]
    create_table_artifact(key="dead-letter-notices", table=failed or [{"notice": "(none)"}],
                          description=f"Notices that could not be delivered ({len(failed)} shown): "
                                      "`cwa notices` gives the reasons; fix, then `cwa requeue --by STAFF_ID`")
    return publish_staff_inbox(as_of)
