"""Hand-Up applications for the flow tests: the sample providers, applications stored and their runs started."""

from datetime import date

from models.handup_intake import HandUpApplicationIn
from tasks.context import transaction
from tasks.handup.demo import sample_application, seed_providers as seed
from tasks.handup.enrolment import start_enrolment_run, store_application

application = sample_application


def seed_providers() -> None:
    with transaction() as session:
        seed(session)


def apply(app: HandUpApplicationIn, as_of: date | None = None) -> str:
    """Store the application and start its enrolment run; returns the run ID."""
    with transaction() as session:
        store_application(session, app, actor="test")
    return start_enrolment_run(app.participant_id, as_of or app.applied_on)
