"""Hand-Up records for tests, with synthetic names and addresses: a pilot provider and participants in any status.

    with transaction() as session:
        make_participant(session, "HU-T-1", premium=Decimal("120.00"), first_month=date(2026, 12, 1))

Each is added to the caller's session (flushed, not committed). Give every test its own IDs.
"""

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from models.tables import Participant, PilotProvider

PROVIDER = "PP-TEST"


def make_provider(session: Session, id: str = PROVIDER, **overrides) -> PilotProvider:
    """A designated, licensed, active pilot provider (13 CSR 35-32.040 (2)-(3)); returns the existing one if any."""
    found = session.get(PilotProvider, id)
    if found is not None:
        return found
    provider = PilotProvider(**{
        "id": id, "name": f"Provider {id}", "county": "Cole", "county_class": "urban", "families_served": 320,
        "license_number": f"L-{id}", "license_valid_until": date(2030, 12, 31), "contract_id": f"K-{id}",
        "contract_ends_on": date(2030, 6, 30), "agreed_on": date(2026, 1, 5), "designated_on": date(2026, 1, 10),
        **overrides})
    session.add(provider)
    session.flush()
    return provider


def make_participant(session: Session, id: str, *, premium: Decimal | None, first_month: date | None,
                     status: str = "enrolled", email: str | None = None, email_opt_in: bool = False,
                     credit: Decimal = Decimal("0"), provider_id: str = PROVIDER, **overrides) -> Participant:
    """A participant with a synthetic name and Missouri address; the provider is made if it does not exist."""
    make_provider(session, provider_id)
    participant = Participant(**{
        "id": id, "person_id": f"PER-{id}", "name": f"Family {id}", "address_line1": "100 Test Ave",
        "address_line2": "", "city": "Jefferson City", "state": "MO", "zip_code": "65101", "email": email,
        "email_opt_in": email_opt_in, "provider_id": provider_id, "family_size": 3,
        "adjusted_gross_income": Decimal("2500.00"), "benefit": Decimal("900.00"), "premium": premium,
        "months_full_benefits": 6, "meets_program_requirements": True, "lost_eligibility_on": date(2026, 1, 2),
        "consented_on": date(2026, 1, 20), "agrees_to_pay": True, "applied_on": date(2026, 1, 20),
        "status": status, "enrolled_on": date(2026, 2, 1) if status == "enrolled" else None,
        "first_month": first_month, "credit": credit, **overrides})
    session.add(participant)
    session.flush()
    return participant
