"""One recorded step of a workflow: load the record, audit the step, save what the caller changed, all in one
transaction (docs/architecture.md, "The system of record")."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlmodel import Session, SQLModel

from models.errors import NotFound
from tasks.context import transaction
from tasks.human.audit import audit

R = TypeVar("R", bound=SQLModel)


def get_record(session: Session, model: type[R], record_id: str, what: str) -> R:
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"no {what} {record_id!r}")
    return record


@contextmanager
def recorded_step(model: type[R], record_id: str, *, what: str, subject_type: str, action: str, actor: str,
                  rule: str, detail: dict | None = None) -> Iterator[tuple[Session, R]]:
    with transaction() as session:
        record = get_record(session, model, record_id, what)
        audit(session, actor=actor, action=action, subject_type=subject_type, subject_id=record_id, rule=rule,
              detail=detail)
        yield session, record
        session.add(record)
