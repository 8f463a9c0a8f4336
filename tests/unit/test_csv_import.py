"""Unit tests for models.csv_import: good files parse, every bad row is reported with its line."""

import pytest

from models.csv_import import ContractorRecord, StaffRecord, parse_contractors, parse_staff
from models.errors import ImportRejected

STAFF_HEADER = "id,full_name,email,roles,active\n"
CONTRACTOR_HEADER = "id,name,email,address_line1,address_line2,city,state,zip_code\n"
ALLOWED = ("designee, director, supervisor, contract_admin, eligibility_worker, "
           "eligibility_supervisor, hearing_officer, admin")
GOOD_ADDRESS = "100 Main St,,Jefferson City,MO,65101"


def staff(id="S-001", name="Ann Lee", email="ann@dss.mo.gov", roles=("designee",), active=True):
    return StaffRecord(id=id, full_name=name, email=email, roles=tuple(roles), active=active)


def contractor(id="C-001", name="Acme Care", email="office@acme.org", line1="100 Main St", line2="",
               city="Jefferson City", state="MO", zip_code="65101"):
    return ContractorRecord(id=id, name=name, email=email, address_line1=line1, address_line2=line2,
                            city=city, state=state, zip_code=zip_code)


def rejected(parse, text) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as info:
        parse(text)
    return info.value.errors


# --- staff: good files -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,true\n",
                 [staff()], id="one-row"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee;director,yes\n"
                 "S-002,Bo Ray,bo@dss.mo.gov,supervisor,no\n",
                 [staff(roles=("designee", "director")),
                  staff(id="S-002", name="Bo Ray", email="bo@dss.mo.gov", roles=("supervisor",),
                        active=False)],
                 id="two-rows-several-roles"),
    pytest.param("\ufeff" + STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,1\n",
                 [staff()], id="utf8-bom"),
    pytest.param(" id , full_name ,email, roles ,active\r\n"
                 "  S-001 , Ann Lee ,ann@dss.mo.gov , designee ; director ,FALSE\r\n",
                 [staff(roles=("designee", "director"), active=False)], id="whitespace-crlf-case"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,\n",
                 [staff()], id="active-blank-defaults-true"),
    pytest.param("id,full_name,email,roles\nS-001,Ann Lee,ann@dss.mo.gov,designee\n",
                 [staff()], id="active-column-absent"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee;designee;,0\n",
                 [staff(active=False)], id="repeated-role-and-trailing-separator"),
    pytest.param(STAFF_HEADER + "\nS-001,Ann Lee,ann@dss.mo.gov,designee,true\n\n",
                 [staff()], id="blank-lines-skipped"),
    pytest.param(STAFF_HEADER + '"S-001","Lee, Ann",ann@dss.mo.gov,"designee;director",true\n',
                 [staff(name="Lee, Ann", roles=("designee", "director"))], id="quoted-fields"),
    pytest.param(STAFF_HEADER, [], id="header-only"),
    pytest.param(STAFF_HEADER + f"{'S' * 32},Ann Lee,ann@dss.mo.gov,designee,true\n",
                 [staff(id="S" * 32)], id="id-32-chars"),
])
def test_parse_staff_good(text, expected):
    assert parse_staff(text) == expected


# --- staff: bad rows ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, errors", [
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,true\nS-002,Bo Ray,x,designee,true\n",
                 [(3, "email 'x' is not an email address")], id="bad-email"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss,designee,true\n",
                 [(2, "email 'ann@dss' is not an email address")], id="email-without-dot-in-domain"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,a@b@dss.mo.gov,designee,true\n",
                 [(2, "email 'a@b@dss.mo.gov' is not an email address")], id="email-two-at-signs"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,boss,true\n",
                 [(2, f"unknown role 'boss' (allowed: {ALLOWED})")], id="unknown-role"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,Director,true\n",
                 [(2, f"unknown role 'Director' (allowed: {ALLOWED})")], id="role-wrong-case"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,;,true\n",
                 [(2, "roles lists no role")], id="roles-only-separators"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,maybe\n",
                 [(2, "active 'maybe' is not one of true/false/yes/no/1/0")], id="bad-active"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,true\n"
                 "S-002,Bo Ray,bo@dss.mo.gov,designee,true\nS-001,Cy Dee,cy@dss.mo.gov,designee,true\n",
                 [(4, "duplicate id 'S-001' (first seen on row 2)")], id="duplicate-id"),
    pytest.param(STAFF_HEADER + " ,Ann Lee,ann@dss.mo.gov,designee,true\n",
                 [(2, "id is blank")], id="blank-id"),
    pytest.param(STAFF_HEADER + f"{'S' * 33},Ann Lee,ann@dss.mo.gov,designee,true\n",
                 [(2, "id is 33 characters long (at most 32)")], id="id-too-long"),
    pytest.param(STAFF_HEADER + "S-001,,ann@dss.mo.gov,,true\n",
                 [(2, "full_name is blank"), (2, "roles is blank")], id="blank-name-and-roles"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee\n",
                 [(2, "email is blank"), (2, "roles is blank")], id="short-row"),
    pytest.param(STAFF_HEADER + "S-001,Ann Lee,ann@dss.mo.gov,designee,true,extra\n",
                 [(2, "6 fields, but the header has 5 columns")], id="too-many-fields"),
    pytest.param("id,full_name,active\nS-001,Ann Lee,true\n",
                 [(1, "missing column(s): email, roles")], id="missing-columns"),
    pytest.param("id,full_name,email,roles,active,notes\n",
                 [(1, "unknown column(s): 'notes' (expected: id, full_name, email, roles, active)")],
                 id="unknown-column"),
    pytest.param("id,full_name,email,roles,email\n",
                 [(1, "repeated column(s): email")], id="repeated-column"),
    pytest.param("", [(1, "file is empty; expected the header id,full_name,email,roles,active")],
                 id="empty-file"),
])
def test_parse_staff_bad(text, errors):
    assert rejected(parse_staff, text) == errors


def test_several_bad_staff_rows_are_all_reported():
    text = (STAFF_HEADER
            + "S-001,Ann Lee,ann@dss.mo.gov,designee,true\n"   # row 2: good
            + "S-002,Bo Ray,bo-at-dss,designee,true\n"          # row 3
            + "S-003,Cy Dee,cy@dss.mo.gov,boss;director,true\n"  # row 4
            + "S-001,Di Fay,di@dss.mo.gov,supervisor,true\n"     # row 5
            + "\n"                                              # row 6: blank, skipped
            + ",Ed Gray,,supervisor,perhaps\n")                 # row 7: three problems
    assert rejected(parse_staff, text) == [
        (3, "email 'bo-at-dss' is not an email address"),
        (4, f"unknown role 'boss' (allowed: {ALLOWED})"),
        (5, "duplicate id 'S-001' (first seen on row 2)"),
        (7, "id is blank"),
        (7, "email is blank"),
        (7, "active 'perhaps' is not one of true/false/yes/no/1/0"),
    ]


def test_row_numbers_are_file_lines_with_multiline_quoted_field():
    text = STAFF_HEADER + 'S-001,"Ann\nLee",ann@dss.mo.gov,designee,true\nS-002,Bo Ray,bad,designee,true\n'
    assert rejected(parse_staff, text) == [(4, "email 'bad' is not an email address")]


def test_rejection_message_lists_rows():
    with pytest.raises(ImportRejected, match=r"1 bad row\(s\), nothing imported:\nrow 2: email 'x'"):
        parse_staff(STAFF_HEADER + "S-001,Ann Lee,x,designee,true\n")


# --- contractors -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    pytest.param(CONTRACTOR_HEADER + f"C-001,Acme Care,office@acme.org,{GOOD_ADDRESS}\n",
                 [contractor()], id="one-row-blank-line2"),
    pytest.param(CONTRACTOR_HEADER
                 + "C-002,Best Kids,info@best.org,1 Elm Ave,Suite 4,St. Louis,MO,63101-1234\n",
                 [contractor(id="C-002", name="Best Kids", email="info@best.org", line1="1 Elm Ave",
                             line2="Suite 4", city="St. Louis", zip_code="63101-1234")], id="zip-plus-4"),
    pytest.param(CONTRACTOR_HEADER + "C-003,Isla,a@b.pr,Calle 1,,San Juan,PR,00901\n",
                 [contractor(id="C-003", name="Isla", email="a@b.pr", line1="Calle 1", city="San Juan",
                             state="PR", zip_code="00901")], id="territory"),
    pytest.param("id,name,email,address_line1,city,state,zip_code\n"
                 "C-001,Acme Care,office@acme.org,100 Main St,Jefferson City,MO,65101\n",
                 [contractor()], id="address-line2-column-absent"),
    pytest.param("\ufeff" + CONTRACTOR_HEADER.replace("\n", "\r\n")
                 + f"C-001, Acme Care ,office@acme.org,{GOOD_ADDRESS}\r\n",
                 [contractor()], id="bom-crlf-whitespace"),
])
def test_parse_contractors_good(text, expected):
    assert parse_contractors(text) == expected


@pytest.mark.parametrize("row, errors", [
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,mo,65101",
                 [(2, "state 'mo' is not two uppercase letters")], id="state-lowercase"),
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,MOO,65101",
                 [(2, "state 'MOO' is not two uppercase letters")], id="state-three-letters"),
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,ZZ,65101",
                 [(2, "state 'ZZ' is not a US state or territory code")], id="state-unknown"),
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,MO,6510",
                 [(2, "zip_code '6510' is not a ZIP code (12345 or 12345-6789)")], id="zip-four-digits"),
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,MO,65101-12",
                 [(2, "zip_code '65101-12' is not a ZIP code (12345 or 12345-6789)")], id="zip-bad-plus-4"),
    pytest.param("C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,MO,651O1",
                 [(2, "zip_code '651O1' is not a ZIP code (12345 or 12345-6789)")], id="zip-letter"),
    pytest.param("C-001,Acme Care,office@,100 Main St,,Jefferson City,MO,65101",
                 [(2, "email 'office@' is not an email address")], id="bad-email"),
    pytest.param("C-001,Acme Care,office@acme.org,,,,,",
                 [(2, "address_line1 is blank"), (2, "city is blank"), (2, "state is blank"),
                  (2, "zip_code is blank")], id="blank-address"),
    pytest.param(f"C-001,{'n' * 201},office@acme.org,{GOOD_ADDRESS}",
                 [(2, "name is 201 characters long (at most 200)"),
                  (2, "name is 201 characters long (at most 40 on a mailing label)")], id="name-too-long"),
    pytest.param(f"C-001,{'n' * 41},office@acme.org,{GOOD_ADDRESS}",
                 [(2, "name is 41 characters long (at most 40 on a mailing label)")],
                 id="name-longer-than-a-mailing-label"),
])
def test_parse_contractors_bad(row, errors):
    assert rejected(parse_contractors, CONTRACTOR_HEADER + row + "\n") == errors


def test_contractor_header_missing_columns():
    assert rejected(parse_contractors, "id,name,email,city\n") == [
        (1, "missing column(s): address_line1, state, zip_code")]


def test_several_bad_contractor_rows_are_all_reported():
    text = (CONTRACTOR_HEADER
            + "C-001,Acme Care,office@acme.org,100 Main St,,Jefferson City,XX,65101\n"
            + f"C-002,Best Kids,info@best.org,{GOOD_ADDRESS}\n"
            + "C-003,Cary,cary@cary.org,1 Elm,,Columbia,MO,ABCDE\n"
            + f"C-002,Best Again,again@best.org,{GOOD_ADDRESS}\n")
    assert rejected(parse_contractors, text) == [
        (2, "state 'XX' is not a US state or territory code"),
        (4, "zip_code 'ABCDE' is not a ZIP code (12345 or 12345-6789)"),
        (5, "duplicate id 'C-002' (first seen on row 3)"),
    ]
