"""The one way a flow waits for a person (docs/architecture.md, "Human tasks"): durable, typed, role-checked,
audited."""

from dataclasses import dataclass
from datetime import date, datetime, timezone
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic
from prefect import get_client, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import PrefectHTTPStatusError
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from prefect.input.run_input import keyset_from_base_key
from prefect.utilities.asyncutils import run_coro_as_sync
from pydantic.fields import FieldInfo
from sqlmodel import select

from models.errors import DomainError, RosterError
from models.roster import check_answerer
from models.tables import HumanTask, OnDue, Staff, StaffRole, TaskStatus
from tasks.context import current_flow_run_id, division_today, transaction
from tasks.human.audit import audit
from tasks.inbox import publish_staff_inbox

WAITING = "awaiting:"  # tag of a run that waits for a person, with the role: the UI's saved filters use it

F = TypeVar("F", bound=RunInput)


@dataclass(frozen=True)
class TaskSpec:
    """What is asked, of whom, by when. IDs only: this reaches Prefect."""

    key: str
    kind: str
    subject_type: str
    subject_id: str
    role: str
    due: date | None = None
    on_due: OnDue = OnDue.remind
    excluded_staff_id: str | None = None
    excluded_reason: str = ""


@dataclass(frozen=True)
class DeadlinePassed:
    """The timer event: the sweep found the task past its due date (docs/architecture.md, "Sweeps")."""

    due: date | None


@dataclass(frozen=True)
class TaskView:
    id: int
    status: str
    pause_key: str
    attempts: int
    last_error: str | None
    due: date | None
    decision: dict[str, Any] | None


def _view(row: HumanTask) -> TaskView:
    return TaskView(row.id, row.status, row.pause_key, row.attempts, row.last_error, row.due_date, row.decision)


@task(name="open-human-task", cache_policy=NO_CACHE)
def open_human_task(spec: TaskSpec, flow_run_id: str) -> TaskView:
    """Get or create the HumanTask row for this run and key."""
    with transaction() as session:
        row = session.exec(
            select(HumanTask).where(HumanTask.flow_run_id == flow_run_id, HumanTask.key == spec.key)
        ).first()
        if row is None:
            row = HumanTask(
                flow_run_id=flow_run_id, key=spec.key, kind=spec.kind, subject_type=spec.subject_type,
                subject_id=spec.subject_id, required_role=spec.role, due_date=spec.due,
                on_due=spec.on_due, pause_key=spec.key, excluded_staff_id=spec.excluded_staff_id,
            )
            session.add(row)
            audit(session, actor="system", action="human_task.opened", subject_type=spec.subject_type,
                  subject_id=spec.subject_id, detail={"key": spec.key, "role": spec.role,
                                                      "due": spec.due.isoformat() if spec.due else None})
            session.flush()
        return _view(row)


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str | None
    staff_id: str


def _roster_error(staff_id: str, staff: Staff | None, roles: set[str], row: HumanTask,
                  excluded_reason: str) -> str | None:
    try:
        check_answerer(staff_id=staff_id, active=staff.active if staff else None, roles=roles,
                       required_role=row.required_role, excluded_staff_id=row.excluded_staff_id,
                       excluded_reason=excluded_reason)
    except RosterError as exc:
        return str(exc)
    return None


@task(name="check-human-answer", cache_policy=NO_CACHE)
def check_answer(task_id: int, answer: dict[str, Any], excluded_reason: str, rule_error: str | None) -> Verdict:
    """The signed-in staff member bound to this answer (docs/architecture.md, "Signing in"), checked for roster,
    role and separation of duties, and the form's own rule; audit every attempt; re-key on refusal."""
    with transaction() as session:
        row = session.get(HumanTask, task_id)
        bound = row.claim_key == row.pause_key and row.claimed_by
        staff_id = row.claimed_by if bound else ""
        signed_in = {"signed_in_as": staff_id, "method": row.claimed_via, "address": row.claimed_from}
        staff = session.get(Staff, staff_id) if staff_id else None
        roles = set(session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff_id)).all())
        reason = (None if bound else "no signed-in staff member is bound to this answer: sign in to the Prefect UI "
                                     "and resume the run there") \
            or _roster_error(staff_id, staff, roles, row, excluded_reason) or rule_error
        if reason:
            row.attempts += 1
            row.last_error = reason
            row.pause_key = f"{row.key}-{row.attempts + 1}"
            session.add(row)
            audit(session, actor=staff_id or "unknown", action="human_task.refused",
                  subject_type=row.subject_type, subject_id=row.subject_id,
                  detail={"key": row.key, "reason": reason} | signed_in)
            return Verdict(False, reason, staff_id)
        row.status, row.decided_by, row.decision = TaskStatus.done, staff_id, answer | {"decided_by": staff_id}
        row.closed_at, row.last_error = datetime.now(timezone.utc), None
        session.add(row)
        audit(session, actor=staff_id, action="human_task.answered", subject_type=row.subject_type,
              subject_id=row.subject_id, detail={"key": row.key} | signed_in)
        return Verdict(True, None, staff_id)


def _forget_input(flow_run_id: str, pause_key: str, *parts: str) -> None:
    """Drop parts of a suspension's keyset from Prefect: by default the answer, once our database holds it (Prefect
    is not the record)."""
    keyset = keyset_from_base_key(f"suspended-{pause_key}")

    async def _delete() -> None:
        async with get_client() as client:
            for part in parts or ("response",):
                try:
                    await client.delete_flow_run_input(flow_run_id=flow_run_id, key=keyset[part])
                except Exception:  # already gone: nothing to forget
                    pass

    run_coro_as_sync(_delete())


def _suspend(form: type[F], flow_run_id: str, pause_key: str) -> F:
    """Prefect's suspension with the form. Prefect writes the form after the Suspended state; when a write is
    already there (the client retried one the server had done, or the run was started again after a crash
    between the two), Prefect refuses it with 409 and the run would fail: the form is written again, and the
    suspension asked for again, which Prefect answers with its Pause since the run is suspended already."""
    try:
        return suspend_flow_run(wait_for_input=form, key=pause_key, timeout=None)
    except PrefectHTTPStatusError as exc:
        if exc.response.status_code != 409:
            raise
    _forget_input(flow_run_id, pause_key, "schema", "description")
    form.save(keyset_from_base_key(f"suspended-{pause_key}"))
    return suspend_flow_run(wait_for_input=form, key=pause_key, timeout=None)


def _form_description(spec: TaskSpec, view: TaskView, description: str) -> str:
    lines = []
    if view.last_error:
        lines.append(f"> **Not accepted:** {view.last_error}. Please answer again.\n")
    lines.append(description)
    lines.append(f"\n**Task:** `{spec.kind}` for `{spec.subject_id}` · **role:** {spec.role}"
                 + (f" · **due:** {spec.due.isoformat()}" if spec.due else ""))
    lines.append("\nYour answer is recorded in the name you signed in with. Refer to people by their IDs only.")
    return "\n".join(lines)


def _with_defaults(form: type[F], description: str, initial: dict[str, Any]) -> type[F]:
    """The form with true defaults filled in, keeping each field's title and help text
    (RunInput.with_initial_data drops them)."""
    fields = {
        name: (form.model_fields[name].annotation,
               FieldInfo.merge_field_infos(form.model_fields[name], default=value))
        for name, value in initial.items()
    }
    shown = pydantic.create_model(form.__name__, __base__=form, **fields)
    shown._description = description
    return shown


def mark_waiting(flow_run_id: str, role: str | None) -> None:
    """Tag the run with the role it now waits for (none: the answer is in) and refresh the staff inbox."""
    from prefect.runtime import flow_run

    tags = [t for t in flow_run.tags if not t.startswith(WAITING)] + ([f"{WAITING}{role}"] if role else [])
    with get_client(sync_client=True) as client:
        client.update_flow_run(flow_run_id, tags=tags)
    publish_staff_inbox(division_today())


def _rule_error(validate: Callable[[Any], None] | None, answer: Any) -> str | None:
    try:
        if validate:
            validate(answer)
    except DomainError as exc:
        return str(exc)
    return None


def ask(
    spec: TaskSpec,
    form: type[F],
    description: str,
    validate: Callable[[F], None] | None = None,
    **initial: Any,
) -> F | DeadlinePassed:
    """Suspend the flow until staff answer the form (or the sweep fires the deadline).

    validate is a pure rule that raises DomainError for an answer that must be given again.
    """
    flow_run_id = current_flow_run_id()
    while True:
        view = open_human_task(spec, flow_run_id)
        if view.status == TaskStatus.done:
            return form(**view.decision)
        if view.status == TaskStatus.deadline_passed:
            return DeadlinePassed(view.due)
        shown = _with_defaults(form, _form_description(spec, view, description), initial)
        mark_waiting(flow_run_id, spec.role)
        answer = _suspend(shown, flow_run_id, view.pause_key)
        verdict = check_answer(view.id, answer.model_dump(mode="json"), spec.excluded_reason,
                               _rule_error(validate, answer))
        _forget_input(flow_run_id, view.pause_key)
        if verdict.accepted:
            mark_waiting(flow_run_id, None)
            return form(**answer.model_dump() | {"decided_by": verdict.staff_id})
