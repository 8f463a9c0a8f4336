"""Reminders of a practice improvement plan's deadline, 13 CSR 35-32.020 (16), swept daily."""

from datetime import date, timedelta

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models.improvement_plan import reminder_due
from models.tables import Contract, Contractor, HumanTask, ImprovementPlan, Role, TaskStatus
from tasks.context import settings, transaction
from tasks.human.deadlines import staff_by_role, staff_digest
from tasks.notices.bulk import Outgoing, queue_notices
from tasks.notices.outbox import Recipient, contractor_recipient


PLAN_TASK = "verify-plan"


@task(name="remind-plan-deadlines", cache_policy=NO_CACHE)
def remind_plans(as_of: date) -> int:
    """13 CSR 35-32.020 (16): remind the contractor, and the administrators in a digest, at each configured
    number of days before a plan's deadline; each reminder once (its key names the offset). The reminders are
    queued in bulk: one lookup of the keys queued before, one render and one INSERT for each new one."""
    offsets = tuple(sorted(int(d) for d in settings().plan_reminder_days.split(",") if d.strip()))
    if not offsets:
        return 0
    division = settings().division_name
    with transaction() as session:
        due = session.exec(
            select(HumanTask.id, HumanTask.kind, HumanTask.subject_id, HumanTask.due_date, HumanTask.required_role,
                   HumanTask.flow_run_id, Contract.id.label("contract_id"), Contractor)
            .join(ImprovementPlan, ImprovementPlan.id == HumanTask.subject_id)
            .join(Contract, Contract.id == ImprovementPlan.contract_id)
            .join(Contractor, Contractor.id == Contract.contractor_id)
            .where(HumanTask.status == TaskStatus.open, HumanTask.key == PLAN_TASK,
                   HumanTask.due_date >= as_of, HumanTask.due_date <= as_of + timedelta(days=offsets[-1]))
            .order_by(HumanTask.due_date, HumanTask.id)
        ).all()
        recipients: dict[str, Recipient] = {}
        items = []
        for row in due:
            if row.Contractor.id not in recipients:
                recipients[row.Contractor.id] = contractor_recipient(row.Contractor)
            context = {"division_name": division, "notice_date": as_of.isoformat(), "contract_id": row.contract_id,
                       "plan_id": row.subject_id, "deadline": row.due_date.isoformat(),
                       "days_left": (row.due_date - as_of).days, "reference": row.subject_id}
            items.append(Outgoing("pip-reminder", f"pip-reminder:{row.subject_id}:"
                                  f"{reminder_due(row.due_date, as_of, offsets)}", recipients[row.Contractor.id],
                                  "improvement_plan", row.subject_id, context))
        reminded = {values["subject_id"] for values in queue_notices(session, items)}
        owed = [row for row in due if row.subject_id in reminded]
        if owed:
            for admin in staff_by_role(session)[Role.contract_admin]:
                staff_digest(session, "task-reminder", admin, owed, as_of, tag=f"plans-{as_of.isoformat()}:")
    return len(owed)
