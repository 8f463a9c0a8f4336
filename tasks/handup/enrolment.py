"""Enrolment, 13 CSR 35-32.040 (1) and (6): store the application, check it, record the worker's decision and
send the notice of enrolment with the premium, or the refusal with every reason."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from models.errors import NotFound, RuleViolation
from models.handup import (Application, ParticipantStatus, age_group, check_eligibility, child_care_benefit,
                           first_coverage_month)
from models.handup_intake import HandUpApplicationIn
from models.tables import Participant, PilotProvider
from tasks.context import settings, transaction
from tasks.handup import reference
from tasks.handup.common import RULE, dollars, notify_participant, participant_step
from tasks.human.audit import audit

DEPLOYMENT = "handup-enrolment/handup-enrolment"
BARRED = (ParticipantStatus.removed, ParticipantStatus.opted_out)


def barred_since(session: Session, person_id: str) -> date | None:
    """(6): the day this person last left the program by opting out or removal, if ever."""
    ended = session.exec(select(Participant.ended_on).where(Participant.person_id == person_id,
                                                            Participant.status.in_(BARRED))).all()
    return max(ended) if ended else None


def store_application(session: Session, app: HandUpApplicationIn, actor: str) -> str:
    """Write the application in the caller's transaction, with the child care benefit it is worth."""
    if session.get(Participant, app.participant_id) is not None:
        raise RuleViolation(f"Hand-Up application {app.participant_id!r} exists already", "intake")
    provider = session.get(PilotProvider, app.provider_id)
    if provider is None or not provider.active:
        raise NotFound(f"{app.provider_id!r} is not a designated Hand-Up pilot provider")
    benefit = child_care_benefit(
        area=app.care_area, children=[(age_group(c.birth_date, app.applied_on), c.actual_charge)
                                      for c in app.children],
        family_size=app.family_size, gross_income=app.adjusted_gross_income,
        fee_waived=any(c.special_needs for c in app.children),
        rates=reference.care_rates(session, app.applied_on), fees=reference.fee_scale(session, app.applied_on))
    a = app.address
    session.add(Participant(
        id=app.participant_id, person_id=app.person_id, name=a.name, address_line1=a.line1, address_line2=a.line2,
        city=a.city, state=a.state, zip_code=a.zip_code, email=app.email, email_opt_in=app.email_opt_in,
        provider_id=app.provider_id, family_size=app.family_size, adjusted_gross_income=app.adjusted_gross_income,
        benefit=benefit, months_full_benefits=app.months_full_benefits,
        meets_program_requirements=app.meets_program_requirements, lost_eligibility_on=app.lost_eligibility_on,
        consented_on=app.consented_on, agrees_to_pay=app.agrees_to_pay, payroll_deduction=app.payroll_deduction,
        applied_on=app.applied_on))
    audit(session, actor=actor, action="handup.applied", subject_type="handup_participant",
          subject_id=app.participant_id, rule=f"{RULE} (1)", detail={"provider_id": app.provider_id})
    return app.participant_id


def start_enrolment_run(participant_id: str, as_of: date | None = None) -> str:
    """Create a run of the enrolment deployment (IDs only); returns the flow run ID."""
    from prefect.deployments import run_deployment

    params = {"participant_id": participant_id} | ({"as_of": as_of.isoformat()} if as_of else {})
    return str(run_deployment(DEPLOYMENT, parameters=params, timeout=0, _sync=True).id)


@dataclass(frozen=True)
class Checked:
    """The outcome of the rules: the premium and each unmet paragraph (no amounts of income: IDs and rules)."""

    premium: Decimal
    unmet: tuple[str, ...]
    status: str


@task(name="check-handup-application", cache_policy=NO_CACHE)
def check_application(participant_id: str, as_of: date, flow_run_id: str | None) -> Checked:
    """(1)(A)-(F) and (6) against the application; records the premium and the unmet conditions."""
    with transaction() as session:
        p = session.get(Participant, participant_id)
        if p is None:
            raise NotFound(f"no Hand-Up application {participant_id!r}")
        if p.status != ParticipantStatus.applied:
            return Checked(p.premium or Decimal("0"), tuple(u["paragraph"] for u in p.unmet), p.status)
        premium, unmet = check_eligibility(Application(
            months_full_benefits=p.months_full_benefits, adjusted_gross_income=p.adjusted_gross_income,
            family_size=p.family_size, meets_program_requirements=p.meets_program_requirements,
            lost_eligibility_on=p.lost_eligibility_on, consented_on=p.consented_on, agrees_to_pay=p.agrees_to_pay,
            benefit=p.benefit, barred_since=barred_since(session, p.person_id)),
            as_of, reference.income_limits(session, as_of))
        p.premium, p.unmet, p.flow_run_id = premium, [u.__dict__ for u in unmet], flow_run_id or p.flow_run_id
        session.add(p)
        return Checked(premium, tuple(u.paragraph for u in unmet), p.status)


@task(name="record-handup-refusal")
def record_refusal(participant_id: str, reasons: str | None, decided_by: str, on: date) -> None:
    """(1), (6): the application is refused, by the rules (every unmet condition) or by the worker."""
    with participant_step(participant_id, "handup.refused", decided_by, f"{RULE} (1)") as (session, p):
        written = reasons or "\n".join(f"- {u['reason']} ({u['paragraph']})" for u in p.unmet)
        p.status, p.ended_on = ParticipantStatus.refused, None
        notify_participant(session, p, "handup-refused", "1", on, decided_on=on.isoformat(), reasons=written)


@task(name="record-handup-enrolment")
def record_enrolment(participant_id: str, decided_by: str, on: date) -> None:
    """(4)(A): enrolled; the notice of enrolment gives the premium and how it was found."""
    with participant_step(participant_id, "handup.enrolled", decided_by, f"{RULE} (4)(A)") as (session, p):
        limits = reference.income_limits(session, on)
        first = first_coverage_month(on, settings().handup_transit_days)
        p.status, p.enrolled_on, p.first_month = ParticipantStatus.enrolled, on, first
        notify_participant(session, p, "handup-enrolled", "1", on, enrolled_on=on.isoformat(),
                           premium=dollars(p.premium), family_size=p.family_size,
                           limit=dollars(limits.limit(p.family_size)), first_month=first.strftime("%B %Y"))
