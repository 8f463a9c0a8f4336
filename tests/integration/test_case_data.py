"""Case data imports for the contract renewal, 13 CSR 35-32.020 (13) (tasks/renewal/case_data.py,
`cwa renewal import`): each kind, all or nothing, every bad row by its number, streamed, on SQLite and PostgreSQL.

Each test gets a freshly migrated database of its own. PostgreSQL: a throw-away database `cwa_test_<random>` on
127.0.0.1:5432 (trust auth), dropped afterwards; skipped when the server is not reachable, unless
CWA_REQUIRE_POSTGRES=1 (as tests/integration/test_migrations.py).
"""

import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from flows.cli import app
from models.errors import ImportRejected, RuleViolation
from models.tables import AuditEvent, CaseChild, CaseEvent, CaseImport, Contract, Contractor, PaymentAdjustment
from tasks.context import transaction
from tasks.renewal.case_data import import_case_data
from tasks.renewal.synthetic import synthetic_contract_year
from tests.databases import BACKENDS, fresh_database

RULE = "13 CSR 35-32.020 (13)"
pytestmark = pytest.mark.rule(RULE)
HEADERS = {"referrals": "contract_id,child_id,referred_on,birth_date,funding\n",
           "exits": "contract_id,child_id,exit_on,exit_type\n", "reentries": "contract_id,child_id,reentered_on\n",
           "reports": "contract_id,child_id,substantiated_on,perpetrator\n",
           "placement_changes": "contract_id,child_id,changed_on\n",
           "residential_days": "contract_id,child_id,month,days\n",
           "resource_homes": "contract_id,home_id,developed_on\n",
           "adjustments": "contract_id,month,reason,cases,amount\n"}


def _use(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        contracts("K-1", "K-2")
        yield url


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A migrated database with the contracts K-1 and K-2, used by tasks.context.transaction() meanwhile."""
    yield from _use(request, tmp_path)


@pytest.fixture(params=["sqlite"])
def lite(request, tmp_path):
    """The same, on SQLite only."""
    yield from _use(request, tmp_path)


def contracts(*ids: str) -> None:
    with transaction() as session:
        session.add(Contractor(id="C-1", name="Sample Agency", email="agency@example.org",
                               address_line1="1 Main St", city="Jefferson City", state="MO", zip_code="65101"))
        session.flush()
        for cid in ids:
            session.add(Contract(id=cid, contractor_id="C-1", region="Central", starts_on=date(2024, 10, 1),
                                 ends_on=date(2027, 9, 30)))


def run(kind: str, rows: str, header: str | None = None):
    stream = io.StringIO((HEADERS[kind] if header is None else header) + rows)
    with transaction() as session:
        return import_case_data(session, kind=kind, stream=stream, actor="S-006")


def counts() -> tuple[int, ...]:
    with transaction() as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one()
                     for t in (CaseChild, CaseEvent, CaseImport, PaymentAdjustment, AuditEvent))


def refused(kind: str, rows: str, header: str | None = None) -> dict[int, str]:
    """The bad rows of a file (row -> reason, several joined by ' | '), after checking that nothing was written."""
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        run(kind, rows, header)
    assert counts() == before
    assert "nothing imported" in str(rejected.value)
    found: dict[int, str] = {}
    for row, reason in rejected.value.errors:
        found[row] = f"{found[row]} | {reason}" if row in found else reason
    return found


REFERRALS = ("K-1,CH-1,2025-03-10,2015-06-01,ive\n"
             "K-1,CH-2,2025-11-02,2010-01-31,HDN\n"
             "K-2,CH-1,2025-12-01,2020-02-29,hdn\n")


def test_each_kind_is_imported_with_its_import_its_hash_and_an_audit_row(db):
    summary = run("referrals", REFERRALS)
    assert (summary.kind, summary.rows, summary.contracts) == ("referrals", 3, ("K-1", "K-2"))
    run("exits", "K-1,CH-1,2025-12-15,reunification\nK-2,CH-1,2026-01-05,other\n")
    run("reentries", "K-1,CH-1,2026-03-01\n")
    run("reports", "K-1,CH-2,2026-01-20,out_of_home_provider\n")
    run("placement_changes", "K-1,CH-2,2025-11-02\nK-1,CH-2,2026-02-14\n")
    run("residential_days", "K-1,CH-2,2025-11,29\nK-1,CH-2,2026-02,28\n")
    run("resource_homes", "K-1,RH-77,2026-04-30\n")
    adjustments = run("adjustments", "K-1,2026-01,a,2,\nK-1,2026-02,E,3,125.50\nK-2,2026-03,F,1,80\n")
    with transaction() as session:
        children = session.exec(select(CaseChild).order_by(CaseChild.contract_id, CaseChild.child_id)).all()
        assert [(c.contract_id, c.child_id, c.referred_on, c.birth_date, c.funding, c.import_id == summary.import_id)
                for c in children] == [("K-1", "CH-1", date(2025, 3, 10), date(2015, 6, 1), "ive", True),
                                       ("K-1", "CH-2", date(2025, 11, 2), date(2010, 1, 31), "hdn", True),
                                       ("K-2", "CH-1", date(2025, 12, 1), date(2020, 2, 29), "hdn", True)]
        events = session.exec(select(CaseEvent).order_by(CaseEvent.id)).all()
        assert [(e.contract_id, e.child_id, e.kind, e.on, e.detail, e.days) for e in events] == [
            ("K-1", "CH-1", "exit", date(2025, 12, 15), "reunification", 0),
            ("K-2", "CH-1", "exit", date(2026, 1, 5), "other", 0),
            ("K-1", "CH-1", "reentry", date(2026, 3, 1), "", 0),
            ("K-1", "CH-2", "report", date(2026, 1, 20), "out_of_home_provider", 0),
            ("K-1", "CH-2", "placement_change", date(2025, 11, 2), "", 0),
            ("K-1", "CH-2", "placement_change", date(2026, 2, 14), "", 0),
            ("K-1", "CH-2", "residential_days", date(2025, 11, 1), "", 29),
            ("K-1", "CH-2", "residential_days", date(2026, 2, 1), "", 28),
            ("K-1", None, "resource_home", date(2026, 4, 30), "RH-77", 0)]
        paid = session.exec(select(PaymentAdjustment).order_by(PaymentAdjustment.id)).all()
        assert [(a.contract_id, a.month, a.reason, a.cases, a.amount, a.import_id) for a in paid] == [
            ("K-1", date(2026, 1, 1), "A", 2, Decimal("0.00"), adjustments.import_id),
            ("K-1", date(2026, 2, 1), "E", 3, Decimal("125.50"), adjustments.import_id),
            ("K-2", date(2026, 3, 1), "F", 1, Decimal("80.00"), adjustments.import_id)]
        imports = session.exec(select(CaseImport).order_by(CaseImport.imported_at)).all()
        assert sorted((i.kind, i.rows) for i in imports) == sorted([
            ("referrals", 3), ("exits", 2), ("reentries", 1), ("reports", 1), ("placement_changes", 2),
            ("residential_days", 2), ("resource_homes", 1), ("adjustments", 3)])
        first = session.get(CaseImport, summary.import_id)
        assert first.sha256 == hashlib.sha256((HEADERS["referrals"] + REFERRALS).encode()).hexdigest()
        assert first.imported_by == "S-006" and first.id.startswith("CI-")
        audit = session.exec(select(AuditEvent).where(AuditEvent.subject_id == summary.import_id)).all()
    assert len(audit) == 1
    assert (audit[0].action, audit[0].rule, audit[0].actor, audit[0].subject_type) == (
        "renewal.case_data.imported", RULE, "S-006", "case_import")
    assert audit[0].detail == {"import_id": summary.import_id, "kind": "referrals", "rows": 3,
                               "contracts": ["K-1", "K-2"], "sha256": first.sha256}


def test_a_bad_referrals_file_imports_nothing_and_names_every_bad_row(db):
    run("referrals", "K-1,CH-OLD,2025-01-01,2015-01-01,ive\n")
    bad = refused("referrals", "K-1,CH-1,2025-03-10,2015-06-01,ive\n"  # row 2: good
                               "K-9,CH-2,2025-03-10,2015-06-01,ive\n"  # row 3
                               "K-1,CH-3,2025-03-10,2025-06-01,ive\n"  # row 4
                               "K-1,CH-1,2025-04-10,2015-06-01,hdn\n"  # row 5: CH-1 of row 2 again
                               "K-1,CH-OLD,2025-04-10,2015-06-01,hdn\n"  # row 6: imported before
                               "K-1,CH-7,2025-02-30,2015-06-01,state\n"  # row 7
                               "\n"
                               "K-1,,10/03/2025,2000-01-01,ive\n"  # row 9
                               "K-1,CH-10,2025-03-10,2004-03-10,ive\n"  # row 10: 21 at referral
                               "K-1,CH-11,2025-03-10,2015-06-01,ive,extra\n")  # row 11
    assert bad == {
        3: "unknown contract 'K-9'",
        4: "birth_date 2025-06-01 is after referred_on 2025-03-10",
        5: "duplicate child 'CH-1' for contract 'K-1' (first seen on row 2)",
        6: "child 'CH-OLD' was already referred to contract 'K-1' by an earlier import",
        7: "referred_on '2025-02-30' is not a date YYYY-MM-DD | funding 'state' is not one of ive, hdn",
        9: "child_id is blank | referred_on '10/03/2025' is not a date YYYY-MM-DD",
        10: "birth_date 2004-03-10 makes the child 21 or older on referred_on 2025-03-10",
        11: "6 fields, but the header has 5 columns"}


def test_bad_events_are_refused_by_their_row_numbers(db):
    run("referrals", REFERRALS)
    assert refused("exits", "K-1,CH-1,2025-12-15,reunification\n"  # row 2: good
                            "K-1,CH-2,2025-12-15,death\n"  # row 3
                            "K-1,CH-2,2025-11-01,adoption\n"  # row 4: the day before the referral
                            "K-1,CH-9,2025-12-15,adoption\n"  # row 5
                            "K-2,CH-2,2025-12-15,adoption\n"  # row 6: CH-2 is K-1's
                            "K-1,CH-1,2025-12-15,adoption\n") == {  # row 7: the exit of row 2 again
        3: "exit_type 'death' is not one of reunification, adoption, guardianship, other",
        4: "exit on 2025-11-01 is before the child's referral on 2025-11-02",
        5: "child 'CH-9' was not referred to contract 'K-1' (import the referrals first)",
        6: "child 'CH-2' was not referred to contract 'K-2' (import the referrals first)",
        7: "exit of child 'CH-1' on 2025-12-15 is already on row 2"}
    assert refused("reports", "K-1,CH-1,2025-03-09,parent\nK-1,CH-1,2025-04-01,neighbour\n") == {
        2: "report on 2025-03-09 is before the child's referral on 2025-03-10",
        3: "perpetrator 'neighbour' is not one of out_of_home_provider, parent, other"}
    assert refused("placement_changes", "K-1,CH-2,2025-11-01\nK-1,CH-2,\n") == {
        2: "placement change on 2025-11-01 is before the child's referral on 2025-11-02", 3: "changed_on is blank"}
    assert refused("residential_days", "K-1,CH-2,2025-12,0\nK-1,CH-2,2026-01,-3\nK-1,CH-2,2026-04,31\n"
                                       "K-1,CH-2,2025-10,5\nK-1,CH-2,2026-13,5\nK-1,CH-2,2026-05,2.5\n"
                                       "K-1,CH-2,2026-06,10\nK-1,CH-2,2026-06,11\n") == {
        2: "days 0 is not between 1 and 31", 3: "days -3 is negative", 4: "days 31 is more than the days of 2026-04",
        5: "residential days in 2025-10 are before the child's referral on 2025-11-02",
        6: "month '2026-13' is not a month YYYY-MM", 7: "days '2.5' is not a whole number",
        9: "residential days of child 'CH-2' in 2026-06 is already on row 8"}
    assert refused("resource_homes", "K-1,RH-1,2026-01-01\nK-1,RH-1,2026-02-01\nK-3,RH-2,2026-01-01\n") == {
        3: "resource home 'RH-1' of contract 'K-1' is already on row 2", 4: "unknown contract 'K-3'"}
    assert refused("adjustments", "K-1,2026-01,A,-1,\nK-1,2026-01,E,1,-5\nK-1,2026-01,F,1,0\nK-1,2026-01,B,1,10\n"
                                  "K-1,2026-01,G,1,\nK-1,2026-1,C,1,\nK-1,2026-01,E,1,1.005\n") == {
        2: "cases -1 is negative", 3: "amount -5 is negative",
        4: "amount must be more than zero for reason F (an amount off per case)",
        5: "amount must be 0 or blank for reason B (cases x the monthly rate are off)",
        6: "reason 'G' is not one of A, B, C, E, F", 7: "month '2026-1' is not a month YYYY-MM",
        8: "amount '1.005' is not an amount of dollars (at most 2 decimal places)"}


def test_a_reentry_needs_an_exit_before_it(db):
    run("referrals", REFERRALS)
    run("exits", "K-1,CH-1,2025-12-15,reunification\n")
    run("reentries", "K-1,CH-1,2026-01-10\n")
    assert refused("reentries", "K-1,CH-2,2026-01-10\n"  # row 2: never exited
                                "K-1,CH-1,2025-12-01\n"  # row 3: before its exit
                                "K-1,CH-1,2026-02-01\n"  # row 4: already re-entered after that exit
                                "K-1,CH-1,2026-01-10\n") == {  # row 5: imported before
        2: "child 'CH-2' of contract 'K-1' has no exit on or before the re-entry on 2026-01-10 (import the exits "
           "first)",
        3: "child 'CH-1' of contract 'K-1' has no exit on or before the re-entry on 2025-12-01 (import the exits "
           "first)",
        4: "child 'CH-1' of contract 'K-1' already re-entered after the exit on 2025-12-15: a re-entry on "
           "2026-02-01 needs another exit before it",
        5: "re-entry of child 'CH-1' on 2026-01-10 was imported before"}
    run("exits", "K-1,CH-1,2026-03-01,adoption\n")
    assert run("reentries", "K-1,CH-1,2026-04-01\n").rows == 1


def test_a_bad_row_after_the_first_chunks_were_written_still_leaves_nothing(lite):
    data = synthetic_contract_year("K-1", children=6000, year_start=date(2025, 10, 1), seed=3)
    bad = data["referrals"] + "K-1,K-1-C00001,2025-10-01,2015-01-01,ive\n"  # row 6002: row 3 again
    assert refused("referrals", bad, header="") == {6002: "duplicate child 'K-1-C00001' for contract 'K-1' "
                                                          "(first seen on row 3)"}


@pytest.mark.parametrize("header, reason", [
    ("", "file is empty; expected the header contract_id,child_id,exit_on,exit_type"),
    ("contract_id,child_id,exit_on\n", "missing column(s): exit_type"),
    ("contract_id,child_id,exit_on,exit_type,notes\n", "unknown column(s): 'notes'"),
])
def test_a_wrong_header_is_refused_as_row_1(lite, header, reason):
    with pytest.raises(ImportRejected) as rejected:
        run("exits", "" if not header else "K-1,CH-1,2025-12-15,adoption\n", header=header)
    assert rejected.value.errors[0][0] == 1 and reason in rejected.value.errors[0][1]


def test_an_empty_file_the_same_file_twice_and_an_unknown_kind_are_refused(lite):
    assert refused("referrals", "\n\n") == {1: "the file has no rows"}
    run("referrals", REFERRALS)
    assert refused("exits", "") == {1: "the file has no rows"}
    assert refused("referrals", REFERRALS)[1].startswith("this file was imported before, as CI-")
    with transaction() as session, pytest.raises(RuleViolation, match="referrals, exits"):
        import_case_data(session, kind="births", stream=io.StringIO(""), actor="S-006")


class LinesOnly:
    """A stream that can only be iterated line by line: read() would load the file whole."""

    def __init__(self, text: str):
        self.lines, self.taken = io.StringIO(text), 0

    def __iter__(self):
        for line in self.lines:
            self.taken += 1
            yield line

    def read(self, *_):
        raise AssertionError("the import read the file whole")


def test_a_synthetic_year_of_5000_children_is_imported_kind_by_kind(db):
    data = synthetic_contract_year("K-2", children=5000, year_start=date(2025, 10, 1), seed=7)
    rows = {}
    for kind, csv_text in data.items():
        stream = LinesOnly(csv_text)
        with transaction() as session:
            rows[kind] = import_case_data(session, kind=kind, stream=stream, actor="S-006").rows
        assert stream.taken == csv_text.count("\n")
    assert rows == {kind: csv_text.count("\n") - 1 for kind, csv_text in data.items()}
    assert rows["referrals"] == 5000 and 0.25 < rows["exits"] / 5000 < 0.45 and rows["reentries"] > 20
    with transaction() as session:
        assert session.exec(select(func.count()).select_from(CaseChild)).one() == 5000
        events = dict(session.exec(select(CaseEvent.kind, func.count()).group_by(CaseEvent.kind)).all())
        assert sum(events.values()) == sum(rows[k] for k in data if k not in ("referrals", "adjustments"))
        reasons = session.exec(select(PaymentAdjustment.reason).distinct()).all()
    assert sorted(reasons) == list("ABCEF")
    assert synthetic_contract_year("K-2", children=5000, year_start=date(2025, 10, 1), seed=7) == data


def test_the_command_imports_a_file_prints_rows_per_second_and_lists_at_most_50_bad_rows(lite, tmp_path):
    good, bad, latin = tmp_path / "referrals.csv", tmp_path / "exits.csv", tmp_path / "latin.csv"
    good.write_text(HEADERS["referrals"] + REFERRALS, encoding="utf-8")
    bad.write_text(HEADERS["exits"] + "".join(f"K-1,CH-1,2025-12-{d:02d},[red]gone\n" for d in range(1, 31))
                   + "".join(f"K-1,CH-1,2026-01-{d:02d},moved\n" for d in range(1, 31)), encoding="utf-8")
    latin.write_bytes((HEADERS["referrals"] + "K-1,CH-\xe9,2025-03-10,2015-06-01,ive\n").encode("latin-1"))
    cli = CliRunner()
    result = cli.invoke(app, ["renewal", "import", "referrals", str(good), "--by", "S-006"])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "3 referrals row(s) for 2 contract(s) (K-1, K-2)" in shown and "rows/s" in shown
    with transaction() as session:
        assert session.exec(select(CaseImport.id)).one() in shown
    result = cli.invoke(app, ["renewal", "import", "exits", str(bad), "--by", "S-006"])
    shown = result.output
    assert result.exit_code == 1 and "60 bad row(s) in exits.csv, nothing imported" in shown
    assert "row 2: exit_type '[red]gone' is not one of" in shown and "row 51:" in shown and "row 52:" not in shown
    assert "... and 10 more" in shown
    result = cli.invoke(app, ["renewal", "import", "referrals", str(latin), "--by", "S-006"])
    assert result.exit_code == 1 and "row 2: unreadable CSV" in result.output
    result = cli.invoke(app, ["renewal", "import", "births", str(good), "--by", "S-006"])
    assert result.exit_code == 2
