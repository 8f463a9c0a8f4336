"""Store a screening result and start its review run (13 CSR 35-32.020 (7)(C))."""

from sqlmodel import Session

from models.errors import NotFound, RuleViolation
from models.intake import ScreeningResult
from models.tables import Contractor, HiringReview, Offence, Prospect
from tasks.human.audit import audit

DEPLOYMENT = "hiring-exclusion-review/hiring-exclusion-review"


def store_screening(session: Session, result: ScreeningResult, actor: str) -> str:
    """Write the review, its prospect and offences in the caller's transaction; returns the review ID."""
    if session.get(Contractor, result.contractor_id) is None:
        raise NotFound(f"no contractor {result.contractor_id!r}")
    if session.get(HiringReview, result.review_id) is not None:
        raise RuleViolation(f"hiring review {result.review_id!r} exists already", "intake")
    prospect = session.get(Prospect, result.prospect_id) or Prospect(id=result.prospect_id,
                                                                     full_name=result.prospect_name)
    prospect.full_name = result.prospect_name
    session.add(prospect)
    session.flush()
    session.add(HiringReview(
        id=result.review_id, contractor_id=result.contractor_id, prospect_id=result.prospect_id,
        screened_on=result.screened_on, division_employee=result.division_employee,
        release_authorization=result.release_authorization,
    ))
    session.flush()
    for o in result.offences:
        session.add(Offence(review_id=result.review_id, category=o.category, level=o.level,
                            disposition=o.disposition, offence_date=o.offence_date,
                            disposition_date=o.disposition_date))
    audit(session, actor=actor, action="review.intake", subject_type="hiring_review",
          subject_id=result.review_id, rule="13 CSR 35-32.020 (7)(C)",
          detail={"contractor_id": result.contractor_id, "offences": len(result.offences)})
    return result.review_id


def start_review_run(review_id: str, as_of=None) -> str:
    """Create a run of the review deployment (IDs only as parameters); returns the flow run ID."""
    from prefect.deployments import run_deployment

    params = {"review_id": review_id} | ({"as_of": as_of.isoformat()} if as_of else {})
    run = run_deployment(DEPLOYMENT, parameters=params, timeout=0, _sync=True)
    return str(run.id)
