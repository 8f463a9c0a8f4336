"""Write validated roster records (models.csv_import) in the caller's transaction.

Upsert by ID: new IDs are inserted, existing rows updated; nothing is deleted
except staff roles no longer listed. One audit row per import, IDs only.
"""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlmodel import Session, SQLModel, select

from models.csv_import import ContractorRecord, StaffRecord
from models.tables import Contractor, Staff, StaffRole
from tasks.human.audit import audit


def import_staff(session: Session, records: Sequence[StaffRecord], actor: str) -> int:
    """Upsert staff and replace each one's role set; returns the number of records."""
    for r in records:
        _upsert(session, Staff, r.id, full_name=r.full_name, email=r.email, active=r.active)
    session.flush()  # staff rows exist before their roles (foreign key)
    for r in records:
        _replace_roles(session, r.id, set(r.roles))
    _audit(session, actor, "staff", [r.id for r in records])
    return len(records)


def import_contractors(session: Session, records: Sequence[ContractorRecord], actor: str) -> int:
    """Upsert contractors; returns the number of records."""
    for r in records:
        values = asdict(r)
        _upsert(session, Contractor, values.pop("id"), **values)
    _audit(session, actor, "contractors", [r.id for r in records])
    return len(records)


def _upsert(session: Session, model: type[SQLModel], row_id: str, **values: Any) -> None:
    row = session.get(model, row_id)
    if row is None:
        row = model(id=row_id, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)


def _replace_roles(session: Session, staff_id: str, roles: set[str]) -> None:
    current = {sr.role: sr for sr in session.exec(select(StaffRole).where(StaffRole.staff_id == staff_id))}
    for role, row in current.items():
        if role not in roles:
            session.delete(row)
    for role in sorted(roles - current.keys()):
        session.add(StaffRole(staff_id=staff_id, role=role))


def _audit(session: Session, actor: str, what: str, ids: list[str]) -> None:
    audit(session, actor=actor, action=f"{what}.imported", subject_type="import", subject_id=what,
          detail={"count": len(ids), "ids": ids})
