"""Sample staff and contractors for the demo and the tests (fictional people and agencies)."""

from sqlmodel import Session

from datetime import date

from models.tables import Contract, Contractor, Role, Staff, StaffRole

STAFF = [
    ("S-001", "Dana Whitfield", "designee"),
    ("S-002", "Marcus Ebeling", "designee"),
    ("S-003", "Priya Ramaswamy", "director"),
    ("S-004", "Tomasz Wieczorek", "supervisor"),
    ("S-005", "Lorraine Okafor", "contract_admin"),
    ("S-006", "Hector Villanueva", "eligibility_worker"),
    ("S-007", "June Abernathy", "eligibility_supervisor"),
    ("S-008", "Felix Marchetti", "hearing_officer"),
    ("S-009", "Odette Brannigan", "designee;director"),  # acting director: separation of duties applies
    ("S-010", "Ingrid Halvorsen", "admin"),  # administers Prefect; decides no case
]
DEMO_PASSWORD = "Demo-Pass-2026!"  # every sample staff member's password in the demo

CONTRACTORS = [
    ("C-001", "Gateway Family Partners", "intake@gateway-family.example", "1200 Market St", "St. Louis", "63103"),
    ("C-002", "Heartland Children's Alliance", "contracts@heartland-ca.example", "400 Grand Blvd",
     "Kansas City", "64106"),
    ("C-003", "Ozark Youth Services", "hr@ozark-youth.example", "85 Park Central Sq", "Springfield", "65806"),
]


def seed_roster(session: Session) -> None:
    """Insert or refresh the sample roster and contractors."""
    for staff_id, name, roles in STAFF:
        slug = name.lower().replace(" ", ".")
        session.merge(Staff(id=staff_id, full_name=name, email=f"{slug}@dss.mo.example"))
        for role in roles.split(";"):
            session.merge(StaffRole(staff_id=staff_id, role=Role(role)))
    for cid, name, email, line1, city, zip_code in CONTRACTORS:
        session.merge(Contractor(id=cid, name=name, email=email, address_line1=line1, city=city,
                                 state="MO", zip_code=zip_code))
    session.flush()
    for n, (cid, *_rest) in enumerate(CONTRACTORS, start=1):
        session.merge(Contract(id=f"K-00{n}", contractor_id=cid, starts_on=date(2026, 7, 1),
                               ends_on=date(2027, 6, 30)))
