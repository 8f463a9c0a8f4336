"""A resume is bound to the person who signed in (docs/architecture.md, "Signing in"): the sign-in layer claims
the run's open human task for that staff member before Prefect resumes it, and the flow reads the claim."""

from datetime import datetime, timezone

from sqlmodel import select

from models.errors import RosterError
from models.roster import check_answerer
from models.tables import HumanTask, Staff, TaskStatus
from tasks.context import transaction
from tasks.human.audit import audit
from tasks.signin.identity import Identity

__all__ = ["claim_task", "release_claim"]


def _signed_in(identity: Identity) -> dict:
    return {"signed_in_as": identity.id, "method": identity.method, "address": identity.address}


def claim_task(flow_run_id: str, identity: Identity, claimed: object) -> str | None:
    """Claim the run's open human task for the signed-in staff member; the reason (audited) when refused."""
    with transaction() as session:
        if claimed not in (None, "", identity.id):
            audit(session, actor=identity.id, action="signin.forged_identity", subject_type="flow_run",
                  subject_id=flow_run_id, detail=_signed_in(identity) | {"claimed": str(claimed)[:32]})
            return (f"you are signed in as {identity.id}: an answer cannot be given in the name of "
                    f"{str(claimed)[:32]!r}")
        row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == flow_run_id,
                                                   HumanTask.status == TaskStatus.open)
                           .with_for_update()).first()
        if row is None:
            return "this run is not waiting for a person's answer"
        staff = session.get(Staff, identity.id)
        try:
            check_answerer(staff_id=identity.id, active=staff.active if staff else None, roles=set(identity.roles),
                           required_role=row.required_role, excluded_staff_id=row.excluded_staff_id)
        except RosterError as exc:
            audit(session, actor=identity.id, action="human_task.refused", subject_type=row.subject_type,
                  subject_id=row.subject_id, detail=_signed_in(identity) | {"key": row.key, "reason": str(exc)})
            return str(exc)
        if row.claim_key == row.pause_key and row.claimed_by not in (None, identity.id):
            return f"{row.claimed_by} is answering this task now"
        row.claim_key, row.claimed_by, row.claimed_via = row.pause_key, identity.id, identity.method
        row.claimed_from, row.claimed_at = identity.address[:64], datetime.now(timezone.utc)
        session.add(row)
    return None


def release_claim(flow_run_id: str, identity: Identity) -> None:
    """Prefect did not accept the resume: the task is free again."""
    with transaction() as session:
        row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == flow_run_id,
                                                   HumanTask.status == TaskStatus.open,
                                                   HumanTask.claimed_by == identity.id)).first()
        if row is not None:
            row.claim_key = row.claimed_by = row.claimed_via = row.claimed_from = row.claimed_at = None
            session.add(row)
