"""Reminders of a practice improvement plan's deadline, 13 CSR 35-32.020 (16), swept daily."""

from datetime import date, timedelta

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models.improvement_plan import reminder_due
from models.tables import Contract, Contractor, HumanTask, ImprovementPlan, Role, TaskStatus
from tasks.context import settings, transaction
from tasks.human.deadlines import staff_by_role, staff_digest
from tasks.notices.outbox import contractor_recipient, notify


PLAN_TASK = "verify-plan"


@task(name="remind-plan-deadlines", cache_policy=NO_CACHE)
def remind_plans(as_of: date) -> int:
    """13 CSR 35-32.020 (16): remind the contractor, and the administrators in a digest, at each configured
    number of days before a plan's deadline; each reminder once (its key names the offset)."""
    offsets = tuple(sorted(int(d) for d in settings().plan_reminder_days.split(",") if d.strip()))
    if not offsets:
        return 0
    sent = 0
    with transaction() as session:
        due = session.exec(
            select(HumanTask, Contract, Contractor)
            .join(ImprovementPlan, ImprovementPlan.id == HumanTask.subject_id)
            .join(Contract, Contract.id == ImprovementPlan.contract_id)
            .join(Contractor, Contractor.id == Contract.contractor_id)
            .where(HumanTask.status == TaskStatus.open, HumanTask.key == PLAN_TASK,
                   HumanTask.due_date >= as_of, HumanTask.due_date <= as_of + timedelta(days=offsets[-1]))
        ).all()
        owed = []
        for task_row, contract, contractor in due:
            offset = reminder_due(task_row.due_date, as_of, offsets)
            context = {"division_name": settings().division_name, "notice_date": as_of.isoformat(),
                       "contract_id": contract.id, "plan_id": task_row.subject_id,
                       "deadline": task_row.due_date.isoformat(), "days_left": (task_row.due_date - as_of).days,
                       "reference": task_row.subject_id}
            rows = notify(session, notice_type="pip-reminder", key=f"pip-reminder:{task_row.subject_id}:{offset}",
                          recipient=contractor_recipient(contractor), subject_type="improvement_plan",
                          subject_id=task_row.subject_id, context=context)
            if rows:
                owed.append(task_row)
                sent += 1
        if owed:
            for admin in staff_by_role(session)[Role.contract_admin]:
                staff_digest(session, "task-reminder", admin, owed, as_of, tag=f"plans-{as_of.isoformat()}:")
    return sent
