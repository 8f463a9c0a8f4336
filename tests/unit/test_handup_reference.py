"""The Hand-Up reference tables (models/handup_reference.py): income limits (13 CSR 35-32.040 (4)(A)), child care
rates (13 CSR 35-32.010 (4)) and the sliding fee scale (13 CSR 35-32.010 (3)), the version in effect on a day,
and their CSV files (models/handup_reference_csv.py)."""

from datetime import date
from decimal import Decimal

import pytest

from models.errors import ImportRejected, RuleViolation
from models.handup_reference import (DEFAULT_CARE_RATES, DEFAULT_FEE_SCALE, DEFAULT_INCOME_LIMITS, AgeGroup,
                                     CareRates, FeeScale, IncomeLimits, Provenance, pick_version)
from models.handup_reference_csv import parse_reference

LIMITS = "13 CSR 35-32.040 (4)(A)"
RATES = "13 CSR 35-32.010 (4)"
FEES = "13 CSR 35-32.010 (3)"

COMMON = dict(provenance=Provenance.official, source="test")


def limits(version: str, effective_from: date) -> IncomeLimits:
    return IncomeLimits(version=version, effective_from=effective_from, **COMMON,
                        monthly=(Decimal("1000.00"), Decimal("1400.00")), each_further=Decimal("400.00"))


@pytest.mark.rule(LIMITS)
@pytest.mark.parametrize("family_size, expected", [(1, "1000.00"), (2, "1400.00"), (3, "1800.00"), (5, "2600.00")])
def test_income_limit_by_family_size_and_each_further_person(family_size, expected):
    assert limits("t", date(2012, 8, 28)).limit(family_size) == Decimal(expected)


@pytest.mark.rule(LIMITS)
@pytest.mark.parametrize("family_size", [0, -1])
def test_a_family_has_at_least_one_person(family_size):
    with pytest.raises(RuleViolation):
        DEFAULT_INCOME_LIMITS.limit(family_size)


@pytest.mark.rule(LIMITS)
def test_the_shipped_limits_are_derived_from_the_2012_guidelines():
    assert DEFAULT_INCOME_LIMITS.provenance == Provenance.derived
    assert DEFAULT_INCOME_LIMITS.effective_from == date(2012, 8, 28)
    assert DEFAULT_INCOME_LIMITS.limit(4) == Decimal("2343.42")  # 23,050 x 1.22 / 12 = 2343.4166...


V1, V2, V3 = limits("v1", date(2012, 8, 28)), limits("v2", date(2026, 1, 1)), limits("v3", date(2027, 7, 1))


@pytest.mark.rule(LIMITS)
@pytest.mark.parametrize("as_of, expected", [
    (date(2012, 8, 28), V1), (date(2025, 12, 31), V1), (date(2026, 1, 1), V2), (date(2027, 6, 30), V2),
    (date(2030, 1, 1), V3),
], ids=["first-day", "day-before-v2", "v2-first-day", "day-before-v3", "later"])
def test_the_version_in_use_is_the_latest_in_effect_on_or_before_the_day(as_of, expected):
    assert pick_version([V3, V1, V2], as_of) == expected


@pytest.mark.rule(LIMITS)
def test_of_two_versions_in_effect_the_same_day_the_one_given_last_wins():
    shipped, imported = limits("z-shipped", date(2012, 8, 28)), limits("a-official", date(2012, 8, 28))
    assert pick_version([shipped, imported], date(2026, 1, 1)) == imported


@pytest.mark.rule(LIMITS)
def test_no_version_in_effect_is_refused():
    with pytest.raises(RuleViolation) as refused:
        pick_version([V2, V3], date(2025, 12, 31))
    assert "2025-12-31" in refused.value.reason
    with pytest.raises(RuleViolation):
        pick_version([], date(2026, 1, 1))


SCALE = FeeScale(version="t", effective_from=date(2012, 8, 28), **COMMON, bands=(
    (1, Decimal("1500"), Decimal("20")), (1, Decimal("1000"), Decimal("5")),  # given out of order on purpose
    (2, Decimal("1000"), Decimal("10")), (2, Decimal("2000"), Decimal("30"))))


@pytest.mark.rule(FEES)
@pytest.mark.parametrize("family_size, income, fee", [
    (1, "0", "5"), (1, "1000", "5"), (1, "1000.01", "20"), (1, "1500", "20"), (1, "9999", "20"),
    (2, "1000", "10"), (2, "2000", "30"), (7, "1500", "30"),
], ids=["no-income", "top-of-band", "next-band", "top-band", "above-every-band", "size-2", "size-2-top",
        "larger-than-the-scale"])
def test_the_sliding_fee_by_family_size_and_gross_income(family_size, income, fee):
    assert SCALE.fee(family_size, Decimal(income)) == Decimal(fee)


@pytest.mark.rule(FEES)
def test_no_fee_for_a_family_of_nobody_or_an_empty_scale():
    with pytest.raises(RuleViolation):
        SCALE.fee(0, Decimal("100"))
    with pytest.raises(RuleViolation):
        FeeScale(version="empty", effective_from=date(2012, 8, 28), **COMMON).fee(1, Decimal("100"))


@pytest.mark.rule(FEES)
def test_the_shipped_fee_scale_is_a_sample_whose_top_fee_applies_above_the_income_limit():
    assert DEFAULT_FEE_SCALE.provenance == Provenance.sample
    over = DEFAULT_INCOME_LIMITS.limit(3) + Decimal("0.01")
    assert DEFAULT_FEE_SCALE.fee(3, over) == Decimal("90.00")


@pytest.mark.rule(RATES)
@pytest.mark.parametrize("area, group, rate", [("urban", AgeGroup.infant, "990.00"), ("rural", "school_age", "450.00")])
def test_the_rate_by_area_and_age_group(area, group, rate):
    assert DEFAULT_CARE_RATES.rate(area, group) == Decimal(rate)


@pytest.mark.rule(RATES)
@pytest.mark.parametrize("area, group", [("moon", AgeGroup.infant), ("urban", "teenager")])
def test_an_unknown_area_or_age_group_has_no_rate(area, group):
    with pytest.raises(RuleViolation):
        CareRates(version="t", effective_from=date(2012, 8, 28), **COMMON).rate(area, group)
    with pytest.raises(RuleViolation):
        DEFAULT_CARE_RATES.rate(area, group)


# -- the CSV files -----------------------------------------------------------------------------------------------

@pytest.mark.rule(LIMITS)
def test_income_limits_file_is_read_with_each_further_on_the_largest_family():
    rows = parse_reference("income_limits", "family_size,monthly_limit,each_further\n"
                                            "2,1400.00,\n1,1000,\n3,1800.5,400\n")
    assert rows == [{"family_size": 2, "monthly_limit": "1400.00", "each_further": None},
                    {"family_size": 1, "monthly_limit": "1000", "each_further": None},
                    {"family_size": 3, "monthly_limit": "1800.5", "each_further": "400"}]


@pytest.mark.rule(LIMITS)
def test_every_bad_income_limit_row_is_named():
    with pytest.raises(ImportRejected) as rejected:
        parse_reference("income_limits", "family_size,monthly_limit,each_further\n"
                                         "1,1000,\n0,900,\n2,abc,\n3,12.345,\n5,-1,\n")
    assert [row for row, _ in rejected.value.errors] == [3, 4, 5, 6]


@pytest.mark.rule(LIMITS)
@pytest.mark.parametrize("body, row, words", [
    ("1,1000,\n2,1400,\n", 3, "each_further is blank"),
    ("1,1000,\n3,1800,400\n", 3, "family size(s) 2"),
    ("1,1000,\n1,1100,\n2,1400,400\n", 3, "repeated"),
    ("1,1000,\n2,900,400\n", 3, "not above"),
    ("1,1000,300\n2,1400,400\n", 2, "differs"),
], ids=["no-each-further", "gap", "repeated-size", "not-increasing", "two-each-further"])
def test_an_income_limits_table_must_be_whole(body, row, words):
    with pytest.raises(ImportRejected) as rejected:
        parse_reference("income_limits", "family_size,monthly_limit,each_further\n" + body)
    assert [(r, words in reason) for r, reason in rejected.value.errors] == [(row, True)]


@pytest.mark.rule(RATES)
def test_care_rates_need_every_age_group_of_every_area_once():
    header = "area,age_group,monthly_rate\n"
    good = "urban,infant,990\nurban,preschool,760\nurban,school_age,610\n"
    assert parse_reference("care_rates", header + good)[0] == {"area": "urban", "age_group": "infant",
                                                               "monthly_rate": "990"}
    with pytest.raises(ImportRejected) as rejected:
        parse_reference("care_rates", header + good + "rural,infant,700\nurban,infant,1\nrural,toddler,5\n")
    assert [row for row, _ in rejected.value.errors] == [6, 7]  # repeated; not an age group
    with pytest.raises(ImportRejected) as rejected:
        parse_reference("care_rates", header + good + "rural,infant,700\n")
    assert rejected.value.errors == [(5, "area 'rural' has no rate for preschool, school_age: every area needs "
                                         "infant, preschool and school_age")]


@pytest.mark.rule(FEES)
def test_fee_scale_rows_are_unique_and_cover_every_family_size_from_one():
    header = "family_size,income_up_to,fee\n"
    assert len(parse_reference("fee_scale", header + "1,1000,5\n1,2000,20\n2,1000,5\n")) == 3
    with pytest.raises(ImportRejected) as rejected:
        parse_reference("fee_scale", header + "2,1000,5\n2,1000,6\n")
    assert [row for row, _ in rejected.value.errors] == [2, 3]


@pytest.mark.parametrize("kind, text, words", [
    ("income_limits", "", "empty"),
    ("income_limits", "family_size,monthly_limit\n1,1000\n", "missing column(s): each_further"),
    ("income_limits", "family_size,monthly_limit,each_further,note\n", "unknown column(s): 'note'"),
    ("income_limits", "family_size,monthly_limit,each_further\n", "no rows"),
    ("tax_rates", "a\n", "unknown reference table"),
], ids=["empty", "missing-column", "unknown-column", "no-rows", "unknown-kind"])
def test_a_file_that_is_not_the_table_is_refused(kind, text, words):
    with pytest.raises(ImportRejected) as rejected:
        parse_reference(kind, text)
    assert words in str(rejected.value)
