"""SQLModel tables: the system of record (docs/architecture.md, "The system of record"), one module per family.
Alembic creates them; create_all only in tests."""

from models.tables.core import AuditEvent, Contractor, Role, Staff, StaffRole, utcnow
from models.tables.handup import (HandUpReference, HearingRequest, Participant, PaymentAllocation, PilotProvider,
                                  PremiumBill, PremiumPayment, RemovalBatch, RemovalCandidate)
from models.tables.human_task import HumanTask, OnDue, TaskStatus
from models.tables.notice import Channel, Notice, NoticeStatus
from models.tables.plan import Contract, ImprovementPlan
from models.tables.renewal import (CaseChild, CaseEvent, CaseImport, ContractTerms, PaymentAdjustment, PlacementExit,
                                   Renewal, ResidentialCostReport)
from models.tables.review import HiringReview, Offence, Prospect
from models.tables.signin import ServiceAccount, StaffCredential

__all__ = ["AuditEvent", "CaseChild", "CaseEvent", "CaseImport", "Channel", "Contract", "ContractTerms",
           "Contractor", "HandUpReference", "HearingRequest", "HiringReview", "HumanTask", "ImprovementPlan",
           "Notice", "NoticeStatus", "Offence", "OnDue", "Participant", "PaymentAdjustment", "PaymentAllocation",
           "PilotProvider", "PlacementExit", "PremiumBill", "PremiumPayment", "Prospect", "RemovalBatch",
           "RemovalCandidate", "Renewal", "ResidentialCostReport", "Role", "ServiceAccount", "Staff", "StaffCredential",
           "StaffRole", "TaskStatus", "utcnow"]
