"""Roster CSV import against a real SQLite database: upsert by ID, one audit row, all or nothing."""

import pytest
from sqlmodel import SQLModel, select

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from models.csv_import import parse_contractors, parse_staff
from models.db import engine_for, session_scope
from models.errors import ImportRejected
from models.tables import AuditEvent, Contractor, Staff, StaffRole
from tasks.roster import import_contractors, import_staff

STAFF_CSV = """id,full_name,email,roles,active
S-001,Ann Lee,ann@dss.mo.gov,designee;director,true
S-002,Bo Ray,bo@dss.mo.gov,supervisor,true
"""
STAFF_CSV_AGAIN = """id,full_name,email,roles,active
S-001,Ann Lee-Park,ann.park@dss.mo.gov,contract_admin,false
S-003,Cy Dee,cy@dss.mo.gov,hearing_officer,yes
"""
CONTRACTOR_CSV = """id,name,email,address_line1,address_line2,city,state,zip_code
C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,MO,65101
C-002,Best Kids,info@best.org,1 Elm Ave,Suite 4,St. Louis,MO,63101-1234
"""
CONTRACTOR_CSV_AGAIN = """id,name,email,address_line1,address_line2,city,state,zip_code
C-002,Best Kids Inc,info@best.org,2 Oak Ave,,Kansas City,KS,66101
"""


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'roster.db'}"
    SQLModel.metadata.create_all(engine_for(url))
    return url


def staff_rows(url) -> dict[str, tuple]:
    with session_scope(url) as s:
        people = {p.id: (p.full_name, p.email, p.active) for p in s.exec(select(Staff))}
        roles = s.exec(select(StaffRole)).all()
    return {sid: (*row, {r.role for r in roles if r.staff_id == sid}) for sid, row in people.items()}


def contractor_rows(url) -> dict[str, tuple]:
    with session_scope(url) as s:
        return {c.id: (c.name, c.address_line1, c.address_line2, c.city, c.state, c.zip_code)
                for c in s.exec(select(Contractor))}


def audit_rows(url) -> list[AuditEvent]:
    with session_scope(url) as s:
        return list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))


def test_import_staff_writes_rows_and_one_audit_row(url):
    with session_scope(url) as s:
        assert import_staff(s, parse_staff(STAFF_CSV), actor="admin") == 2

    assert staff_rows(url) == {
        "S-001": ("Ann Lee", "ann@dss.mo.gov", True, {"designee", "director"}),
        "S-002": ("Bo Ray", "bo@dss.mo.gov", True, {"supervisor"}),
    }
    [event] = audit_rows(url)
    assert (event.actor, event.action, event.subject_type, event.subject_id) == (
        "admin", "staff.imported", "import", "staff")
    assert event.detail == {"count": 2, "ids": ["S-001", "S-002"]}
    assert "Ann" not in str(event.detail)  # IDs only, never names
    assert event.flow_run_id is None


def test_reimport_staff_updates_and_replaces_roles(url):
    with session_scope(url) as s:
        import_staff(s, parse_staff(STAFF_CSV), actor="admin")
    with session_scope(url) as s:
        assert import_staff(s, parse_staff(STAFF_CSV_AGAIN), actor="admin") == 2

    assert staff_rows(url) == {
        "S-001": ("Ann Lee-Park", "ann.park@dss.mo.gov", False, {"contract_admin"}),
        "S-002": ("Bo Ray", "bo@dss.mo.gov", True, {"supervisor"}),  # not in the file: untouched
        "S-003": ("Cy Dee", "cy@dss.mo.gov", True, {"hearing_officer"}),
    }
    assert [(e.action, e.detail) for e in audit_rows(url)] == [
        ("staff.imported", {"count": 2, "ids": ["S-001", "S-002"]}),
        ("staff.imported", {"count": 2, "ids": ["S-001", "S-003"]}),
    ]


def test_reimport_same_staff_file_is_idempotent(url):
    for _ in range(2):
        with session_scope(url) as s:
            import_staff(s, parse_staff(STAFF_CSV), actor="admin")
    with session_scope(url) as s:
        assert len(s.exec(select(Staff)).all()) == 2
        assert len(s.exec(select(StaffRole)).all()) == 3


def test_import_contractors_then_reimport_updates(url):
    with session_scope(url) as s:
        assert import_contractors(s, parse_contractors(CONTRACTOR_CSV), actor="admin") == 2
    with session_scope(url) as s:
        assert import_contractors(s, parse_contractors(CONTRACTOR_CSV_AGAIN), actor="admin") == 1

    assert contractor_rows(url) == {
        "C-001": ("Acme Care", "100 Main St", "", "Jefferson City", "MO", "65101"),
        "C-002": ("Best Kids Inc", "2 Oak Ave", "", "Kansas City", "KS", "66101"),
    }
    events = audit_rows(url)
    assert [(e.action, e.subject_type, e.subject_id, e.detail) for e in events] == [
        ("contractors.imported", "import", "contractors", {"count": 2, "ids": ["C-001", "C-002"]}),
        ("contractors.imported", "import", "contractors", {"count": 1, "ids": ["C-002"]}),
    ]


@pytest.mark.parametrize("parse, write, bad_csv, rows", [
    pytest.param(parse_staff, import_staff,
                 "id,full_name,email,roles,active\n"
                 "S-001,Changed Name,changed@dss.mo.gov,supervisor,true\n"
                 "S-009,New Person,new@dss.mo.gov,boss,true\n",
                 staff_rows, id="staff"),
    pytest.param(parse_contractors, import_contractors,
                 "id,name,email,address_line1,address_line2,city,state,zip_code\n"
                 "C-001,Changed,office@acme.org,1 New St,,Columbia,MO,65201\n"
                 "C-009,New Co,new@co.org,1 Elm,,Columbia,ZZ,65201\n",
                 contractor_rows, id="contractors"),
])
def test_bad_csv_imports_nothing(url, parse, write, bad_csv, rows):
    with session_scope(url) as s:
        import_staff(s, parse_staff(STAFF_CSV), actor="admin")
        import_contractors(s, parse_contractors(CONTRACTOR_CSV), actor="admin")
    before, audits_before = rows(url), len(audit_rows(url))

    with pytest.raises(ImportRejected) as info, session_scope(url) as s:
        write(s, parse(bad_csv), actor="admin")

    assert [n for n, _ in info.value.errors] == [3]
    assert rows(url) == before
    assert len(audit_rows(url)) == audits_before
