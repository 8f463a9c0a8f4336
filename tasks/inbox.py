"""The staff inbox: open human tasks and dead-letter notices, for `cwa inbox` and the sweep's table artifacts."""

from datetime import date

from prefect import task
from prefect.artifacts import create_table_artifact
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
        rows = session.exec(query.order_by(HumanTask.due_date, HumanTask.id).limit(limit)).all()
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


@task(name="publish-staff-inbox", cache_policy=NO_CACHE)
def publish_inbox(as_of: date) -> int:
    """The open human tasks and the dead-letter notices as table artifacts (IDs only)."""
    failed = [{k: v for k, v in row.items() if k != "reason"}  # a reason may quote an address
              for row in dead_letters(settings().inbox_artifact_rows)]
    create_table_artifact(key="dead-letter-notices", table=failed or [{"notice": "(none)"}],
                          description=f"Notices that could not be delivered ({len(failed)} shown): "
                                      "`cwa notices` gives the reasons; fix, then `cwa requeue --by STAFF_ID`")
    total, rows = inbox_rows(as_of, settings().inbox_artifact_rows)
    create_table_artifact(
        key="staff-inbox", table=rows or [{"task": "(no open tasks)"}],
        description=f"Open human tasks on {as_of.isoformat()}: {total} in all, soonest due first"
                    + (f" (first {len(rows)} shown; `cwa inbox` lists all)" if total > len(rows) else ""),
    )
    return total
