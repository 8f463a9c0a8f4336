"""Sample Hand-Up pilot providers and applications for `cwa seed-demo` and the tests (fictional families)."""

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from models.handup_intake import HandUpApplicationIn
from models.tables import Participant, PilotProvider
from tasks.context import division_today
from tasks.demo import seed_one
from tasks.handup.enrolment import start_enrolment_run, store_application

SAMPLE_PROVIDERS = (
    dict(id="PP-RURAL", name="Shannon County Little Learners", county="Shannon", county_class="rural",
         families_served=40, license_number="L-1001", license_valid_until=date(2030, 6, 30), contract_id="CC-1001",
         contract_ends_on=date(2030, 6, 30), agreed_on=date(2026, 1, 5), designated_on=date(2026, 1, 10)),
    dict(id="PP-URBAN", name="Kansas City Early Learning Center", county="Jackson", county_class="urban",
         families_served=420, license_number="L-2002", license_valid_until=date(2030, 6, 30), contract_id="CC-2002",
         contract_ends_on=date(2030, 6, 30), agreed_on=date(2026, 1, 5), designated_on=date(2026, 1, 10)),
)


def seed_providers(session: Session) -> None:
    """Designate the two sample pilot providers, one rural and one urban serving over 300 families (2)(A)-(B)."""
    for provider in SAMPLE_PROVIDERS:
        session.merge(PilotProvider(**provider))


def sample_application(participant_id: str, *, person_id: str | None = None, name: str = "Rosalind Featherstone",
                       income: str = "2600.00", family_size: int = 3, applied_on: date = date(2026, 1, 5),
                       months: int = 6, consent_days: int = 20, agrees: bool = True, email: str | None = None,
                       charge: str = "900.00", provider: str = "PP-URBAN") -> HandUpApplicationIn:
    """An application with two children in care that meets every condition of (1) unless told otherwise."""
    return HandUpApplicationIn(
        participant_id=participant_id, person_id=person_id or f"PER-{participant_id}",
        address={"name": name, "line1": "4417 Wornall Rd", "line2": "Apt 2B", "city": "Kansas City",
                 "state": "MO", "zip_code": "64111"},
        email=email, email_opt_in=email is not None, provider_id=provider, care_area="urban",
        children=[{"birth_date": applied_on - timedelta(days=365), "actual_charge": Decimal(charge)},
                  {"birth_date": applied_on - timedelta(days=365 * 3), "actual_charge": Decimal(charge)}],
        family_size=family_size, adjusted_gross_income=Decimal(income), months_full_benefits=months,
        meets_program_requirements=True, lost_eligibility_on=applied_on - timedelta(days=consent_days),
        consented_on=applied_on, agrees_to_pay=agrees, applied_on=applied_on)


def seed_demo_handup(report=print) -> list[str]:
    """The pilot providers, one application waiting for the eligibility worker and one enrolled."""
    from tasks.context import transaction

    with transaction() as session:
        seed_providers(session)
    today = division_today()
    started = []
    for answered, (pid, name) in enumerate((("HU-DEMO-01", "Marisol Ventura"), ("HU-DEMO-02", "Dale Pruitt"))):
        def store(session, pid=pid, name=name):
            store_application(session, sample_application(pid, name=name, applied_on=today), actor="seed-demo")

        answers = [("approve-enrolment", {"approve": True, "enrolled_on": today, "decided_by": "S-006"})]
        if seed_one(Participant, pid, store, start_enrolment_run, answers[:answered], report):
            started.append(pid)
    return started
