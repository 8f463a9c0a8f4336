"""Hand-Up Pilot Program, 13 CSR 35-32.040: reference tables, pilot providers, participants, bills, payments,
removal batches and fair hearings. Names, addresses and incomes stay here, never in Prefect."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.core import timestamp, utcnow


def money(**kw) -> Decimal:
    return Field(sa_column=Column(Numeric(12, 2), **kw))


class HandUpReference(SQLModel, table=True):
    """One version of a reference table (income_limits, care_rates, fee_scale) and where it came from."""

    __tablename__ = "handup_reference"
    __table_args__ = (UniqueConstraint("kind", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    version: str = Field(max_length=32)
    effective_from: date
    provenance: str = Field(max_length=16)  # derived, sample, official
    source: str
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    imported_by: str = Field(max_length=64)
    imported_at: datetime = timestamp(nullable=False, default=utcnow)


class PilotProvider(SQLModel, table=True):
    """A provider the department designated for the pilot, (2)-(3)."""

    __tablename__ = "pilot_provider"
    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    county: str = Field(max_length=64)
    county_class: str = Field(max_length=8)  # rural, urban
    families_served: int
    license_number: str = Field(max_length=32)
    license_valid_until: date
    contract_id: str = Field(max_length=32)
    contract_ends_on: date
    agreed_on: date | None = None  # (2)(E): agreed to be a pilot provider and abide by (3)
    designated_on: date
    active: bool = True


class Participant(SQLModel, table=True):
    """An applicant or participant, with the facts (1)(A)-(F) were checked against."""

    __tablename__ = "handup_participant"
    id: str = Field(primary_key=True, max_length=32)
    person_id: str = Field(max_length=32, index=True)  # the case's person: (6) bars the person, not the record
    name: str = Field(max_length=200)
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    city: str = Field(max_length=100)
    state: str = Field(max_length=2)
    zip_code: str = Field(max_length=10)
    email: str | None = Field(default=None, max_length=254)
    email_opt_in: bool = False
    provider_id: str = Field(foreign_key="pilot_provider.id", max_length=32)
    family_size: int
    adjusted_gross_income: Decimal = money(nullable=False)
    benefit: Decimal = money(nullable=False)
    premium: Decimal | None = money(nullable=True)
    months_full_benefits: int
    meets_program_requirements: bool
    lost_eligibility_on: date
    consented_on: date
    agrees_to_pay: bool
    payroll_deduction: bool = False  # (4)(D)
    applied_on: date
    status: str = Field(default="applied", max_length=16, index=True)
    unmet: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enrolled_on: date | None = None
    first_month: date | None = None  # the first coverage month billed
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=32)
    adverse_action_on: date | None = None  # (5): the notice of adverse action was issued
    credit: Decimal = money(nullable=False, default=Decimal("0"))
    flow_run_id: str | None = Field(default=None, max_length=36)


class PremiumBill(SQLModel, table=True):
    """The premium for one coverage month, due on its last day (4)(B)."""

    __tablename__ = "premium_bill"
    __table_args__ = (UniqueConstraint("participant_id", "coverage_month"),)
    id: int | None = Field(default=None, primary_key=True)
    participant_id: str = Field(foreign_key="handup_participant.id", max_length=32, index=True)
    coverage_month: date
    due_on: date = Field(index=True)
    mail_by: date
    amount: Decimal = money(nullable=False)
    paid: Decimal = money(nullable=False, default=Decimal("0"))
    status: str = Field(default="open", max_length=16, index=True)  # open, paid, cancelled


class PremiumPayment(SQLModel, table=True):
    """A payment from payroll deduction or the payment processor (4)(D), once per reference."""

    __tablename__ = "premium_payment"
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=64, unique=True)
    participant_id: str = Field(foreign_key="handup_participant.id", max_length=32, index=True)
    received_on: date
    amount: Decimal = money(nullable=False)
    source: str = Field(max_length=16)  # payroll, processor
    import_id: str = Field(max_length=40, index=True)


class PaymentAllocation(SQLModel, table=True):
    """How much of a payment went to which bill; the remainder is the participant's credit."""

    __tablename__ = "payment_allocation"
    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="premium_payment.id", index=True)
    bill_id: int = Field(foreign_key="premium_bill.id", index=True)
    amount: Decimal = money(nullable=False)


class RemovalBatch(SQLModel, table=True):
    """The participants the daily sweep found sixty days unpaid (4)(C), for a supervisor to approve."""

    __tablename__ = "removal_batch"
    id: str = Field(primary_key=True, max_length=32)
    as_of: date
    status: str = Field(default="proposed", max_length=16)  # proposed, approved, decided
    decided_by: str | None = Field(default=None, max_length=32)
    decided_on: date | None = None
    flow_run_id: str | None = Field(default=None, max_length=36)


class RemovalCandidate(SQLModel, table=True):
    __tablename__ = "removal_candidate"
    __table_args__ = (UniqueConstraint("participant_id", "oldest_due"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(foreign_key="removal_batch.id", max_length=32, index=True)
    participant_id: str = Field(foreign_key="handup_participant.id", max_length=32)
    oldest_due: date
    months_unpaid: str = Field(max_length=200)  # "2026-01, 2026-02"
    days_unpaid: int
    decision: str | None = Field(default=None, max_length=16)  # removed, held
    hold_reason: str | None = None


class HearingRequest(SQLModel, table=True):
    """A request for a fair hearing on a notice of adverse action, (5)."""

    __tablename__ = "hearing_request"
    id: str = Field(primary_key=True, max_length=32)
    participant_id: str = Field(foreign_key="handup_participant.id", max_length=32, index=True)
    adverse_action_on: date
    requested_on: date
    timely: bool
    status: str = Field(default="open", max_length=16)  # open, upheld, reversed, refused
    decided_by: str | None = Field(default=None, max_length=32)
    decided_on: date | None = None
    reasons: str | None = None
    flow_run_id: str | None = Field(default=None, max_length=36)
