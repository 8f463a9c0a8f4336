"""Database work of the annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6): each step
writes its decision, audit row and notice in one transaction; a resumed run that repeats a step changes nothing."""

from dataclasses import dataclass
from datetime import date, timedelta

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from models.errors import NotFound
from models.tables import Contract, ContractTerms, Contractor, Renewal
from tasks.context import settings, transaction
from tasks.human.steps import get_record, recorded_step
from tasks.notices.outbox import contractor_recipient, notify
from tasks.renewal.forms import Correction, RenewalDecision

SUBJECT = "renewal"
RULE = "13 CSR 35-32.020 (15)"
PLAN_DEPLOYMENT = "practice-improvement-plan/practice-improvement-plan"


def renewal_id(contract_id: str, year_start: date) -> str:
    return f"RN-{contract_id}-{year_start.isoformat()}"


@dataclass(frozen=True)
class RenewalFacts:
    id: str
    contract_id: str
    contractor_id: str
    year_start: date
    year_end: date
    status: str


def terms_for(session: Session, contract_id: str, year_start: date) -> ContractTerms:
    terms = session.exec(select(ContractTerms).where(ContractTerms.contract_id == contract_id,
                                                     ContractTerms.year_start == year_start)).first()
    if terms is None:
        raise NotFound(f"contract {contract_id!r} has no terms for the year from {year_start.isoformat()}")
    return terms


@task(name="open-renewal", cache_policy=NO_CACHE)
def open_renewal(contract_id: str, year_start: date, flow_run_id: str | None) -> RenewalFacts:
    """The renewal of a contract year, opened once; linked to the run that handles it."""
    with transaction() as session:
        contract = get_record(session, Contract, contract_id, "contract")
        terms = terms_for(session, contract_id, year_start)
        rid = renewal_id(contract_id, year_start)
        renewal = session.get(Renewal, rid) or Renewal(id=rid, contract_id=contract_id, year_start=year_start,
                                                       year_end=terms.year_end)
        renewal.flow_run_id = flow_run_id or renewal.flow_run_id
        session.add(renewal)
        return RenewalFacts(rid, contract_id, contract.contractor_id, year_start, terms.year_end, renewal.status)


def _step(rid: str, action: str, actor: str, rule: str = RULE, detail: dict | None = None):
    return recorded_step(Renewal, rid, what="renewal", subject_type=SUBJECT, action=action, actor=actor, rule=rule,
                         detail=detail)


def _notify(session: Session, renewal: Renewal, notice_type: str, on: date, **context) -> None:
    contract = session.get(Contract, renewal.contract_id)
    notify(session, notice_type=notice_type, key=f"{notice_type}:{renewal.id}:1",
           recipient=contractor_recipient(session.get(Contractor, contract.contractor_id)),
           subject_type=SUBJECT, subject_id=renewal.id,
           context={"division_name": settings().division_name, "notice_date": on.isoformat(),
                    "contract_id": renewal.contract_id, "renewal_id": renewal.id, "reference": renewal.id,
                    **context})


def outcome_lines(figures: dict) -> str:
    """One line per outcome of (13)(A)-(C): label, percent, target, met or not."""
    def line(o: dict) -> str:
        value = f"{o['percent']}%" if o["percent"] is not None else "no children to measure"
        met = {True: "met", False: "not met", None: "not measured"}[o["met"]]
        return f"{o['label']}: {value} (target {o['target']}%): {met}."
    return "\n".join(line(o) for o in figures["outcomes"])


@task(name="record-preliminary-outcomes")
def record_preliminary(rid: str, figures: dict, as_of: date) -> date:
    """(15): the contractor may review its outcomes before the final report; the notice opens the window."""
    closes = as_of + timedelta(days=settings().renewal_review_days)
    with _step(rid, "renewal.preliminary", "contract-renewal", detail={"review_closes_on": closes.isoformat(),
                                                                       "missed": figures_missed(figures)}) as (
            session, renewal):
        renewal.preliminary, renewal.status, renewal.review_closes_on = figures, "review_open", closes
        _notify(session, renewal, "renewal-preliminary", as_of,
                year=f"{renewal.year_start.isoformat()} to {renewal.year_end.isoformat()}",
                outcomes=outcome_lines(figures), review_closes_on=closes.isoformat(),
                how_to_correct="Make any update the outcomes need in the case management system, and tell your "
                               "contract administrator of any programming error you find: the division corrects "
                               "it (13 CSR 35-32.020 (15)).")
    return closes


def figures_missed(figures: dict) -> list[str]:
    return [o["label"] for o in figures["outcomes"] if o["met"] is False]


@task(name="record-renewal-corrections")
def record_corrections(rid: str, correction: str, description: str, received_on: date, decided_by: str) -> None:
    """(15): the contractor's review; a programming error it identified is recorded as corrected by the division."""
    kind = Correction(correction)
    action = "renewal.programming_error_corrected" if kind is Correction.programming_error else "renewal.reviewed"
    with _step(rid, action, decided_by, detail={"correction": kind.name}) as (session, renewal):
        if kind is not Correction.none:
            renewal.corrections = [*renewal.corrections, {"on": received_on.isoformat(), "kind": kind.name,
                                                          "description": description, "by": decided_by}]


@task(name="record-final-outcomes")
def record_final(rid: str, figures: dict, report_path: str) -> list[str]:
    """(15): the final outcomes report; returns the outcomes not met."""
    with _step(rid, "renewal.final", "contract-renewal", detail={"missed": figures_missed(figures)}) as (_, renewal):
        renewal.final, renewal.report_path, renewal.status = figures, report_path, "final"
    return figures_missed(figures)


@task(name="record-renewal-recommendation")
def record_recommendation(rid: str, recommendation: str, reduced_cases: int, reasons: str, by: str) -> None:
    chosen = RenewalDecision(recommendation)
    with _step(rid, "renewal.recommended", by, detail={"recommendation": chosen.name}) as (_, renewal):
        renewal.recommendation, renewal.recommended_by, renewal.status = chosen.name, by, "recommended"
        renewal.reduced_cases = reduced_cases or None


@task(name="record-renewal-decision")
def record_decision(rid: str, decision: str, reduced_cases: int, by: str, on: date) -> None:
    """(15): renew, renew with a plan (16) or a reduced caseload (32.030 (6)(B)5), or do not renew."""
    chosen = RenewalDecision(decision)
    with _step(rid, "renewal.decided", by, "13 CSR 35-32.020 (15)-(16)", {"decision": chosen.name}) as (
            session, renewal):
        renewal.decision, renewal.decided_by, renewal.decided_on, renewal.status = chosen.name, by, on, "decided"
        renewal.reduced_cases = reduced_cases if chosen is RenewalDecision.renew_reduced else None
        contract = session.get(Contract, renewal.contract_id)
        if chosen is RenewalDecision.do_not_renew:
            contract.status = "not_renewed"
        elif chosen is RenewalDecision.renew_reduced:
            contract.caseload_reduced_on = renewal.year_end + timedelta(days=1)
        session.add(contract)


@task(name="record-next-year-terms")
def record_next_terms(rid: str, terms: dict, by: str) -> date:
    """The renegotiated measures and terms of the next contract year; returns its first day."""
    with _step(rid, "renewal.terms_renegotiated", by, "13 CSR 35-32.020 (13)") as (session, renewal):
        start = renewal.year_end + timedelta(days=1)
        end = date(start.year + 1, start.month, start.day) - timedelta(days=1)
        if not session.exec(select(ContractTerms.id).where(ContractTerms.contract_id == renewal.contract_id,
                                                           ContractTerms.year_start == start)).first():
            session.add(ContractTerms(contract_id=renewal.contract_id, year_start=start, year_end=end,
                                      recorded_by=by, **terms))
    return start


@task(name="start-improvement-plan")
def start_improvement_plan(rid: str, missed: list[str], as_of: date) -> str:
    """(16): renewal with a practice improvement plan starts that workflow for the outcomes not met."""
    from prefect.deployments import run_deployment

    from tasks.plans.intake import open_plan

    with transaction() as session:
        renewal = session.get(Renewal, rid)
        plan_id = renewal.plan_id or f"PIP-{renewal.contract_id}-{renewal.year_end.year}"
        if renewal.plan_id is None:
            open_plan(session, plan_id=plan_id, contract_id=renewal.contract_id,
                      outcomes=missed or ["outcome goals of the contract"], actor="contract-renewal")
            renewal.plan_id = plan_id
            session.add(renewal)
    run_deployment(PLAN_DEPLOYMENT, parameters={"plan_id": plan_id, "as_of": as_of.isoformat()}, timeout=0,
                   as_subflow=False, idempotency_key=f"plan-from-{rid}")
    return plan_id


@task(name="send-renewal-decision")
def send_decision(rid: str, reasons: str, detail: str, on: date) -> None:
    with transaction() as session:
        renewal = session.get(Renewal, rid)
        next_start = renewal.year_end + timedelta(days=1)
        _notify(session, renewal, "renewal-decision", on, next_year=f"the contract year from {next_start.isoformat()}",
                decision=RenewalDecision[renewal.decision].value, reasons=reasons, detail=detail)
