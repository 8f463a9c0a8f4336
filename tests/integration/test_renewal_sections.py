"""The method sections of the renewal report (tasks/renewal/sections.py through figures_for): the Texas average
length of placement (Texas DFPS FY2011 Attachment F, Output #3) and the residential maintenance rate
(13 CSR 35-80.010), present only when the contract has placement exits or a cost report, imported as the
optional case-data kinds placement_exits and residential_costs (models/case_data_methods_csv.py).

Each test gets a freshly migrated database (tests/databases.py): SQLite, and PostgreSQL when it is reachable. The
numbers are checked against the pure functions of models/methods/, fed from the CSV text imported; the report is
written and read back as text (pypdf).
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from models.errors import ImportRejected
from models.methods.missouri_residential import (maintenance_rate, rebasing_due, room_and_board_component,
                                                 supervision_category, supervision_component)
from models.methods.texas import average_length_of_placement, counted_exits, performance_periods
from models.tables import (CaseImport, Contract, Contractor, ContractTerms, PlacementExit, Renewal,
                           ResidentialCostReport)
from tasks.context import transaction
from tasks.renewal.case_data import import_case_data
from tasks.renewal.figures import figures_for
from tasks.renewal.report import write_report
from tests.databases import BACKENDS, fresh_database
from tasks.renewal.synthetic import synthetic_contract_year

OUTPUT_3 = "Texas DFPS FY2011 Attachment F, Output #3"
pytestmark = pytest.mark.rule(OUTPUT_3, "13 CSR 35-80.010 (3)", "13 CSR 35-80.010 (2)(D)")
YEAR_START, YEAR_END = date(2025, 10, 1), date(2026, 9, 30)
RID = "RN-K-1-2025-10-01"
COST_HEADER = ("contract_id,room_and_board_costs,supervision_costs,basic_core_days,infant_toddler_days,"
               "residential_treatment_days,intensive_care_days,base_year\n")
EXIT_HEADER = "contract_id,child_id,facility_type,placement_start,exit_date,reason\n"


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A migrated database with contracts K-1 (terms and a renewal for 2025-10-01) and K-2, K-1 with its case
    data; the data of the two methods is returned, not imported."""
    with fresh_database(request.param, tmp_path) as url:
        with transaction() as session:
            session.add(Contractor(id="C-1", name="Sample Agency", email="agency@example.org",
                                   address_line1="1 Main St", city="Jefferson City", state="MO", zip_code="65101"))
            session.flush()
            for cid in ("K-1", "K-2"):
                session.add(Contract(id=cid, contractor_id="C-1", region="Central", starts_on=YEAR_START,
                                     ends_on=date(2027, 9, 30)))
            session.flush()
            session.add(ContractTerms(
                contract_id="K-1", year_start=YEAR_START, year_end=YEAR_END, cases_awarded=300,
                monthly_rate=Decimal("1850.00"), permanency_target=Decimal("25.00"), safety_target=Decimal("98.00"),
                reentry_target=Decimal("90.00"), region_county_permanency=Decimal("26.00"),
                region_contractor_permanency=Decimal("24.10"), allowable_reentries=5,
                appropriation=Decimal("500000.00"), recorded_by="test"))
            session.add(Renewal(id=RID, contract_id="K-1", year_start=YEAR_START, year_end=YEAR_END))
        data = synthetic_contract_year("K-1", children=600, year_start=YEAR_START, seed=7, methods=True)
        for kind, text in data.items():
            if kind not in ("placement_exits", "residential_costs"):
                run(kind, text)
        yield data


def run(kind: str, text: str):
    with transaction() as session:
        return import_case_data(session, kind=kind, stream=io.StringIO(text), actor="S-006")


def figures(as_of: date = date(2026, 10, 5)) -> dict:
    with transaction() as session:
        return figures_for(session, RID, "final", as_of)


def pdf_text(figures_: dict, folder) -> str:
    files = write_report(figures_, folder)
    return "\n".join(page.extract_text() for page in PdfReader(files.pdf).pages)


def exits_by_type(text: str) -> dict[str, list[tuple[date, date, str]]]:
    found: dict[str, list] = {}
    for row in csv.DictReader(io.StringIO(text)):
        found.setdefault(row["facility_type"], []).append(
            (date.fromisoformat(row["placement_start"]), date.fromisoformat(row["exit_date"]), row["reason"]))
    return found


def test_without_the_methods_data_the_sections_are_absent(db, tmp_path):
    plain = figures()
    assert plain["sections"] == {}
    text = pdf_text(plain, tmp_path / "plain")
    assert "Average length of placement" not in text and "maintenance rate" not in text

    run("placement_exits", db["placement_exits"])
    run("residential_costs", db["residential_costs"])
    full = figures()
    assert set(full["sections"]) == {"texas", "residential"}
    # the rest of the figures does not change; the inputs gain the two imports
    assert {k: v for k, v in full.items() if k not in ("sections", "inputs")} == \
        {k: v for k, v in plain.items() if k not in ("sections", "inputs")}
    assert sorted(i["kind"] for i in full["inputs"]["imports"]) == sorted(
        [i["kind"] for i in plain["inputs"]["imports"]] + ["placement_exits", "residential_costs"])


def test_the_texas_section_agrees_with_the_method_for_each_facility_type_and_period(db):
    run("placement_exits", db["placement_exits"])
    texas = figures()["sections"]["texas"]
    assert texas["paragraph"] == OUTPUT_3
    assert texas["columns"] == ["Facility type", "Performance period", "Exits", "Exits counted", "Days counted",
                                "Average days"]
    periods = performance_periods(YEAR_START, YEAR_END)
    assert [p[0] for p in periods] == [date(2025, 10, 1), date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 1),
                                       date(2026, 9, 1)]
    expected = []
    for facility, exits in exits_by_type(db["placement_exits"]).items():
        for start, end in periods:
            counted = counted_exits(facility, exits, (start, end))
            average = average_length_of_placement(facility, exits, (start, end))
            expected.append([facility, f"{start} to {end}", sum(1 for e in exits if start <= e[1] <= end),
                             len(counted), sum((e[1] - e[0]).days for e in counted),
                             None if average is None else str(average)])
    assert sorted(texas["rows"]) == sorted(expected, key=lambda r: (r[0], r[1]))
    assert sum(r[2] for r in texas["rows"]) == db["placement_exits"].count("\n") - 1  # every exit, in the year
    assert any(r[5] is not None for r in texas["rows"]) and any(r[3] < r[2] for r in texas["rows"])
    with transaction() as session:
        (import_id,) = session.exec(select(CaseImport.id).where(CaseImport.kind == "placement_exits")).all()
    assert texas["imports"] == [import_id]


def test_the_residential_section_agrees_with_the_rate_rules_and_pools_the_agencies_of_the_base_year(db):
    own = next(csv.DictReader(io.StringIO(db["residential_costs"])))
    base_year = int(own["base_year"])
    days = [int(own[c]) for c in ("basic_core_days", "infant_toddler_days", "residential_treatment_days",
                                  "intensive_care_days")]
    category = supervision_category(dict(zip("ABCD", days)))
    other_days = [0, 0, 0, 0]
    other_days["ABCD".index(category)] = 1000  # K-2: the same category, so both supervision costs are pooled
    run("residential_costs", db["residential_costs"] + f"K-2,30000.00,90000.00,{','.join(map(str, other_days))},"
                                                      f"{base_year}\n")
    run("residential_costs", COST_HEADER + f"K-1,1.00,1.00,0,0,0,1,{base_year - 6}\n")  # older: not used
    section = figures()["sections"]["residential"]
    values = {row[0]: row[2] for row in section["rows"]}

    room_and_board = room_and_board_component(Decimal(own["room_and_board_costs"]) + Decimal("30000.00"),
                                              sum(days) + 1000)
    # (3)(B)2: the costs and all the days of service of the agencies in the category
    supervision = supervision_component(Decimal(own["supervision_costs"]) + Decimal("90000.00"), sum(days) + 1000)
    rate_year = 2026  # the state fiscal year of 2025-10-01
    assert values["Supervision category of the contractor"].startswith(f"{category}: ")
    assert values["Room and board component, per day"] == f"${room_and_board:,.2f}"
    assert values[f"Supervision component of category {category}, per day"] == f"${supervision:,.2f}"
    assert values["Maintenance rate, per day"] == f"${maintenance_rate(room_and_board, supervision):,.2f}"
    assert values["Base year of the cost reports (state fiscal year)"] == str(base_year)
    assert values["Rate year (state fiscal year of the contract year's start)"] == str(rate_year)
    assert values["Rebasing due"] == ("yes" if rebasing_due(base_year, rate_year) else "no")
    assert values["Agencies reporting for the base year"] == 2
    assert section["paragraph"] == "13 CSR 35-80.010" and len(section["imports"]) == 1


def test_the_report_shows_both_sections(db, tmp_path):
    run("placement_exits", db["placement_exits"])
    run("residential_costs", db["residential_costs"])
    full = figures()
    text = pdf_text(full, tmp_path / "full")
    flat = " ".join(text.split())
    assert "Average length of placement by facility type, Texas DFPS FY2011 Attachment F, Output #3" in flat
    assert "Residential foster care maintenance rate, 13 CSR 35-80.010" in flat
    residential = {row[0]: row[2] for row in full["sections"]["residential"]["rows"]}
    assert residential["Maintenance rate, per day"] in text
    averages = [row[5] for row in full["sections"]["texas"]["rows"] if row[5] is not None]
    assert averages and all(a in text for a in averages)
    assert "n/a" in text or len(averages) == len(full["sections"]["texas"]["rows"])
    html = (tmp_path / "full" / "report.html").read_text(encoding="utf-8")
    assert "Texas DFPS FY2011 Attachment F, Output #3" in html and residential["Maintenance rate, per day"] in html


def refused(kind: str, text: str) -> dict[int, str]:
    with pytest.raises(ImportRejected) as rejected:
        run(kind, text)
    with transaction() as session:
        assert session.exec(select(func.count()).select_from(PlacementExit)).one() == 0
        assert session.exec(select(func.count()).select_from(ResidentialCostReport)).one() == 0
    return dict(rejected.value.errors)


def test_bad_placement_exits_and_cost_reports_are_refused_row_by_row_and_nothing_is_written(db):
    child = db["referrals"].splitlines()[1].split(",")  # K-1's first child: contract, child, referred_on, ...
    referred = date.fromisoformat(child[2])
    left = date.fromordinal(referred.toordinal() + 200)
    good = f"K-1,{child[1]},CPA,{referred},{left},adoption"
    errors = refused("placement_exits", EXIT_HEADER + "\n".join([
        good,
        f"K-1,{child[1]},HOSPITAL,2025-01-01,2025-02-01,adoption",
        f"K-1,{child[1]},RTC,2025-03-01,2025-02-01,court_ordered",
        "K-1,NOBODY,RTC,2025-01-01,2025-02-01,court_ordered",
        f"K-1,{child[1]},RTC,2000-01-01,{date.fromordinal(referred.toordinal() - 1)},court_ordered",
        f"K-9,{child[1]},RTC,2025-01-01,2025-02-01,court_ordered",
        f"K-1,{child[1]},cpa,{date.fromordinal(referred.toordinal() + 100)},{left},therapeutic_goals_achieved",
    ]) + "\n")
    assert "facility_type 'HOSPITAL' is not one of CPA" in errors[3]
    assert errors[4] == "exit_date 2025-02-01 is before placement_start 2025-03-01"
    assert "'NOBODY' was not referred to contract 'K-1'" in errors[5]
    assert "is before the child's referral" in errors[6]
    assert errors[7] == "unknown contract 'K-9'"
    assert "is already on row 2" in errors[8] and 2 not in errors

    errors = refused("residential_costs", COST_HEADER + "\n".join([
        "K-1,-5.00,10.00,1,0,0,0,2024",
        "K-1,10.00,10.00,0,0,0,0,2024",
        "K-1,,10.00,1,0,0,0,2024",
        "K-2,10.00,10.00,1,0,0,0,2023",
        "K-2,11.00,11.00,1,0,0,0,2023",
    ]) + "\n")
    assert errors[2] == "room_and_board_costs -5.00 is negative"
    assert errors[3] == "no days of service in any category (the days must add up to more than zero)"
    assert errors[4] == "room_and_board_costs is blank"
    assert 5 not in errors and errors[6] == "the cost report of contract 'K-2' for base year 2023 is already on row 5"

    run("residential_costs", COST_HEADER + "K-2,10.00,10.00,1,0,0,0,2023\n")
    with pytest.raises(ImportRejected) as again:
        run("residential_costs", COST_HEADER + "K-2,12.00,10.00,1,0,0,0,2023\n")
    assert again.value.errors == [(2, "the cost report of contract 'K-2' for base year 2023 was imported before")]
