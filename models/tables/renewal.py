"""Annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6): the terms of each contract year,
the case data imported from the case management system, payment adjustments, and the renewal itself.
Children appear by their case-system IDs only."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.core import timestamp, utcnow


def money(**kw) -> Decimal:
    return Field(sa_column=Column(Numeric(14, 2), **kw))


def percent(**kw) -> Decimal:
    return Field(sa_column=Column(Numeric(5, 2), **kw))


class ContractTerms(SQLModel, table=True):
    """One contract year's terms: cases awarded and the monthly amount per case (32.030 (5)), the outcome targets
    of 32.020 (13)(A)-(C) as percentages, and what the incentive of 32.030 (6) needs."""

    __tablename__ = "contract_terms"
    __table_args__ = (UniqueConstraint("contract_id", "year_start"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    year_start: date
    year_end: date
    cases_awarded: int
    monthly_rate: Decimal = money(nullable=False)  # the monthly amount per case bid and awarded
    permanency_target: Decimal = percent(nullable=False)  # (13)(A): % achieving permanency within 12 months
    safety_target: Decimal = percent(nullable=False)  # (13)(B): % with no substantiated report by the provider
    reentry_target: Decimal = percent(nullable=False)  # (13)(C): % not re-entering within 12 months
    region_county_permanency: Decimal = percent(nullable=False)  # 32.030 (6)(B)1.A
    region_contractor_permanency: Decimal = percent(nullable=False)  # 32.030 (6)(B)1.B
    allowable_reentries: int = 0  # 32.030 (6)(B)3.D
    appropriation: Decimal | None = money(nullable=True)  # the cap on the incentive, "subject to appropriation"
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = timestamp(nullable=False, default=utcnow)


class CaseChild(SQLModel, table=True):
    """A child referred to the contractor (from the case management system's referral extract)."""

    __tablename__ = "case_child"
    __table_args__ = (UniqueConstraint("contract_id", "child_id"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    child_id: str = Field(max_length=32)
    referred_on: date
    birth_date: date
    funding: str = Field(max_length=8)  # ive (Title IV-E) or hdn (100% state)
    import_id: str = Field(max_length=40, index=True)


class CaseEvent(SQLModel, table=True):
    """One event of a child's case: an exit with its type, a re-entry, a substantiated report with the
    perpetrator type, a placement change, residential days in a month, or a resource home developed."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_contract_kind", "contract_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32)
    child_id: str | None = Field(default=None, max_length=32)  # none for a resource home
    kind: str = Field(max_length=20)  # exit, reentry, report, placement_change, residential_days, resource_home
    on: date
    detail: str = Field(default="", max_length=40)  # exit type, perpetrator type, resource home ID
    days: int = 0  # residential days
    import_id: str = Field(max_length=40, index=True)


class PlacementExit(SQLModel, table=True):
    """A child's exit from a residential placement, for the Texas DFPS FY2011 Attachment F, Output #3 measure
    (average length of placement by facility type): the facility type, the placement's start, the exit date and
    the reason for discharge (models/methods/texas.py)."""

    __tablename__ = "placement_exit"
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    child_id: str = Field(max_length=32)
    facility_type: str = Field(max_length=32)  # models.methods.texas.FACILITY_TYPES
    placement_start: date
    exit_date: date
    reason: str = Field(max_length=40)  # a code of models.methods.texas.REASONS, or another reason (counted)
    import_id: str = Field(max_length=40, index=True)


class ResidentialCostReport(SQLModel, table=True):
    """The cost report of a contractor's residential care for one base year, 13 CSR 35-80.010 (2)-(3): net room
    and board and supervision costs, days of service by supervision category (3)(B)2.A-D. The agency of the
    method is the contract (models/methods/missouri_residential.py)."""

    __tablename__ = "residential_cost_report"
    __table_args__ = (UniqueConstraint("contract_id", "base_year"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    room_and_board_costs: Decimal = money(nullable=False)
    supervision_costs: Decimal = money(nullable=False)
    basic_core_days: int  # (3)(B)2.A
    infant_toddler_days: int  # (3)(B)2.B
    residential_treatment_days: int  # (3)(B)2.C
    intensive_care_days: int  # (3)(B)2.D
    base_year: int  # the state fiscal year of the costs
    import_id: str = Field(max_length=40, index=True)


class CaseImport(SQLModel, table=True):
    """One imported extract: what, how many rows, by whom; each figure of a report traces to these."""

    __tablename__ = "case_import"
    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=20)
    rows: int
    sha256: str = Field(max_length=64)
    imported_by: str = Field(max_length=64)
    imported_at: datetime = timestamp(nullable=False, default=utcnow)


class PaymentAdjustment(SQLModel, table=True):
    """A reduction of a month's payment, 32.030 (6)(B)3.A-F: cases not paid for, or an amount off the rate."""

    __tablename__ = "payment_adjustment"
    id: int | None = Field(default=None, primary_key=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    month: date
    reason: str = Field(max_length=2)  # A..F of (6)(B)3
    cases: int = 0
    amount: Decimal = money(nullable=False, default=Decimal("0"))  # per case, for E and F
    import_id: str = Field(max_length=40, index=True)


class Renewal(SQLModel, table=True):
    """The renewal of one contract year: outcomes, the contractor's review, the decision."""

    id: str = Field(primary_key=True, max_length=48)
    contract_id: str = Field(foreign_key="contract.id", max_length=32, index=True)
    year_start: date
    year_end: date
    status: str = Field(default="opened", max_length=16, index=True)
    review_closes_on: date | None = None
    preliminary: dict | None = Field(default=None, sa_column=Column(JSON))
    final: dict | None = Field(default=None, sa_column=Column(JSON))
    corrections: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    report_path: str | None = Field(default=None, max_length=300)
    recommendation: str | None = Field(default=None, max_length=32)
    recommended_by: str | None = Field(default=None, max_length=32)
    decision: str | None = Field(default=None, max_length=32)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_on: date | None = None
    reduced_cases: int | None = None
    plan_id: str | None = Field(default=None, max_length=32)
    flow_run_id: str | None = Field(default=None, max_length=36)
