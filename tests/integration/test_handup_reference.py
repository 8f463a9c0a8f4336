"""Hand-Up reference data, versioned and effective-dated, importable by CLI, with provenance shown
(tasks/handup/reference.py, `cwa handup reference`).

The database is shared by the whole test session, so every version here has its own name and takes effect in a
far-off year of its own: nothing imported here is ever in effect on a day another test uses.
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from flows.cli import app
from models.errors import ImportRejected, RuleViolation
from models.handup import child_care_benefit
from models.handup_reference import AgeGroup, Provenance
from models.migrate import upgrade
from models.tables import AuditEvent, HandUpReference
from tasks.context import settings, transaction
from tasks.handup import reference

LIMITS = "13 CSR 35-32.040 (4)(A)"
RATES = "13 CSR 35-32.010 (4)"
FEES = "13 CSR 35-32.010 (3)"

LIMITS_CSV = "family_size,monthly_limit,each_further\n1,1200.00,\n2,1600.00,\n3,2000.00,400.00\n"
RATES_CSV = ("area,age_group,monthly_rate\nnorth,infant,1000\nnorth,preschool,800\nnorth,school_age,600\n"
             "south,infant,900\nsouth,preschool,700\nsouth,school_age,500\n")
FEES_CSV = "family_size,income_up_to,fee\n1,1000,10\n1,99999,50\n2,1500,15\n2,99999,60\n"

cli = CliRunner()


@pytest.fixture(autouse=True)
def database():
    upgrade(settings().database_url)


def name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def store(kind: str, text: str, version: str, effective_from: date, provenance: str = "official") -> int:
    with transaction() as session:
        return reference.import_reference(session, kind=kind, csv_text=text, version=version,
                                          effective_from=effective_from, provenance=provenance,
                                          source="Test memo", actor="S-005")


def audit_rows(kind: str, version: str) -> list[AuditEvent]:
    with transaction() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.subject_id == f"{kind}:{version}")).all()


@pytest.mark.rule(LIMITS)
def test_an_imported_income_limits_version_is_used_from_its_effective_date():
    version = name("official")
    assert store("income_limits", LIMITS_CSV, version, date(2901, 1, 1)) == 3
    with transaction() as session:
        before = reference.income_limits(session, date(2900, 12, 31))
        used = reference.income_limits(session, date(2901, 1, 1))
    assert before.version != version
    assert (used.version, used.provenance, used.source) == (version, Provenance.official, "Test memo")
    assert [used.limit(n) for n in (1, 3, 5)] == [Decimal("1200.00"), Decimal("2000.00"), Decimal("2800.00")]
    [event] = audit_rows("income_limits", version)
    assert (event.actor, event.action, event.rule) == ("S-005", "handup.reference.imported", LIMITS)
    assert event.detail == {"kind": "income_limits", "version": version, "effective_from": "2901-01-01",
                            "provenance": "official", "rows": 3}


@pytest.mark.rule(RATES, FEES)
def test_imported_rates_and_fee_scale_price_the_benefit():
    rates, fees = name("rates"), name("fees")
    store("care_rates", RATES_CSV, rates, date(2902, 1, 1))
    store("fee_scale", FEES_CSV, fees, date(2902, 1, 1), provenance="sample")
    with transaction() as session:
        benefit = child_care_benefit(
            area="south", children=[(AgeGroup.infant, Decimal("950")), (AgeGroup.school_age, Decimal("400"))],
            family_size=2, gross_income=Decimal("2000"), rates=reference.care_rates(session, date(2902, 3, 1)),
            fees=reference.fee_scale(session, date(2902, 3, 1)))
    assert benefit == Decimal("1240.00")  # 900 + 400 - 60


@pytest.mark.rule(LIMITS)
def test_a_bad_file_imports_nothing_and_names_every_bad_row():
    version = name("bad")
    with pytest.raises(ImportRejected) as rejected:
        store("income_limits", "family_size,monthly_limit,each_further\n1,1200,\n2,lots,\n3,-5,400\n4,,\n",
              version, date(2903, 1, 1))
    assert [row for row, _ in rejected.value.errors] == [3, 4, 5]
    with transaction() as session:
        assert session.exec(select(HandUpReference).where(HandUpReference.version == version)).all() == []
    assert audit_rows("income_limits", version) == []


@pytest.mark.rule(LIMITS)
def test_a_version_is_never_replaced():
    version = name("once")
    store("income_limits", LIMITS_CSV, version, date(2904, 1, 1))
    for taken in (version, "derived-2012"):
        with pytest.raises(RuleViolation) as refused:
            store("income_limits", LIMITS_CSV, taken, date(2904, 6, 1))
        assert "exists already" in refused.value.reason
    assert len(audit_rows("income_limits", version)) == 1
    store("care_rates", RATES_CSV, version, date(2904, 1, 1))  # the same name for another kind is another table


@pytest.mark.parametrize("overrides, words", [
    ({"kind": "tax_rates"}, "unknown reference table"),
    ({"provenance": "rumour"}, "provenance 'rumour'"),
    ({"version": " "}, "1 to 32 characters"),
    ({"version": "v" * 33}, "1 to 32 characters"),
    ({"source": ""}, "source"),
], ids=["kind", "provenance", "blank-version", "long-version", "no-source"])
def test_an_import_without_a_known_kind_provenance_version_or_source_is_refused(overrides, words):
    values = dict(kind="income_limits", csv_text=LIMITS_CSV, version=name("x"), effective_from=date(2905, 1, 1),
                  provenance="official", source="Test memo", actor="S-005") | overrides
    with pytest.raises(RuleViolation) as refused, transaction() as session:
        reference.import_reference(session, **values)
    assert words in refused.value.reason


@pytest.mark.rule(LIMITS)
def test_describe_lists_every_version_with_its_provenance_and_marks_the_one_in_effect():
    old, new = name("old"), name("new")
    store("income_limits", LIMITS_CSV, old, date(2906, 1, 1), provenance="derived")
    store("income_limits", LIMITS_CSV, new, date(2906, 7, 1))
    with transaction() as session:
        spring = {r["version"]: r for r in reference.describe(session, date(2906, 3, 1))}
        summer = {r["version"]: r for r in reference.describe(session, date(2906, 7, 1))}
    assert spring[old]["in_effect"] == "yes" and spring[new]["in_effect"] == ""
    assert summer[old]["in_effect"] == "" and summer[new]["in_effect"] == "yes"
    assert (spring[old]["provenance"], spring[old]["source"], spring[old]["imported_by"]) == (
        "derived", "Test memo", "S-005")
    assert spring[old]["effective_from"] == "2906-01-01"
    with transaction() as session:
        shipped = [r for r in reference.describe(session, date(2013, 1, 1)) if r["in_effect"]]
    assert {(r["kind"], r["provenance"], r["imported_by"]) for r in shipped} == {
        ("income_limits", "derived", "shipped"), ("care_rates", "sample", "shipped"),
        ("fee_scale", "sample", "shipped")}


# -- the command line --------------------------------------------------------------------------------------------

def invoke(*args: str):
    return cli.invoke(app, ["handup", "reference", *args], env={"COLUMNS": "250"})


def import_args(path, version: str, effective_from: str, kind: str = "income_limits") -> list[str]:
    return ["import", kind, str(path), "--version", version, "--effective-from", effective_from,
            "--provenance", "official", "--source", "Division memo", "--by", "S-005"]


@pytest.mark.rule(LIMITS)
def test_cli_imports_a_version_and_shows_it_in_effect_with_its_figures(tmp_path):
    path, version = tmp_path / "limits.csv", name("cli")
    path.write_text(LIMITS_CSV)
    result = invoke(*import_args(path, version, "2907-01-01"))
    assert result.exit_code == 0, result.output
    assert f"imported income_limits version {version}: 3 row(s), official" in result.output

    shown = invoke("show", "--as-of", "2907-02-01")
    assert shown.exit_code == 0, shown.output
    line = next(line for line in shown.output.splitlines() if version in line)
    assert "2907-01-01" in line and "official" in line and "yes" in line and "Division memo" in line
    assert "derived-2012" in shown.output and "sample-1" in shown.output

    figures = invoke("show", "--as-of", "2907-02-01", "--kind", "income_limits", "--figures")
    assert figures.exit_code == 0, figures.output
    rows = [line.split("│")[1:3] for line in figures.output.splitlines() if line.startswith("│")]
    assert [(int(n), v.strip()) for n, v in rows] == [(1, "1,200.00"), (2, "1,600.00")] + [
        (n, f"{2000 + 400 * (n - 3):,}.00") for n in range(3, 13)]
    assert version in figures.output and "Division memo" in figures.output


def test_cli_figures_of_the_shipped_income_limits():
    result = invoke("show", "--as-of", "2013-01-01", "--kind", "income_limits", "--figures")
    assert result.exit_code == 0, result.output
    assert "derived-2012" in result.output and "1,135.62" in result.output and "5,564.22" in result.output
    rates = invoke("show", "--as-of", "2013-01-01", "--kind", "care_rates", "--figures")
    assert rates.exit_code == 0 and "990.00" in rates.output and "sample" in rates.output


@pytest.mark.rule(LIMITS)
def test_cli_refuses_a_bad_file_a_taken_version_and_a_bad_date(tmp_path):
    bad, good, version = tmp_path / "bad.csv", tmp_path / "good.csv", name("cli-bad")
    bad.write_text("family_size,monthly_limit,each_further\n1,abc,\n2,1600,x\n")
    good.write_text(LIMITS_CSV)
    result = invoke(*import_args(bad, version, "2908-01-01"))
    assert result.exit_code == 1
    assert "row 2" in result.output and "row 3" in result.output and "nothing imported" in result.output
    assert invoke(*import_args(good, version, "2908-01-01")).exit_code == 0
    again = invoke(*import_args(good, version, "2908-01-01"))
    assert again.exit_code == 1 and "exists already" in again.output
    assert invoke(*import_args(good, name("cli-date"), "2908-13-01")).exit_code == 1
    assert invoke(*import_args(good, name("cli-kind"), "2908-01-01", kind="tax_rates")).exit_code == 2
    assert invoke("show", "--figures").exit_code == 1
