"""`cwa methods texas placement` and `cwa methods residential rate`: a CSV file in, a table out; a file with bad
rows is refused with every bad row by its number, and exits 1."""

import pytest
from typer.testing import CliRunner

from flows.cli import app

OUTPUT_3 = "Texas DFPS FY2011 Attachment F, Output #3"
FOUR_RATES = "13 CSR 35-80.010 (2)(A)"
REBASING = "13 CSR 35-80.010 (2)(D)"

cli = CliRunner()
WIDE = {"COLUMNS": "200"}

EXITS = ("placement_start,exit_date,reason\n"
         "2010-06-01,2010-09-15,runaway\n"                    # 106 days, counted in Sep-Nov
         "2010-08-01,2010-10-01,caretaker_moved\n"            # excluded for CPA, counted for RTC
         "2010-01-01,2010-12-20,court_ordered\n"              # excluded for all
         "2010-11-01,2011-01-10,therapeutic_goals_achieved\n"  # 70 days, counted for CPA, excluded for RTC
         "2011-01-01,2011-02-28,disruption\n")                 # 58 days, Dec-Feb
HEADER = ("agency,room_and_board_costs,supervision_costs,basic_core_days,infant_toddler_days,"
          "residential_treatment_days,intensive_care_days,base_year\n")
AGENCIES = HEADER + ("AG-1,100000,250000,5000,0,1000,0,2004\n"
                     "AG-2,80000,300000,0,0,4000,500,2001\n"
                     "AG-3,50000,90000,0,2000,0,0,2004\n")


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def placement(path: str, kind: str, start="2010-09-01", end="2011-08-31"):
    return cli.invoke(app, ["methods", "texas", "placement", path, "--facility-type", kind, "--contract-start", start,
                            "--contract-end", end], env=WIDE)


@pytest.mark.rule(OUTPUT_3)
def test_texas_placement_prints_each_period_with_its_count_and_average(tmp_path):
    path = write(tmp_path, "exits.csv", EXITS)
    result = placement(path, "CPA")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    row = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]] for line in lines if "│" in line}
    assert row["2010-09-01 to 2010-11-30"] == ["2", "1", "1", "106.00"]
    assert row["2010-12-01 to 2011-02-28"] == ["3", "1", "2", "64.00"]   # (70 + 58) / 2
    assert row["2011-03-01 to 2011-05-31"] == ["0", "0", "0", "-"]
    assert "counted, not a reason Attachment F excludes: disruption, runaway" in result.output

    treatment = placement(path, "rtc", start="2010-10-01", end="2010-12-31")
    assert treatment.exit_code == 0, treatment.output
    assert "2010-10-01 to 2010-11-30 │ 1     │ 0        │ 1       │ 61.00" in treatment.output
    assert "2010-12-01 to 2010-12-31 │ 1     │ 1        │ 0       │ -" in treatment.output


@pytest.mark.rule(OUTPUT_3)
def test_texas_placement_refuses_every_bad_row_by_its_number(tmp_path):
    path = write(tmp_path, "bad.csv", "placement_start,exit_date,reason\n2010-09-01,2010-09-30,runaway\n"
                                      "2010-10-05,2010-10-01,adoption\n2010-13-01,2010-10-01,x\n")
    result = placement(path, "CPA")
    assert result.exit_code == 1
    assert "2 bad row(s), nothing imported" in result.output
    assert "row 3: exit_date 2010-10-01 is before placement_start 2010-10-05" in result.output
    assert "row 4: placement_start '2010-13-01' is not a date YYYY-MM-DD" in result.output


@pytest.mark.rule(OUTPUT_3)
def test_texas_placement_refuses_an_unknown_facility_type_and_a_reversed_contract(tmp_path):
    path = write(tmp_path, "exits.csv", EXITS)
    unknown = placement(path, "HOSPITAL")
    assert unknown.exit_code == 1 and "unknown facility type 'HOSPITAL'" in unknown.output
    reversed_ = placement(path, "CPA", start="2011-08-31", end="2010-09-01")
    assert reversed_.exit_code == 1 and "the contract ends before it starts" in reversed_.output


def rate(path: str, *options: str):
    return cli.invoke(app, ["methods", "residential", "rate", path, *options], env=WIDE)


@pytest.mark.rule(FOUR_RATES, REBASING)
def test_residential_rate_prints_the_components_the_rates_and_the_rebasing_flag(tmp_path):
    result = rate(write(tmp_path, "agencies.csv", AGENCIES), "--rate-year", "2004")
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in result.output.splitlines() if "│" in line}
    # Room and board: 230,000 / 12,500 x 1.0275 = 18.906; A: 250,000 / 6,000 x 1.0135 = 42.229;
    # B: 90,000 / 2,000 x 1.0135 = 45.6075; C: 300,000 / 4,500 x 1.0135 = 67.5667.
    assert rows["A basic core"] == ["(3)(B)2.A", "1", "6,000", "18.91", "42.23", "61.14"]
    assert rows["B infant/toddler/preschool"] == ["(3)(B)2.B", "1", "2,000", "18.91", "45.61", "64.52"]
    assert rows["C residential treatment"] == ["(3)(B)2.C", "1", "4,500", "18.91", "67.57", "86.48"]
    assert rows["AG-1"] == ["A", "6,000", "61.14", "2004", "no"]
    assert rows["AG-2"] == ["C", "4,500", "86.48", "2001", "DUE"]
    assert "rebasing due: 1 agency cost report(s)" in result.output


@pytest.mark.rule(FOUR_RATES)
def test_residential_rate_takes_other_trend_factors(tmp_path):
    result = rate(write(tmp_path, "agencies.csv", AGENCIES), "--rate-year", "2005", "--room-and-board-trend", "0",
                  "--supervision-trend", "0")
    assert result.exit_code == 0, result.output
    assert "18.40" in result.output and "41.67" in result.output    # 230,000 / 12,500; 250,000 / 6,000


@pytest.mark.rule(FOUR_RATES, REBASING)
def test_residential_rate_refuses_every_bad_row_by_its_number(tmp_path):
    text = HEADER + ("AG-1,100000,250000,5000,0,1000,0,2004\n"
                     "AG-2,-80000,300000,0,0,4000,500,2001\n"
                     "AG-3,50000,90000,0,0,0,0,2004\n"
                     "AG-4,50000,90000,10,0,0,0,2006\n")
    result = rate(write(tmp_path, "bad.csv", text), "--rate-year", "2004")
    assert result.exit_code == 1
    assert "3 bad row(s), nothing imported" in result.output
    assert "row 3: room_and_board_costs '-80000' is negative" in result.output
    assert "row 4: no days of service in any category" in result.output
    assert "row 5: base_year 2006 is after the rate year 2004" in result.output


def test_residential_rate_refuses_a_trend_that_is_not_a_number(tmp_path):
    result = rate(write(tmp_path, "agencies.csv", AGENCIES), "--rate-year", "2004", "--supervision-trend", "1.35%")
    assert result.exit_code == 1 and "a trend factor is a fraction" in result.output
