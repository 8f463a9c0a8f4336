"""Recording the terms of contract years from a CSV file (models/contract_terms_csv.py), all or nothing."""

from sqlmodel import Session, select

from models.contract_terms_csv import parse_terms
from models.errors import ImportRejected
from models.tables import Contract, ContractTerms
from tasks.human.audit import audit


def import_terms(session: Session, *, csv_text: str, actor: str) -> int:
    """Add each contract year's terms in the caller's transaction; a year already recorded is refused."""
    rows = parse_terms(csv_text, set(session.exec(select(Contract.id)).all()))
    recorded = {(c, s) for c, s in session.exec(select(ContractTerms.contract_id, ContractTerms.year_start)).all()}
    taken = [(line, f"contract {r.contract_id} year {r.year_start} is already recorded")
             for line, r in rows if (r.contract_id, r.year_start) in recorded]
    if taken:
        raise ImportRejected(taken)
    for _, row in rows:
        session.add(ContractTerms(**row.model_dump(), recorded_by=actor))
        audit(session, actor=actor, action="renewal.terms_recorded", subject_type="contract",
              subject_id=row.contract_id, rule="13 CSR 35-32.020 (13)", detail={"year_start": str(row.year_start)})
    return len(rows)
