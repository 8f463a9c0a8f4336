"""The records past their retention period, 13 CSR 35-32.020 (12)(A) (`cwa retention`, docs/operations.md).

Which day a contract ended: the latest of its `ends_on` and the `year_end` of its terms and renewals, so that a
contract year renewed past the original end keeps its records longer. A contract terminated early keeps its
`ends_on` (the termination does not shorten the period).

The records of a contract: the contract row, its terms, improvement plans and renewals, its case data (children,
case events, placement exits, residential cost reports, payment adjustments), and the notices and human tasks about
its plans and renewals. A contractor's hiring reviews belong to no contract: they are listed, with their offences,
notices and human tasks and the prospects no other contractor's review names, once every contract of the contractor
is past retention, on the row of the contract that ended last. A contractor without any contract is never listed.

Nothing is deleted here. The audit trail (append-only) is never listed; listing is itself audited.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func
from sqlmodel import Session, select

from models.retention import RULE, past_retention, retention_ends
from models.tables import (CaseChild, CaseEvent, Contract, ContractTerms, HiringReview, HumanTask, ImprovementPlan,
                           Notice, Offence, PaymentAdjustment, PlacementExit, Prospect, Renewal,
                           ResidentialCostReport)
from tasks.human.audit import audit

__all__ = ["COLUMNS", "RetentionRow", "contract_ends", "list_past_retention"]

COLUMNS = ("contract_id", "contractor_id", "ended_on", "kept_until", "table", "records")
_BY_CONTRACT = (ContractTerms, ImprovementPlan, Renewal, CaseChild, CaseEvent, PlacementExit, ResidentialCostReport,
                PaymentAdjustment)
_ABOUT = ((ImprovementPlan, "improvement_plan"), (Renewal, "renewal"))


@dataclass(frozen=True)
class RetentionRow:
    contract_id: str
    contractor_id: str
    ended_on: date
    kept_until: date
    table: str
    records: int


def contract_ends(session: Session) -> dict[str, tuple[str, date]]:
    """Contract ID -> (contractor ID, the day the contract ended), as defined above."""
    ends = {cid: (contractor, end) for cid, contractor, end in
            session.exec(select(Contract.id, Contract.contractor_id, Contract.ends_on)).all()}
    for model in (ContractTerms, Renewal):
        for cid, last in session.exec(select(model.contract_id, func.max(model.year_end))
                                      .group_by(model.contract_id)).all():
            if cid in ends and last and last > ends[cid][1]:
                ends[cid] = (ends[cid][0], last)
    return ends


def _counts(session: Session, key, statement) -> dict[str, int]:
    return {k: n for k, n in session.exec(statement.group_by(key)).all() if n}


def _contract_counts(session: Session, ids: list[str]) -> dict[str, dict[str, int]]:
    """Table -> contract ID -> records, for the contracts `ids`."""
    found: dict[str, dict[str, int]] = {"contract": {cid: 1 for cid in ids}}
    for model in _BY_CONTRACT:
        found[model.__tablename__] = _counts(session, model.contract_id, select(model.contract_id, func.count())
                                             .where(model.contract_id.in_(ids)))
    for table, column in (("notice", Notice), ("human_task", HumanTask)):
        merged: dict[str, int] = defaultdict(int)
        for parent, subject_type in _ABOUT:
            joined = select(parent.contract_id, func.count(column.id)).join(
                parent, and_(column.subject_type == subject_type, column.subject_id == parent.id))
            for cid, n in _counts(session, parent.contract_id, joined.where(parent.contract_id.in_(ids))).items():
                merged[cid] += n
        found[table] = dict(merged)
    return found


def _contractor_counts(session: Session, contractors: list[str]) -> dict[str, dict[str, int]]:
    """Table -> contractor ID -> records of their hiring reviews, for the contractors given."""
    review = HiringReview.contractor_id
    found = {"hiring_review": _counts(session, review, select(review, func.count())
                                      .where(review.in_(contractors)))}
    found["offence"] = _counts(session, review, select(review, func.count(Offence.id))
                               .join(HiringReview, Offence.review_id == HiringReview.id).where(review.in_(contractors)))
    for table, column in (("notice", Notice), ("human_task", HumanTask)):
        found[table] = _counts(session, review, select(review, func.count(column.id)).join(
            HiringReview, and_(column.subject_type == "hiring_review", column.subject_id == HiringReview.id))
            .where(review.in_(contractors)))
    kept = select(HiringReview.prospect_id).where(HiringReview.contractor_id.not_in(contractors))
    found["prospect"] = _counts(session, review, select(review, func.count(func.distinct(Prospect.id)))
                                .join(HiringReview, HiringReview.prospect_id == Prospect.id)
                                .where(review.in_(contractors), Prospect.id.not_in(kept)))
    return found


_ORDER = ("contract", "contract_terms", "improvement_plan", "renewal", "case_child", "case_event", "placement_exit",
          "residential_cost_report", "payment_adjustment", "notice", "human_task", "hiring_review", "offence",
          "prospect")


def list_past_retention(session: Session, as_of: date, *, actor: str) -> list[RetentionRow]:
    """Every record past its retention period on as_of, counted per table and contract; audited, nothing deleted."""
    ends = contract_ends(session)
    expired = {cid: v for cid, v in ends.items() if past_retention(v[1], as_of)}
    last_of: dict[str, str] = {}  # contractor -> the contract that ended last, when every contract is past
    for cid, (contractor, end) in sorted(ends.items(), key=lambda item: (item[1][1], item[0])):
        last_of[contractor] = cid
    last_of = {contractor: cid for contractor, cid in last_of.items() if cid in expired}
    counts = _contract_counts(session, sorted(expired)) if expired else {}
    by_contractor = _contractor_counts(session, sorted(last_of)) if last_of else {}
    rows = []
    for cid, (contractor, end) in sorted(expired.items(), key=lambda item: (item[1][1], item[0])):
        tables = {table: per.get(cid, 0) for table, per in counts.items()}
        if last_of.get(contractor) == cid:
            tables.update({table: per.get(contractor, 0) + tables.get(table, 0)
                           for table, per in by_contractor.items()})
        rows += [RetentionRow(cid, contractor, end, retention_ends(end), table, tables[table])
                 for table in _ORDER if tables.get(table)]
    audit(session, actor=actor, action="retention.listed", subject_type="retention", subject_id=as_of.isoformat(),
          rule=RULE, detail={"as_of": as_of.isoformat(), "contracts": len(expired),
                             "records": sum(r.records for r in rows), "deleted": 0})
    return rows
