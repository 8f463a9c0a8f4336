"""`cwa retention` on a fresh database (SQLite, and PostgreSQL when it is reachable): which contracts are past the retention period of
13 CSR 35-32.020 (12)(A), the records of each counted per table, and nothing deleted."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel
from typer.testing import CliRunner

from flows.cli import app
from models.tables import (AuditEvent, CaseChild, CaseEvent, Contract, ContractTerms, Contractor, HiringReview,
                           HumanTask, ImprovementPlan, Notice, Offence, PaymentAdjustment, PlacementExit, Prospect,
                           Renewal, ResidentialCostReport)
from tasks.context import transaction
from tests.databases import BACKENDS, fresh_database

RETENTION = "13 CSR 35-32.020 (12)(A)"
AS_OF = date(2026, 7, 1)
cli = CliRunner()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        with transaction() as session:
            populate(session)
        yield url


def contractor(cid: str) -> Contractor:
    return Contractor(id=cid, name=f"Agency {cid}", email=f"{cid.lower()}@agency.example", address_line1="1 Main St",
                      city="Jefferson City", state="MO", zip_code="65101")


def terms(contract_id: str, start: date, end: date) -> ContractTerms:
    pct = Decimal("50.00")
    return ContractTerms(contract_id=contract_id, year_start=start, year_end=end, cases_awarded=10,
                         monthly_rate=Decimal("1000.00"), permanency_target=pct, safety_target=pct, reentry_target=pct,
                         region_county_permanency=pct, region_contractor_permanency=pct, recorded_by="test")


def notice(n: int, subject_type: str, subject_id: str) -> Notice:
    return Notice(notice_type="pip-reminder", recipient_type="contractor", recipient_id="C-OLD", address="x@y.example",
                  subject_type=subject_type, subject_id=subject_id, template="pip-reminder", template_version="1",
                  subject_line="s", body_text="t", body_html="h", content_hash="0" * 64, channel="email",
                  idempotency_key=f"retention-test:{n}")


def task(n: int, subject_type: str, subject_id: str) -> HumanTask:
    return HumanTask(flow_run_id=f"00000000-0000-4000-8000-{n:012d}", key="k", kind="k", subject_type=subject_type,
                     subject_id=subject_id, required_role="director", pause_key="k")


def review(rid: str, contractor_id: str, prospect_id: str) -> HiringReview:
    return HiringReview(id=rid, contractor_id=contractor_id, prospect_id=prospect_id, screened_on=date(2019, 3, 1))


def offence(rid: str) -> Offence:
    return Offence(review_id=rid, category="theft", level="misdemeanor", disposition="convicted",
                   offence_date=date(2010, 1, 1))


def populate(session) -> None:
    """C-OLD: one contract ended 2020-06-30 with a record of every kind, and hiring reviews. C-A: K-EXACT ended
    exactly five years before AS_OF (not past), K-DAY a day earlier (past); its hiring review stays, since K-EXACT
    is not past. K-RENEWED ended 2020-01-31 but its last contract year ran to 2021-12-31. K-ACTIVE is running."""
    session.add_all([contractor(c) for c in ("C-OLD", "C-A", "C-B")])
    session.add_all([Prospect(id=p, full_name="Prospect") for p in ("P-1", "P-2", "P-SHARED")])
    session.flush()
    session.add_all([
        Contract(id="K-OLD", contractor_id="C-OLD", starts_on=date(2017, 7, 1), ends_on=date(2020, 6, 30)),
        Contract(id="K-EXACT", contractor_id="C-A", starts_on=date(2018, 7, 1), ends_on=date(2021, 7, 1)),
        Contract(id="K-DAY", contractor_id="C-A", starts_on=date(2018, 7, 1), ends_on=date(2021, 6, 30),
                 status="terminated"),
        Contract(id="K-RENEWED", contractor_id="C-B", starts_on=date(2017, 2, 1), ends_on=date(2020, 1, 31)),
        Contract(id="K-ACTIVE", contractor_id="C-B", starts_on=date(2024, 7, 1), ends_on=date(2027, 6, 30)),
    ])
    session.flush()
    session.add_all([terms("K-OLD", date(2018, 7, 1), date(2019, 6, 30)),
                     terms("K-OLD", date(2019, 7, 1), date(2020, 6, 30)),
                     terms("K-DAY", date(2020, 7, 1), date(2021, 6, 30)),
                     terms("K-RENEWED", date(2021, 1, 1), date(2021, 12, 31)),
                     ImprovementPlan(id="PIP-OLD", contract_id="K-OLD"),
                     ImprovementPlan(id="PIP-ACTIVE", contract_id="K-ACTIVE"),
                     Renewal(id="RN-OLD", contract_id="K-OLD", year_start=date(2019, 7, 1), year_end=date(2020, 6, 30)),
                     review("HR-OLD-1", "C-OLD", "P-1"), review("HR-OLD-2", "C-OLD", "P-SHARED"),
                     review("HR-A", "C-A", "P-SHARED"), review("HR-A-2", "C-A", "P-2")])
    session.flush()
    session.add_all([CaseChild(contract_id="K-OLD", child_id=f"CH-{i}", referred_on=date(2019, 1, 1),
                               birth_date=date(2012, 1, 1), funding="ive", import_id="I-1") for i in range(3)])
    session.add_all([CaseEvent(contract_id="K-OLD", child_id="CH-0", kind="exit", on=date(2019, 5, i + 1),
                               import_id="I-1") for i in range(4)])
    session.add_all([CaseEvent(contract_id="K-DAY", child_id="CH-9", kind="exit", on=date(2020, 5, 1),
                               import_id="I-2")])
    session.add(PlacementExit(contract_id="K-OLD", child_id="CH-1", facility_type="rtc",
                              placement_start=date(2019, 1, 1), exit_date=date(2019, 6, 1), reason="x",
                              import_id="I-1"))
    session.add(ResidentialCostReport(contract_id="K-OLD", room_and_board_costs=Decimal("1.00"),
                                      supervision_costs=Decimal("1.00"), basic_core_days=1, infant_toddler_days=0,
                                      residential_treatment_days=0, intensive_care_days=0, base_year=2019,
                                      import_id="I-1"))
    session.add_all([PaymentAdjustment(contract_id="K-OLD", month=date(2019, m, 1), reason="A", cases=1,
                                       import_id="I-1") for m in (1, 2)])
    session.add_all([notice(1, "improvement_plan", "PIP-OLD"), notice(2, "improvement_plan", "PIP-OLD"),
                     notice(3, "renewal", "RN-OLD"), notice(4, "hiring_review", "HR-OLD-1"),
                     notice(5, "improvement_plan", "PIP-ACTIVE"), notice(6, "hiring_review", "HR-A")])
    session.add_all([task(1, "improvement_plan", "PIP-OLD"), task(2, "hiring_review", "HR-OLD-2"),
                     task(3, "improvement_plan", "PIP-ACTIVE")])
    session.add_all([offence("HR-OLD-1"), offence("HR-OLD-1"), offence("HR-OLD-2"), offence("HR-A")])


def table_counts() -> dict[str, int]:
    with transaction() as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def listed(*args: str) -> list[dict]:
    result = cli.invoke(app, ["retention", "--as-of", AS_OF.isoformat(), "--format", "csv", *args])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def per_table(rows: list[dict], contract_id: str) -> dict[str, int]:
    return {r["table"]: int(r["records"]) for r in rows if r["contract_id"] == contract_id}


@pytest.mark.rule(RETENTION)
def test_exactly_five_years_is_kept_and_one_day_more_is_listed(db):
    rows = listed()
    assert {r["contract_id"] for r in rows} == {"K-OLD", "K-DAY"}
    day = [r for r in rows if r["contract_id"] == "K-DAY"]
    assert {(r["ended_on"], r["kept_until"]) for r in day} == {("2021-06-30", "2026-06-30")}
    assert per_table(rows, "K-DAY") == {"contract": 1, "contract_terms": 1, "case_event": 1}
    on_the_day = cli.invoke(app, ["retention", "--as-of", "2026-06-30", "--format", "csv"])
    assert "K-DAY" not in on_the_day.stdout and "K-OLD" in on_the_day.stdout


@pytest.mark.rule(RETENTION)
def test_every_record_of_the_contract_and_the_contractors_reviews_is_counted(db):
    assert per_table(listed(), "K-OLD") == {
        "contract": 1, "contract_terms": 2, "improvement_plan": 1, "renewal": 1, "case_child": 3, "case_event": 4,
        "placement_exit": 1, "residential_cost_report": 1, "payment_adjustment": 2,
        "notice": 4,  # two on the plan, one on the renewal, one on a hiring review
        "human_task": 2,  # one on the plan, one on a hiring review
        "hiring_review": 2, "offence": 3,
        "prospect": 1,  # P-1; P-SHARED is also named by C-A's review, which is kept
    }


@pytest.mark.rule(RETENTION)
def test_a_renewed_year_past_the_contract_end_keeps_the_records(db):
    rows = listed()
    assert "K-RENEWED" not in {r["contract_id"] for r in rows}  # its last year ended 2021-12-31
    later = cli.invoke(app, ["retention", "--as-of", "2027-01-01", "--format", "csv"])
    assert "K-RENEWED" in later.stdout and "K-ACTIVE" not in later.stdout


def test_nothing_is_deleted_and_the_listing_is_audited(db):
    before = table_counts()
    result = cli.invoke(app, ["retention", "--as-of", AS_OF.isoformat(), "--by", "S-005"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "K-OLD" in result.output and "nothing was deleted" in result.output
    after = table_counts()
    assert after == {**before, "audit_event": before["audit_event"] + 1}
    with transaction() as session:
        event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()[0]
    assert (event.actor, event.action, event.rule) == ("S-005", "retention.listed", RETENTION)
    assert event.detail["contracts"] == 2 and event.detail["deleted"] == 0


def test_nothing_past_retention_lists_nothing(db):
    result = cli.invoke(app, ["retention", "--as-of", "2021-01-01", "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.strip() == ",".join(
        ("contract_id", "contractor_id", "ended_on", "kept_until", "table", "records"))
    assert cli.invoke(app, ["retention", "--as-of", "tomorrow"]).exit_code == 1
