"""`cwa methods wisconsin earned` and `allocate`: a CSV file in, a table out; a bad file names every bad row by
its number and exits 1 (Wisconsin DWD Memo 03-21)."""

import pytest
from typer.testing import CliRunner

from flows.cli import app
from models.methods.wisconsin import MEASURES

CHART_A = "Wisconsin DWD Memo 03-21, Chart A"
CHART_B = "Wisconsin DWD Memo 03-21, Chart B"
HOLD_HARMLESS = "Wisconsin DWD Memo 03-21, Hold Harmless for CSUP Measure"
EARNED = "Wisconsin DWD Memo 03-21, Earned Amount"

cli = CliRunner()


def run(*args: str):
    return cli.invoke(app, ["methods", "wisconsin", *args], env={"COLUMNS": "250"})


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.rule(CHART_A, CHART_B, HOLD_HARMLESS)
def test_earned_prints_the_percent_earned_on_each_row(tmp_path):
    path = write(tmp_path, "rates.csv", "agency,measure,baseline,final,claims_change\n"
                                        "Adams,court_order,77.0,78.4,\n"      # chart B: improved 1.4
                                        "Adams,current_support,70,69,12\n"    # claims up 12%: held harmless
                                        "Brown,court_order,79,79.9,\n"        # chart A: one step short
                                        "Brown,paternity,101.5,102,\n")       # PE may pass 100%
    result = run("earned", path)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "│" in line]
    assert len(lines) == 4
    for line, (basis, earned) in zip(lines, [("chart B", "99.3"), ("hold harmless", "100.0"),
                                             ("chart A", "99.3"), ("target met", "100.0")]):
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        assert (cells[-2], cells[-1]) == (basis, earned)


@pytest.mark.rule(CHART_A, CHART_B)
def test_earned_with_bad_rows_names_every_one_and_exits_1(tmp_path):
    path = write(tmp_path, "rates.csv", "agency,measure,baseline,final\n"
                                        "Adams,court_ordr,77,78\n"
                                        "Adams,paternity,77,78\n"
                                        ",arrears,seventy,70\n"
                                        "Brown,court_order,70,101\n")
    result = run("earned", path)
    assert result.exit_code == 1
    assert "4 bad row(s), nothing imported" in result.output     # row 4 twice
    assert "row 2: unknown measure 'court_ordr'" in result.output
    assert "row 4: agency is blank" in result.output and "row 4: baseline 'seventy' is not a number" in result.output
    assert "row 5: court_order final 101% is not a rate between 0 and 100" in result.output
    assert "row 3" not in result.output


def agencies_file(tmp_path, rows: dict[str, tuple[str, str, str]]) -> str:
    """One row per agency and measure: (allocation, baseline, final) the same on its four rows."""
    lines = ["agency,allocation,measure,baseline,final,claims_change"]
    lines += [f"{name},{allocation},{m},{baseline},{final}," for name, (allocation, baseline, final) in rows.items()
              for m in MEASURES]
    return write(tmp_path, "agencies.csv", "\n".join(lines) + "\n")


@pytest.mark.rule(EARNED)
def test_allocate_prints_each_measure_and_each_agency(tmp_path):
    path = agencies_file(tmp_path, {"Adams": ("100000.00", "95", "95"), "Brown": ("100000.00", "60", "60")})
    result = run("allocate", path, "--funds", "190,000")
    assert result.exit_code == 0, result.output
    measures = [line for line in result.output.splitlines() if "│ Adams" in line or "│ Brown" in line]
    assert len(measures) == 8 + 2          # four measures for each agency, then the agencies' totals
    agencies = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[1:-1]]
                for line in result.output.splitlines() if line.count("│") == 10}
    assert agencies["Adams"][1:] == ["100,000.00", "100,000.00", "100,000.00", "0.00", "5,263.16", "-5,263.16",
                                     "100,000.00", "194,117.65"]
    assert agencies["Brown"][1:] == ["100,000.00", "90,000.00", "90,000.00", "10,000.00", "4,736.84", "-4,736.84",
                                     "90,000.00", "174,705.88"]
    assert agencies["statewide"][-2] == "190,000.00"
    assert "funds available 190,000.00; projected 200,000.00; distributed 190,000.00; held for the PAC 0.00" \
        in " ".join(result.output.split())


@pytest.mark.rule(EARNED)
def test_allocate_with_bad_rows_or_bad_funds_exits_1(tmp_path):
    path = write(tmp_path, "agencies.csv", "agency,allocation,measure,baseline,final\n"
                                           "Adams,100.00,court_order,70,71\n"
                                           "Adams,100.00,paternity,70,171\n"
                                           "Adams,100.00,current_support,70,71\n"
                                           "Adams,100.00,arrears,70,71\n"
                                           "Brown,5,court_order,70,71\n")
    result = run("allocate", path, "--funds", "1000")
    assert result.exit_code == 1
    assert "row 3: paternity final 171" not in result.output    # a paternity rate may pass 100%
    assert "row 6: agency 'Brown' has no row for paternity, current_support, arrears" in result.output
    assert "1 bad row(s)" in result.output

    good = agencies_file(tmp_path, {"Adams": ("100.00", "70", "71")})
    for funds in ("lots", "-5"):
        bad = run("allocate", good, "--funds", funds)
        assert bad.exit_code == 1 and "is not a number of dollars" in bad.output
    assert run("allocate", str(tmp_path / "missing.csv"), "--funds", "5").exit_code == 2
    assert "--funds" in run("allocate", "--help").output and "Column A" in run("allocate", "--help").output
