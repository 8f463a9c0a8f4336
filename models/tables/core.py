"""The people and the audit trail: staff and their roles, contractors, the append-only audit events."""

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(**kw: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), **kw))


class Role(StrEnum):
    designee = "designee"
    director = "director"
    supervisor = "supervisor"
    contract_admin = "contract_admin"
    eligibility_worker = "eligibility_worker"
    eligibility_supervisor = "eligibility_supervisor"
    hearing_officer = "hearing_officer"
    admin = "admin"  # may administer Prefect (cancel, delete, deployments); decides no case


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
    """Append-only: rows are inserted, never updated or deleted (the sealer only fills the chain columns once)."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp(nullable=False, default=utcnow)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64, index=True)
    rule: str = Field(default="", max_length=64)
    flow_run_id: str | None = Field(default=None, max_length=36)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # the tamper-evident chain (models/audit_chain.py), filled by the sealer (tasks/audit_chain.py), never by writers
    seal_seq: int | None = Field(default=None, index=True, unique=True)
    prev_hash: str | None = Field(default=None, max_length=64)
    row_hash: str | None = Field(default=None, max_length=64)
