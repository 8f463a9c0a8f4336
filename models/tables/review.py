"""Hiring reviews, 13 CSR 35-32.020 (7)(C)-(D): the screened prospect, the review, the offences found."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.tables.core import timestamp


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
    review_at: datetime | None = timestamp(nullable=True)
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
    disposition_date: date | None = None  # found guilty, pled guilty or convicted: (7)(C)1.E counts from it
