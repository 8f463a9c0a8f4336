"""Append-only audit trail (docs/architecture.md, "The system of record"): who, when, what, which rule, which
flow run."""

from typing import Any

from sqlmodel import Session

from models.tables import AuditEvent
from tasks.context import current_flow_run_id


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    rule: str = "",
    detail: dict[str, Any] | None = None,
    flow_run_id: str | None = None,
) -> None:
    """Add one audit row to the caller's transaction."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            rule=rule,
            flow_run_id=flow_run_id or current_flow_run_id(),
            detail=detail or {},
        )
    )
