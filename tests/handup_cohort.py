"""Hand-Up applications for the flow tests: recognisable people, one rural and one urban pilot provider."""

from datetime import date, timedelta
from decimal import Decimal

from models.handup_intake import HandUpApplicationIn
from models.tables import PilotProvider
from tasks.context import transaction
from tasks.handup.enrolment import start_enrolment_run, store_application

PROVIDERS = (
    PilotProvider(id="PP-RURAL", name="Shannon County Little Learners", county="Shannon", county_class="rural",
                  families_served=40, license_number="L-1001", license_valid_until=date(2030, 6, 30),
                  contract_id="CC-1001", contract_ends_on=date(2030, 6, 30), agreed_on=date(2026, 1, 5),
                  designated_on=date(2026, 1, 10)),
    PilotProvider(id="PP-URBAN", name="Kansas City Early Learning Center", county="Jackson", county_class="urban",
                  families_served=420, license_number="L-2002", license_valid_until=date(2030, 6, 30),
                  contract_id="CC-2002", contract_ends_on=date(2030, 6, 30), agreed_on=date(2026, 1, 5),
                  designated_on=date(2026, 1, 10)),
)


def seed_providers() -> None:
    with transaction() as session:
        for provider in PROVIDERS:
            session.merge(PilotProvider(**provider.model_dump()))


def application(participant_id: str, *, person_id: str | None = None, name: str = "Rosalind Featherstonehaugh",
                income: str = "2600.00", family_size: int = 3, applied_on: date = date(2026, 1, 5),
                months: int = 6, consent_days: int = 20, agrees: bool = True, email: str | None = None,
                charge: str = "900.00", provider: str = "PP-URBAN") -> HandUpApplicationIn:
    """An application that meets every condition unless told otherwise."""
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


def apply(app: HandUpApplicationIn, as_of: date | None = None) -> str:
    """Store the application and start its enrolment run; returns the run ID."""
    with transaction() as session:
        store_application(session, app, actor="test")
    return start_enrolment_run(app.participant_id, as_of or app.applied_on)
