"""SQLModel tables: the system of record (DESIGN.md §3). Alembic creates them; create_all only in tests."""

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ts(**kw: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), **kw))


class Role(StrEnum):
    designee = "designee"
    director = "director"
    supervisor = "supervisor"
    contract_admin = "contract_admin"
    eligibility_worker = "eligibility_worker"
    eligibility_supervisor = "eligibility_supervisor"
    hearing_officer = "hearing_officer"


class Staff(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    full_name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    active: bool = True


class StaffRole(SQLModel, table=True):
    __tablename__ = "staff_role"
    staff_id: str = Field(foreign_key="staff.id", primary_key=True, max_length=32)
    role: str = Field(primary_key=True, max_length=32)


class Contractor(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    city: str = Field(max_length=100)
    state: str = Field(max_length=2)
    zip_code: str = Field(max_length=10)
    email_opt_in: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})


class AuditEvent(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(nullable=False, default=utcnow)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64, index=True)
    rule: str = Field(default="", max_length=64)
    flow_run_id: str | None = Field(default=None, max_length=36)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    deadline_passed = "deadline_passed"


class OnDue(StrEnum):
    """What the sweep does when a human task's due date passes (DESIGN.md §4.5)."""

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
    opened_at: datetime = _ts(nullable=False, default=utcnow)
    closed_at: datetime | None = _ts(nullable=True)
    reminded_on: date | None = None
    escalated_on: date | None = None
    resumed_at: datetime | None = _ts(nullable=True)


class NoticeStatus(StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"  # email accepted by the SMTP server; letter accepted by the print-and-mail service
    batched = "batched"  # letter in a mailroom batch, waiting for the mailroom to confirm it was mailed
    mailed = "mailed"
    delivered = "delivered"
    failed = "failed"  # dead letter: staff fix the cause and re-queue


class Channel(StrEnum):
    email = "email"
    mail = "mail"


class Notice(SQLModel, table=True):
    """The outbox (DESIGN.md §7): written with the decision, delivered exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    notice_type: str = Field(max_length=64)
    recipient_type: str = Field(max_length=32)
    recipient_id: str = Field(max_length=64)
    address: str = Field(max_length=254)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64, index=True)
    template: str = Field(max_length=100)
    template_version: str = Field(max_length=16)
    subject_line: str = Field(max_length=300)
    body_text: str
    body_html: str
    content_hash: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    idempotency_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=NoticeStatus.queued, max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = _ts(nullable=True)
    claimed_at: datetime | None = _ts(nullable=True)
    last_error: str | None = None
    created_at: datetime = _ts(nullable=False, default=utcnow)
    sent_at: datetime | None = _ts(nullable=True)
    postal_address: dict | None = Field(default=None, sa_column=Column(JSON))
    letter_body: str | None = None  # the notice's own text, before the email layout: what a letter prints
    letter_hash: str | None = Field(default=None, max_length=64)
    provider_id: str | None = Field(default=None, max_length=100)
    batch_id: str | None = Field(default=None, max_length=32, index=True)
    mailed_on: date | None = None
    expected_delivery: date | None = None
    delivered_on: date | None = None


class Prospect(SQLModel, table=True):
    """A prospective employee screened by a contractor. Personal data stays here, never in Prefect."""

    id: str = Field(primary_key=True, max_length=32)
    full_name: str = Field(max_length=200)


class HiringReview(SQLModel, table=True):
    """A background-screening result and its review, 13 CSR 35-32.020 (7)(C)-(D)."""

    __tablename__ = "hiring_review"
    id: str = Field(primary_key=True, max_length=32)
    contractor_id: str = Field(foreign_key="contractor.id", max_length=32)
    prospect_id: str = Field(foreign_key="prospect.id", max_length=32)
    screened_on: date
    division_employee: bool = False
    release_authorization: bool = False
    status: str = Field(default="received", max_length=48, index=True)
    exclusion_paragraphs: str = Field(default="", max_length=64)
    designee_decision: str | None = Field(default=None, max_length=32)
    designee_id: str | None = Field(default=None, max_length=32)
    decision_date: date | None = None
    designee_reasons: str | None = None
    request_received_on: date | None = None
    request_reasons: str | None = None
    review_at: datetime | None = _ts(nullable=True)
    review_place: str | None = Field(default=None, max_length=200)
    recommendation: str | None = Field(default=None, max_length=16)
    recommended_by: str | None = Field(default=None, max_length=32)
    final_decision: str | None = Field(default=None, max_length=16)
    final_by: str | None = Field(default=None, max_length=32)
    final_on: date | None = None
    flow_run_id: str | None = Field(default=None, max_length=36)


class Offence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    review_id: str = Field(foreign_key="hiring_review.id", max_length=32, index=True)
    category: str = Field(max_length=48)
    level: str = Field(max_length=16)
    disposition: str = Field(max_length=16)
    offence_date: date


class Contract(SQLModel, table=True):
    """A performance-based case management contract (13 CSR 35-32.020)."""

    id: str = Field(primary_key=True, max_length=32)
    contractor_id: str = Field(foreign_key="contractor.id", max_length=32, index=True)
    region: str = Field(default="", max_length=64)
    starts_on: date
    ends_on: date
    status: str = Field(default="active", max_length=16)  # active, terminated
    caseload_reduced_on: date | None = None


class ImprovementPlan(SQLModel, table=True):
    """A practice improvement plan, 13 CSR 35-32.020 (16). The named individuals stay here."""

    __tablename__ = "improvement_plan"
    id: str = Field(primary_key=True, max_length=32)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    outcomes_missed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="proposed", max_length=16, index=True)
    reasons: str | None = None
    steps: str | None = None
    responsible: list | None = Field(default=None, sa_column=Column(JSON))
    timeframe_days: int | None = None
    effective_on: date | None = None
    deadline: date | None = None
    verified_on: date | None = None
    evidence: str | None = None
    breached_on: date | None = None
    remedy: str | None = Field(default=None, max_length=48)
    remedy_detail: str | None = None
    closed_reason: str | None = None
    flow_run_id: str | None = Field(default=None, max_length=36)
