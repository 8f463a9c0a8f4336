"""Deadlines of human tasks, swept in sets (docs/architecture.md, "Sweeps"): timers, escalations, reminders.

Each step selects with SQL, writes in bulk per batch, and changes nothing when run again for the same as_of.
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime, timezone
from uuid import UUID

from prefect import get_client, get_run_logger, task
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.cache_policies import NO_CACHE
from prefect.states import Scheduled
from sqlalchemy import String, func, insert, literal, or_, update
from sqlmodel import Session, select

from models.calendar import add_business_days
from models.tables import AuditEvent, HumanTask, OnDue, Role, Staff, StaffRole, TaskStatus
from tasks.context import current_flow_run_id, run_link, settings, transaction
from tasks.human.wait import WAITING
from tasks.notices.outbox import Recipient, notify

BATCH = 5000


_TASK, _AUDIT = HumanTask.__table__, AuditEvent.__table__
# what a step needs of a task it takes: its audit row and the digest's lines
_TAKEN = (_TASK.c.id, _TASK.c.key, _TASK.c.kind, _TASK.c.subject_type, _TASK.c.subject_id, _TASK.c.due_date,
          _TASK.c.required_role, _TASK.c.flow_run_id)


def _audit(session: Session, rows, action: str, rule: str, as_of: date) -> None:
    """The audit rows of the tasks taken, written by the database in one INSERT ... SELECT (the detail built as
    JSON there: shipping thousands of rows from Python cost more than the sweep's own changes)."""
    json = func.json_object if session.get_bind().dialect.name == "sqlite" else func.json_build_object
    detail = json("task_id", _TASK.c.id, "key", _TASK.c.key, "due", _TASK.c.due_date, "as_of", as_of.isoformat())
    audited = select(literal(datetime.now(timezone.utc)), literal("deadline-sweep"), literal(action),
                     _TASK.c.subject_type, _TASK.c.subject_id, literal(rule),
                     literal(current_flow_run_id(), String), detail)
    session.execute(insert(_AUDIT).from_select(
        ["at", "actor", "action", "subject_type", "subject_id", "rule", "flow_run_id", "detail"],
        audited.where(_TASK.c.id.in_([r.id for r in rows])).order_by(_TASK.c.due_date, _TASK.c.id)))


def _take(session: Session, changes: dict, *conditions) -> list:
    """Take up to BATCH open tasks meeting the conditions, soonest due first, and write `changes` on them in one
    statement: WITH chosen AS MATERIALIZED (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ... FROM chosen RETURNING.
    Workers sharing a PostgreSQL database split the work (SQLite has one writer); the CTE is evaluated once, so the
    LIMIT holds whatever plan the database picks. Returns the tasks taken, in due order."""
    chosen = (select(_TASK.c.id).where(_TASK.c.status == TaskStatus.open, *conditions)
              .order_by(_TASK.c.due_date, _TASK.c.id).limit(BATCH).with_for_update(skip_locked=True)
              .cte("chosen").prefix_with("MATERIALIZED"))
    rows = session.execute(update(_TASK).where(_TASK.c.id == chosen.c.id).values(**changes)
                           .returning(*_TAKEN)).all()
    return sorted(rows, key=lambda r: (r.due_date, r.id))


def _no_answer_in_flight():
    """A task whose answer the sign-in layer has bound and Prefect accepted is being answered: its run is on its
    way to record the answer, which was given before the timer fired, so the timer does not fire."""
    return or_(HumanTask.claimed_by.is_(None), HumanTask.claim_key.is_(None),
               HumanTask.claim_key != HumanTask.pause_key)


@task(name="fire-deadline-timers", cache_policy=NO_CACHE)
def fire_timers(as_of: date) -> list[str]:
    """Close timer tasks past due; return every run whose timer fired and that is not resumed yet."""
    while True:
        with transaction() as session:
            rows = _take(session, {"status": TaskStatus.deadline_passed, "closed_at": datetime.now(timezone.utc)},
                         HumanTask.on_due == OnDue.timer, HumanTask.due_date < as_of, _no_answer_in_flight())
            if not rows:
                break
            _audit(session, rows, "human_task.deadline_passed", "human task deadline (timer)", as_of)
    with transaction() as session:
        return list(session.exec(select(HumanTask.flow_run_id).where(
            HumanTask.status == TaskStatus.deadline_passed, HumanTask.resumed_at.is_(None))).all())


@task(name="resume-timed-out-runs", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
def resume_runs(flow_run_ids: list[str]) -> int:
    """Reschedule each suspended run so it re-enters its flow and meets the deadline event; it no longer waits
    for a person, so its `awaiting:` tag goes."""
    resumed, found = 0, set()
    with get_client(sync_client=True) as client:
        for start in range(0, len(flow_run_ids), 200):
            chunk = [UUID(run_id) for run_id in flow_run_ids[start:start + 200]]
            runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=chunk)),
                                         limit=len(chunk))
            for run in runs:
                found.add(str(run.id))
                if run.state and run.state.is_paused():
                    client.set_flow_run_state(run.id, Scheduled(name="Resuming"))
                    client.update_flow_run(run.id, tags=[t for t in run.tags if not t.startswith(WAITING)])
                    resumed += 1
    gone = len(set(flow_run_ids) - found)  # vacuumed from Prefect's history: our record says why
    with transaction() as session:
        session.exec(update(HumanTask).where(HumanTask.flow_run_id.in_(flow_run_ids),
                                             HumanTask.status == TaskStatus.deadline_passed)
                     .values(resumed_at=datetime.now(timezone.utc)))
    if gone:
        get_run_logger().warning("%d timed-out run(s) no longer exist in Prefect; their tasks stay closed", gone)
    return resumed


def _task_lines(rows: list) -> list[dict]:
    return [{"kind": r.kind, "subject_id": r.subject_id, "due_date": r.due_date.isoformat(),
             "role": r.required_role, "link": run_link(r.flow_run_id)} for r in rows]


def staff_by_role(session: Session) -> dict[str, list[Staff]]:
    found: dict[str, list[Staff]] = defaultdict(list)
    for staff, role in session.exec(select(Staff, StaffRole.role).join(StaffRole).where(Staff.active)).all():
        found[role].append(staff)
    return found


def staff_digest(session: Session, notice_type: str, staff: Staff, rows: list, as_of: date,
            tag: str = "") -> None:
    ids = tag + ",".join(str(r.id) for r in rows)
    key = f"{notice_type}:{staff.id}:{hashlib.sha256(ids.encode()).hexdigest()[:20]}"
    recipient = Recipient(type="staff", id=staff.id, name=staff.full_name, email=staff.email,
                          email_opt_in=True, postal=None)
    notify(session, notice_type=notice_type, key=key, recipient=recipient, subject_type="staff",
           subject_id=staff.id, context={"division_name": settings().division_name,
                                         "notice_date": as_of.isoformat(), "count": len(rows),
                                         "tasks": _task_lines(rows)})


@task(name="escalate-overdue-tasks", cache_policy=NO_CACHE)
def escalate_overdue(as_of: date) -> int:
    """(7)(C)2.C: a review not scheduled by the third business day goes to the supervisors."""
    total = 0
    while True:
        with transaction() as session:
            rows = _take(session, {"escalated_on": as_of}, HumanTask.on_due == OnDue.escalate,
                         HumanTask.due_date < as_of, HumanTask.escalated_on.is_(None))
            if not rows:
                return total
            _audit(session, rows, "human_task.escalated", "13 CSR 35-32.020 (7)(C)2.C", as_of)
            for supervisor in staff_by_role(session)[Role.supervisor]:
                staff_digest(session, "task-escalation", supervisor, rows, as_of)
            total += len(rows)


@task(name="remind-due-tasks", cache_policy=NO_CACHE)
def remind_due(as_of: date) -> int:
    """Remind the staff who hold a task's role when it falls due within the reminder window."""
    horizon = add_business_days(as_of, settings().reminder_business_days)
    total = 0
    while True:
        with transaction() as session:
            rows = _take(session, {"reminded_on": as_of}, HumanTask.due_date >= as_of, HumanTask.due_date <= horizon,
                         HumanTask.reminded_on.is_(None))
            if not rows:
                return total
            by_role: dict[str, list] = defaultdict(list)
            for r in rows:
                by_role[r.required_role].append(r)
            staff = staff_by_role(session)
            for role, role_rows in by_role.items():
                for person in staff[role]:
                    staff_digest(session, "task-reminder", person, role_rows, as_of)
            total += len(rows)
