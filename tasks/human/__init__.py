"""The human-task kernel (docs/architecture.md, "Human tasks"): the one way a flow waits for a person, the fields
every form shares, the audit trail, and the recorded step that writes a decision with its audit row.

The deadlines of open tasks (timers, escalations, reminders) are swept by `tasks.human.deadlines`.
"""

from tasks.human.audit import audit
from tasks.human.fields import REASONS, StaffAnswer
from tasks.human.steps import get_record, recorded_step
from tasks.human.wait import DeadlinePassed, TaskSpec, ask

__all__ = ["REASONS", "DeadlinePassed", "StaffAnswer", "TaskSpec", "ask", "audit", "get_record", "recorded_step"]
