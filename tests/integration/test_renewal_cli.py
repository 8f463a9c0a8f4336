"""`cwa renewal terms|start|status`: contract years' terms all or nothing, clear errors (13 CSR 35-32.020 (13),
35-32.030 (5)-(6))."""

from datetime import date

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from flows.cli import app
from models.migrate import upgrade
from models.tables import Contract, ContractTerms
from tasks.context import settings, transaction
from tasks.seed import seed_roster

cli = CliRunner()
HEADER = ("contract_id,year_start,year_end,cases_awarded,monthly_rate,permanency_target,safety_target,reentry_target,"
          "region_county_permanency,region_contractor_permanency,allowable_reentries,appropriation\n")
GOOD = "T-01,2030-10-01,2031-09-30,400,1850.00,25.00,98.00,90.00,26.00,24.10,30,500000.00\n"


@pytest.fixture(autouse=True)
def contract():
    upgrade(settings().database_url)
    with transaction() as session:
        seed_roster(session)
        session.merge(Contract(id="T-01", contractor_id="C-001", region="Springfield", starts_on=date(2030, 10, 1),
                               ends_on=date(2033, 9, 30)))


def terms_count() -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(ContractTerms)
                            .where(ContractTerms.contract_id == "T-01")).one()


def invoke(tmp_path, text: str):
    path = tmp_path / "terms.csv"
    path.write_text(HEADER + text)
    return cli.invoke(app, ["renewal", "terms", str(path), "--by", "S-005"])


@pytest.mark.rule("13 CSR 35-32.020 (13)")
def test_bad_terms_are_refused_by_row_and_nothing_is_recorded(tmp_path):
    before = terms_count()
    result = invoke(tmp_path, GOOD
                    + "T-09,2030-10-01,2031-09-30,400,1850.00,25.00,98.00,90.00,26.00,24.10,30,\n"
                    + "T-01,2031-10-02,2032-09-30,400,1850.00,25.00,98.00,90.00,26.00,24.10,30,\n"
                    + "T-01,2032-10-01,2034-09-30,400,1850.00,125.00,98.00,90.00,26.00,24.10,30,\n"
                    + "T-01,2030-10-01,2031-09-30,400,1850.00,25.00,98.00,90.00,26.00,24.10,30,\n")
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and "nothing imported" in output
    assert "row 3: unknown contract 'T-09'" in output and "row 4:" in output and "not the first of a month" in output
    assert "row 5:" in output and "permanency_target" in output and "row 6:" in output and "already on row 2" in output
    assert terms_count() == before


@pytest.mark.rule("13 CSR 35-32.020 (13)")
def test_terms_are_recorded_once(tmp_path):
    result = invoke(tmp_path, GOOD)
    assert result.exit_code == 0 and "recorded the terms of 1 contract year(s)" in result.output
    again = invoke(tmp_path, GOOD)
    assert again.exit_code == 1 and "already recorded" in again.output and terms_count() == 1


def test_start_and_status_refuse_what_does_not_exist():
    result = cli.invoke(app, ["renewal", "start", "T-01", "--year-start", "2040-10-01"])
    assert result.exit_code == 1 and "no terms for the year from 2040-10-01" in " ".join(result.output.split())
    bad = cli.invoke(app, ["renewal", "start", "T-01", "--year-start", "Oct 2030"])
    assert bad.exit_code == 1 and "is not a date" in bad.output
    status = cli.invoke(app, ["renewal", "status", "RN-NOPE"])
    assert status.exit_code == 1 and "no renewal 'RN-NOPE'" in status.output
