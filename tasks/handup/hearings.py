"""Fair hearings, 13 CSR 35-32.040 (5): a request within ninety days after the notice of adverse action opens a
hearing; a late one is refused by notice saying why. The hearing officer upholds or reverses."""

from dataclasses import dataclass
from datetime import date

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, func, select

from models.errors import NotFound, RuleViolation
from models.handup import hearing_deadline, hearing_request_timely
from models.tables import HearingRequest, Participant
from tasks.context import transaction
from tasks.handup.common import RULE, SUBJECT, notify_participant
from tasks.human.audit import audit
from tasks.human.steps import get_record, recorded_step

DEPLOYMENT = "handup-hearing/handup-hearing"
HEARING_RULE = f"{RULE} (5)"


def request_hearing(session: Session, *, participant_id: str, requested_on: date, actor: str) -> HearingRequest:
    """Record a request in the caller's transaction; a late request is refused with its notice at once."""
    p = session.get(Participant, participant_id)
    if p is None:
        raise NotFound(f"no Hand-Up participant {participant_id!r}")
    if p.adverse_action_on is None:
        raise RuleViolation(f"participant {participant_id} has no notice of adverse action to appeal", HEARING_RULE)
    open_ = session.exec(select(HearingRequest.id).where(HearingRequest.participant_id == participant_id,
                                                         HearingRequest.adverse_action_on == p.adverse_action_on,
                                                         HearingRequest.status == "open")).first()
    if open_:
        raise RuleViolation(f"hearing {open_} on this adverse action is open already", HEARING_RULE)
    timely = hearing_request_timely(p.adverse_action_on, requested_on)
    count = session.exec(select(func.count()).select_from(HearingRequest)
                         .where(HearingRequest.participant_id == participant_id)).one()
    hearing = HearingRequest(id=f"FH-{participant_id}-{count + 1}", participant_id=participant_id,
                             adverse_action_on=p.adverse_action_on, requested_on=requested_on, timely=timely,
                             status="open" if timely else "refused")
    session.add(hearing)
    audit(session, actor=actor, action="hearing.requested" if timely else "hearing.refused", subject_type=SUBJECT,
          subject_id=participant_id, rule=HEARING_RULE,
          detail={"hearing_id": hearing.id, "days_after": (requested_on - p.adverse_action_on).days})
    if not timely:
        notify_participant(session, p, "hearing-refused", hearing.id, requested_on,
                           requested_on=requested_on.isoformat(), issued_on=p.adverse_action_on.isoformat(),
                           last_day_to_ask=hearing_deadline(p.adverse_action_on).isoformat(),
                           days_after=(requested_on - p.adverse_action_on).days)
    return hearing


def start_hearing_run(hearing_id: str, as_of: date | None = None) -> str:
    from prefect.deployments import run_deployment

    params = {"hearing_id": hearing_id} | ({"as_of": as_of.isoformat()} if as_of else {})
    return str(run_deployment(DEPLOYMENT, parameters=params, timeout=0, _sync=True).id)


@dataclass(frozen=True)
class HearingFacts:
    id: str
    participant_id: str
    status: str
    adverse_action_on: date


@task(name="load-hearing", cache_policy=NO_CACHE)
def load_hearing(hearing_id: str, flow_run_id: str | None) -> HearingFacts:
    with transaction() as session:
        h = get_record(session, HearingRequest, hearing_id, "fair hearing")
        if flow_run_id and h.flow_run_id != flow_run_id:
            h.flow_run_id = flow_run_id
            session.add(h)
        return HearingFacts(h.id, h.participant_id, h.status, h.adverse_action_on)


@task(name="record-hearing-decision")
def record_hearing_decision(hearing_id: str, reverse: bool, reasons: str, decided_by: str, on: date) -> None:
    """(5): upheld, the removal stands; reversed, the participant is reinstated with the bills restored."""
    from tasks.handup.removal import reinstate

    with recorded_step(HearingRequest, hearing_id, what="fair hearing", subject_type="hearing_request",
                       action="hearing.reversed" if reverse else "hearing.upheld", actor=decided_by,
                       rule=HEARING_RULE) as (session, hearing):
        if hearing.status != "open":
            return
        p = session.get(Participant, hearing.participant_id)
        hearing.status, hearing.decided_by, hearing.decided_on, hearing.reasons = (
            "reversed" if reverse else "upheld", decided_by, on, reasons)
        if reverse:
            restored = reinstate(session, p.id, on)
            effect = (f"You are reinstated in the Hand-Up Pilot Program from {on.isoformat()}. "
                      f"{restored} premium bill(s) are open again; please pay them by their due dates.")
        else:
            effect = ("The removal stands. A participant removed for non-payment may not take part in the "
                      "program again (13 CSR 35-32.040 (6)).")
        notify_participant(session, p, "hearing-decision", hearing.id, on,
                           decision="reversed" if reverse else "upheld", reasons=reasons, effect=effect,
                           decided_on=on.isoformat())
