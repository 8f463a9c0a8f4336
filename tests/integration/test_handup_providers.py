"""Designating the pilot providers, 13 CSR 35-32.040 (2)-(3) (tasks/handup/providers.py, `cwa handup providers`).

Whether a designation may stand depends on every active provider, so each test here has a database of its own:
the providers other tests make in the session's database would change the answer.
"""

from datetime import date

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from flows.cli import app
from models.errors import ImportRejected, RuleViolation
from models.tables import AuditEvent, PilotProvider
from tasks.context import transaction
from tasks.handup.providers import designate_providers, request_review
from tests.databases import fresh_database

DESIGNATION = "13 CSR 35-32.040 (2)"
URBAN = "13 CSR 35-32.040 (2)(B)"
LICENSED = "13 CSR 35-32.040 (2)(C)"
AGREED = "13 CSR 35-32.040 (2)(E)"
NO_REVIEW = "13 CSR 35-32.040 (2)(F)"

ON = date(2026, 11, 2)
HEADER = ("id,name,county,county_class,families_served,license_number,license_valid_until,contract_id,"
          "contract_ends_on,agreed_on\n")
RURAL = "PP-R,Ozark Kids,Texas,rural,40,L-100,2027-06-30,CC-1,2027-06-30,2026-10-01\n"
URBAN_300 = "PP-U,Gateway Early Learning,St. Louis City,urban,300,L-200,2026-11-02,CC-2,2027-06-30,2026-10-01\n"

cli = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path):
    with fresh_database("sqlite", tmp_path) as url:
        yield url


def designate(text: str, as_of: date = ON) -> list[str]:
    with transaction() as session:
        return designate_providers(session, csv_text=HEADER + text, as_of=as_of, actor="S-005")


def providers() -> dict[str, PilotProvider]:
    with transaction() as session:
        return {p.id: p for p in session.exec(select(PilotProvider))}


def audits(action: str) -> list[AuditEvent]:
    with transaction() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.rule(DESIGNATION, URBAN, LICENSED)
def test_a_rural_and_a_large_urban_provider_are_designated_and_audited():
    assert designate(RURAL + URBAN_300) == ["PP-R", "PP-U"]
    found = providers()
    assert set(found) == {"PP-R", "PP-U"} and all(p.active and p.designated_on == ON for p in found.values())
    assert found["PP-U"].families_served == 300 and found["PP-U"].license_valid_until == ON
    [event] = audits("handup.providers.designated")
    assert (event.actor, event.rule, event.subject_type) == ("S-005", DESIGNATION, "pilot_provider")
    assert event.detail == {"as_of": "2026-11-02", "ids": ["PP-R", "PP-U"], "designated": ["PP-R", "PP-U"]}


@pytest.mark.rule(DESIGNATION, URBAN, LICENSED, AGREED)
def test_a_designation_that_fails_a_condition_writes_nothing_and_names_every_paragraph():
    lapsed = URBAN_300.replace(",300,", ",299,").replace("2026-11-02", "2026-11-01").replace(",2026-10-01\n", ",\n")
    with pytest.raises(RuleViolation) as refused:
        designate(RURAL + lapsed)
    for paragraph in (URBAN, LICENSED, AGREED, "13 CSR 35-32.040 (3)(A)"):
        assert f"({paragraph})" in refused.value.reason
    assert refused.value.rule == DESIGNATION
    assert providers() == {} and audits("handup.providers.designated") == []


@pytest.mark.rule(DESIGNATION)
def test_a_file_with_bad_rows_designates_nothing_and_names_every_row():
    with pytest.raises(ImportRejected) as rejected:
        designate(RURAL + URBAN_300 + "PP-X,Bad,Boone,suburban,many,L-3,2027-01-01,CC-3,2027-01-01,\n"
                  + "PP-R,Again,Texas,rural,40,L-100,2027-06-30,CC-1,2027-06-30,2026-10-01\n")
    assert sorted({row for row, _ in rejected.value.errors}) == [4, 5]
    assert providers() == {}


@pytest.mark.rule(DESIGNATION, URBAN)
def test_active_providers_not_in_the_file_count_and_a_listed_one_is_replaced_by_id():
    designate(RURAL + URBAN_300)
    # The urban provider alone: with the rural one still active, (2)(A) is met; its figures are replaced.
    assert designate(URBAN_300.replace(",300,", ",450,").replace("2026-11-02", "2028-01-31"), date(2027, 1, 4)) == [
        "PP-U"]
    found = providers()
    assert found["PP-U"].families_served == 450 and found["PP-U"].designated_on == ON  # still designated since ON
    # Shrinking the only large urban provider to ten families would leave (2)(B) unmet: refused, nothing changed.
    with pytest.raises(RuleViolation) as refused:
        designate(URBAN_300.replace(",300,", ",10,").replace("2026-11-02", "2028-01-31"), date(2027, 1, 4))
    assert f"({URBAN})" in refused.value.reason and providers()["PP-U"].families_served == 450


@pytest.mark.rule(NO_REVIEW)
def test_a_request_for_review_is_recorded_and_refused():
    with transaction() as session:
        refusal = request_review(session, provider_id="PP-NOT-CHOSEN", actor="S-005")
    assert refusal.rule == NO_REVIEW and "not subject to review" in refusal.reason
    [event] = audits("handup.providers.review_requested")
    assert (event.subject_id, event.rule, event.detail["outcome"]) == ("PP-NOT-CHOSEN", NO_REVIEW, "refused")


# -- the command line --------------------------------------------------------------------------------------------

def invoke(*args: str):
    return cli.invoke(app, ["handup", "providers", *args], env={"COLUMNS": "250"})


@pytest.mark.rule(DESIGNATION, URBAN)
def test_cli_designates_lists_and_refuses(tmp_path):
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(HEADER + RURAL + URBAN_300.replace(",300,", ",299,"))
    good.write_text(HEADER + RURAL + URBAN_300)

    refused = invoke("designate", str(bad), "--as-of", "2026-11-02", "--by", "S-005")
    assert refused.exit_code == 1 and f"({URBAN})" in refused.output.replace("\n", " ")
    assert "(none)" in invoke("list").output

    result = invoke("designate", str(good), "--as-of", "2026-11-02", "--by", "S-005")
    assert result.exit_code == 0, result.output
    assert "designated 2 pilot provider(s) on 2026-11-02: PP-R, PP-U" in result.output

    listed = invoke("list")
    assert listed.exit_code == 0 and "2 active" in listed.output
    line = next(line for line in listed.output.splitlines() if "PP-U" in line)
    assert "urban" in line and "300" in line and "2026-11-02" in line and "yes" in line

    assert invoke("designate", str(good), "--as-of", "2026-13-01", "--by", "S-005").exit_code == 1
    bad.write_text("id,name\nPP-1,x\n")
    rows = invoke("designate", str(bad), "--by", "S-005")
    assert rows.exit_code == 1 and "row 1" in rows.output and "nothing imported" in rows.output


@pytest.mark.rule(NO_REVIEW)
def test_cli_request_review_is_audited_and_fails_with_the_refusal():
    result = invoke("request-review", "PP-NOT-CHOSEN", "--by", "S-005")
    assert result.exit_code == 1
    assert "discretion" in result.output and NO_REVIEW in result.output.replace("\n", " ")
    [event] = audits("handup.providers.review_requested")
    assert (event.actor, event.subject_id) == ("S-005", "PP-NOT-CHOSEN")
