"""Annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6): outcomes, the contractor's review,
the final report, the administrator's recommendation, the director's decision, next year's terms, the notice."""

from datetime import date

from prefect import flow

from models.calendar import add_business_days
from models.tables import OnDue, Role
from tasks.context import current_flow_run_id, division_today
from tasks.human import DeadlinePassed, TaskSpec, ask
from tasks.notices import deliver_notices
from tasks.renewal.figures import compute_figures, final_report, next_year_defaults
from tasks.renewal.forms import Correction, Decide, NextYearTerms, Recommend, RecordCorrections, RenewalDecision
from tasks.renewal.records import (SUBJECT, open_renewal, record_corrections, record_decision, record_final,
                                   record_next_terms, record_preliminary, record_recommendation, send_decision,
                                   start_improvement_plan)

STAFF_DAYS = 10  # service target for the division's own steps
RENEWED = (RenewalDecision.renew, RenewalDecision.renew_with_plan, RenewalDecision.renew_reduced)


def _spec(key: str, kind: str, rid: str, role: Role, due: date, **kw) -> TaskSpec:
    return TaskSpec(key=key, kind=kind, subject_type=SUBJECT, subject_id=rid, role=role, due=due, **kw)


@flow(name="contract-renewal", flow_run_name="renewal-{contract_id}-{year_start}")
def contract_renewal(contract_id: str, year_start: date, as_of: date | None = None) -> str:
    """From the year's outcomes to the decision on the next contract year."""
    as_of = as_of or division_today()
    r = open_renewal(contract_id, year_start, current_flow_run_id())
    closes = record_preliminary(r.id, compute_figures(r.id, "preliminary", as_of), as_of)
    deliver_notices()

    review = ask(
        _spec("record-corrections", "record the contractor's review of its outcomes", r.id, Role.contract_admin,
              closes, on_due=OnDue.timer),
        RecordCorrections,
        f"### Renewal `{r.id}`: the contractor's review\nContract `{contract_id}` may review its outcomes until "
        f"**{closes.isoformat()}** (13 CSR 35-32.020 (15)). Record its corrections when they come in; re-import the "
        "corrected extracts first. With no answer by then, the final report is made as it stands.",
        received_on=as_of,
    )
    final_on = closes
    if not isinstance(review, DeadlinePassed):
        record_corrections(r.id, review.correction.value, review.description, review.received_on, review.decided_by)
        final_on = review.received_on
    missed = record_final(r.id, *final_report(r.id, final_on))

    recommendation = ask(
        _spec("recommend-renewal", "recommend the renewal decision", r.id, Role.contract_admin,
              add_business_days(final_on, STAFF_DAYS)),
        Recommend,
        f"### Renewal `{r.id}`: recommend\nThe final outcomes report is linked in the run's artifacts. Outcomes not "
        f"met: **{', '.join(missed) or 'none'}**. Recommend renewal, renewal with a practice improvement plan "
        "(13 CSR 35-32.020 (16)), renewal with a reduced caseload, or no renewal (35-32.020 (15)).",
    )
    record_recommendation(r.id, recommendation.recommendation.value, recommendation.reduced_cases,
                          recommendation.reasons, recommendation.decided_by)
    decision = ask(
        _spec("decide-renewal", "decide the renewal", r.id, Role.director, add_business_days(final_on, STAFF_DAYS),
              excluded_staff_id=recommendation.decided_by,
              excluded_reason="the administrator who recommended may not also decide (separation of duties)"),
        Decide,
        f"### Renewal `{r.id}`: decide\nThe contract administrator recommends: "
        f"**{recommendation.recommendation.value}**. Outcomes not met: **{', '.join(missed) or 'none'}**.",
        decision=recommendation.recommendation, reduced_cases=recommendation.reduced_cases,
    )
    record_decision(r.id, decision.decision.value, decision.reduced_cases, decision.decided_by, final_on)

    detail = "The contract ends with this contract year."
    if decision.decision in RENEWED:
        terms = ask(
            _spec("next-year-terms", "record the next year's terms", r.id, Role.contract_admin,
                  add_business_days(final_on, STAFF_DAYS)),
            NextYearTerms,
            f"### Renewal `{r.id}`: the next year's terms\nRecord the performance measures and terms renegotiated "
            "for the next contract year.",
            **next_year_defaults(r.id, decision.reduced_cases if decision.decision is RenewalDecision.renew_reduced
                                 else None),
        )
        start = record_next_terms(r.id, terms.model_dump(exclude={"decided_by"}), terms.decided_by)
        detail = (f"The contract goes on from {start.isoformat()} with {terms.cases_awarded} cases and the targets "
                  f"recorded: permanency {terms.permanency_target}%, safety {terms.safety_target}%, no re-entry "
                  f"{terms.reentry_target}%.")
        if decision.decision is RenewalDecision.renew_with_plan:
            plan_id = start_improvement_plan(r.id, missed, final_on)
            detail += f" Practice improvement plan {plan_id} is required for: {', '.join(missed) or 'the outcomes'}."
    send_decision(r.id, decision.reasons, detail, final_on)
    deliver_notices()
    return decision.decision.name
