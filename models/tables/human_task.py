"""Human tasks: what a flow waits for, of whom, by when (docs/architecture.md, "Human tasks")."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.core import timestamp, utcnow


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    deadline_passed = "deadline_passed"


class OnDue(StrEnum):
    """What the sweep does when a human task's due date passes (docs/architecture.md, "Sweeps")."""

    remind = "remind"  # reminder only
    escalate = "escalate"  # notice to a supervisor, task stays open
    timer = "timer"  # resume the flow with the deadline event


class HumanTask(SQLModel, table=True):
    __tablename__ = "human_task"
    __table_args__ = (UniqueConstraint("flow_run_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    flow_run_id: str = Field(max_length=36, index=True)
    key: str = Field(max_length=64)
    kind: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64, index=True)
    required_role: str = Field(max_length=32)
    due_date: date | None = Field(default=None, index=True)
    on_due: str = Field(default=OnDue.remind, max_length=16)
    status: str = Field(default=TaskStatus.open, max_length=16, index=True)
    pause_key: str = Field(max_length=80)
    attempts: int = 0
    last_error: str | None = None
    excluded_staff_id: str | None = Field(default=None, max_length=32)
    decided_by: str | None = Field(default=None, max_length=32)
    decision: dict | None = Field(default=None, sa_column=Column(JSON))
    opened_at: datetime = timestamp(nullable=False, default=utcnow)
    closed_at: datetime | None = timestamp(nullable=True)
    reminded_on: date | None = None
    escalated_on: date | None = None
    resumed_at: datetime | None = timestamp(nullable=True)
    # Who signed in and resumed the run for this pause key: written by the sign-in layer, read by the flow.
    claim_key: str | None = Field(default=None, max_length=80)
    claimed_by: str | None = Field(default=None, max_length=32)
    claimed_via: str | None = Field(default=None, max_length=16)
    claimed_from: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = timestamp(nullable=True)
