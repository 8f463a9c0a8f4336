"""Contracts and practice improvement plans, 13 CSR 35-32.020 (15)-(16)."""

from datetime import date

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


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
