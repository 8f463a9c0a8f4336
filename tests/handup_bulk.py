"""Many Hand-Up participants at once, for the fault tests on the scaled stack and tests/bench/handup.py: enrolled,
billed from June 2026, every tenth one with credit, every fifth one taking an email copy. IDs only in what
reaches Prefect."""

from datetime import date
from decimal import Decimal

from sqlalchemy import insert, update

from models.tables import Participant, PilotProvider, PremiumBill
from tasks.context import transaction

STREETS = ("Market St", "Grand Blvd", "High St", "Broadway", "Olive St", "Main St", "Walnut St", "Locust St")
CITIES = (("St. Louis", "63103"), ("Kansas City", "64106"), ("Jefferson City", "65101"), ("Springfield", "65806"),
          ("Columbia", "65201"), ("Joplin", "64801"), ("Cape Girardeau", "63701"), ("St. Joseph", "64501"))


def credit_of(k: int) -> Decimal:
    return Decimal("500.00") if k % 50 == 5 else Decimal("25.00") if k % 10 == 5 else Decimal("0.00")


def participant(k: int) -> dict:
    city, zip_code = CITIES[k % len(CITIES)]
    return {"id": f"HU-{k:06d}", "person_id": f"PER-{k:06d}", "name": f"Bulk Family {k}",
            "address_line1": f"{100 + k % 9000} {STREETS[k % len(STREETS)]}",
            "address_line2": f"Apt {k % 50 + 1}" if k % 3 == 0 else "", "city": city, "state": "MO",
            "zip_code": zip_code, "email": f"family{k}@example.org" if k % 2 == 0 else None,
            "email_opt_in": k % 10 in (0, 2), "provider_id": "PP-BULK", "family_size": 3,
            "adjusted_gross_income": Decimal("2600.00"), "benefit": Decimal("900.00"),
            "premium": Decimal(50 + k % 200) + Decimal(k % 100) / 100, "months_full_benefits": 6,
            "meets_program_requirements": True, "lost_eligibility_on": date(2026, 4, 1),
            "consented_on": date(2026, 4, 20), "agrees_to_pay": True, "payroll_deduction": False,
            "applied_on": date(2026, 4, 20), "status": "enrolled", "unmet": [], "enrolled_on": date(2026, 5, 20),
            "first_month": date(2026, 6, 1), "credit": credit_of(k)}


def make_participants(n: int) -> None:
    """n enrolled participants HU-000000 ... with their pilot provider."""
    with transaction() as session:
        session.add(PilotProvider(id="PP-BULK", name="Bulk Provider", county="Cole", county_class="urban",
                                  families_served=400, license_number="L-BULK", license_valid_until=date(2030, 1, 1),
                                  contract_id="K-BULK", contract_ends_on=date(2030, 1, 1),
                                  agreed_on=date(2026, 1, 1), designated_on=date(2026, 1, 2)))
    for start in range(0, n, 10_000):
        with transaction() as session:
            session.exec(insert(Participant), params=[participant(k) for k in range(start, min(n, start + 10_000))])


def pay_all_but(coverage_month: date, unpaid: tuple[str, ...]) -> None:
    """Every bill of the month paid in full but those of participants whose ID ends in one of `unpaid`."""
    with transaction() as session:
        session.exec(update(PremiumBill).where(PremiumBill.coverage_month == coverage_month,
                                               *(PremiumBill.participant_id.not_like(f"%{u}") for u in unpaid))
                     .values(paid=PremiumBill.amount, status="paid"))
