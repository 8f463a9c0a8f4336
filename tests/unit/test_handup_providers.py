"""The pilot providers, 13 CSR 35-32.040 (2)-(3): who may be designated, and no review for those not chosen."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.errors import ImportRejected, RuleViolation
from models.handup_providers import CountyClass, Provider, check_designation, refuse_designation_review
from models.handup_reference_csv import parse_providers

AT_LEAST_TWO = "13 CSR 35-32.040 (2)"
RURAL = "13 CSR 35-32.040 (2)(A)"
URBAN = "13 CSR 35-32.040 (2)(B)"
LICENSED = "13 CSR 35-32.040 (2)(C)"
CONTRACT = "13 CSR 35-32.040 (2)(D)"
AGREED = "13 CSR 35-32.040 (2)(E)"
NO_REVIEW = "13 CSR 35-32.040 (2)(F)"
LICENSE_KEPT = "13 CSR 35-32.040 (3)(A)"

ON = date(2026, 11, 2)
RURAL_ONE = Provider(id="PP-1", name="Ozark Kids", county="Texas", county_class=CountyClass.rural, families_served=40,
                     license_number="L-100", license_valid_until=date(2027, 6, 30), contract_id="CC-1",
                     contract_ends_on=date(2027, 6, 30), agreed_on=date(2026, 10, 1))
URBAN_ONE = Provider(id="PP-2", name="Gateway Early Learning", county="St. Louis City",
                     county_class=CountyClass.urban, families_served=300, license_number="L-200",
                     license_valid_until=date(2027, 6, 30), contract_id="CC-2", contract_ends_on=date(2027, 6, 30),
                     agreed_on=date(2026, 10, 1))


def paragraphs(providers, as_of=ON) -> list[str]:
    return [u.paragraph for u in check_designation(providers, as_of)]


@pytest.mark.rule(AT_LEAST_TWO, RURAL, URBAN, LICENSED, CONTRACT, AGREED, LICENSE_KEPT)
def test_a_rural_and_a_large_urban_provider_licensed_contracted_and_agreed_may_be_designated():
    assert check_designation([RURAL_ONE, URBAN_ONE], ON) == []


@pytest.mark.rule(URBAN)
@pytest.mark.parametrize("families, unmet", [(299, [URBAN]), (300, []), (1200, [])], ids=["299", "300", "1200"])
def test_the_urban_provider_serves_at_least_three_hundred_families(families, unmet):
    assert paragraphs([RURAL_ONE, replace(URBAN_ONE, families_served=families)]) == unmet


@pytest.mark.rule(URBAN)
def test_a_large_rural_provider_does_not_count_as_the_urban_one():
    big_rural = replace(RURAL_ONE, id="PP-3", families_served=900)
    assert paragraphs([RURAL_ONE, big_rural]) == [URBAN]


@pytest.mark.rule(AT_LEAST_TWO, RURAL, URBAN)
@pytest.mark.parametrize("providers, unmet", [
    ([], [AT_LEAST_TWO, RURAL, URBAN]),
    ([URBAN_ONE], [AT_LEAST_TWO, RURAL]),
    ([RURAL_ONE], [AT_LEAST_TWO, URBAN]),
    ([RURAL_ONE, RURAL_ONE], [AT_LEAST_TWO, URBAN]),
    ([URBAN_ONE, replace(URBAN_ONE, id="PP-4")], [RURAL]),
], ids=["none", "urban-only", "rural-only", "the-same-twice", "two-urban"])
def test_at_least_two_providers_one_rural_one_urban(providers, unmet):
    assert paragraphs(providers) == unmet


@pytest.mark.rule(LICENSED, LICENSE_KEPT)
@pytest.mark.parametrize("valid_until, unmet", [
    (ON - timedelta(days=1), [LICENSED, LICENSE_KEPT]), (ON, []), (ON + timedelta(days=1), []),
], ids=["expired-the-day-before", "expires-that-day", "valid-after"])
def test_each_provider_holds_a_license_valid_on_the_day(valid_until, unmet):
    assert paragraphs([RURAL_ONE, replace(URBAN_ONE, license_valid_until=valid_until)]) == unmet


@pytest.mark.rule(CONTRACT)
@pytest.mark.parametrize("ends_on, unmet", [(ON - timedelta(days=1), [CONTRACT]), (ON, [])],
                         ids=["ended-the-day-before", "ends-that-day"])
def test_each_provider_has_a_current_contract(ends_on, unmet):
    assert paragraphs([replace(RURAL_ONE, contract_ends_on=ends_on), URBAN_ONE]) == unmet


@pytest.mark.rule(AGREED)
@pytest.mark.parametrize("agreed_on, unmet", [(None, [AGREED]), (ON + timedelta(days=1), [AGREED]), (ON, [])],
                         ids=["not-agreed", "agrees-later", "agreed-that-day"])
def test_each_provider_has_agreed(agreed_on, unmet):
    assert paragraphs([replace(RURAL_ONE, agreed_on=agreed_on), URBAN_ONE]) == unmet


@pytest.mark.rule(AT_LEAST_TWO, RURAL, URBAN, LICENSED, CONTRACT, AGREED, LICENSE_KEPT)
def test_every_unmet_condition_is_named_with_its_provider_in_the_rules_order():
    lapsed = replace(URBAN_ONE, families_served=10, license_valid_until=date(2026, 1, 1),
                     contract_ends_on=date(2026, 1, 1), agreed_on=None)
    unmet = check_designation([lapsed], ON)
    assert [u.paragraph for u in unmet] == [AT_LEAST_TWO, RURAL, URBAN, LICENSED, CONTRACT, AGREED, LICENSE_KEPT]
    assert all("PP-2" in u.reason for u in unmet[3:]) and "2026-01-01" in unmet[3].reason


@pytest.mark.rule(NO_REVIEW)
def test_a_provider_not_chosen_may_not_have_the_designation_reviewed():
    with pytest.raises(RuleViolation) as refused:
        refuse_designation_review("PP-9")
    assert refused.value.rule == NO_REVIEW
    assert "discretion" in refused.value.reason and "not subject to review" in refused.value.reason


HEADER = ("id,name,county,county_class,families_served,license_number,license_valid_until,contract_id,"
          "contract_ends_on,agreed_on\n")


def test_provider_file_is_read_into_providers():
    text = (HEADER + "PP-1,Ozark Kids,Texas,rural,40,L-100,2027-06-30,CC-1,2027-06-30,2026-10-01\n"
            "PP-2,Gateway Early Learning,St. Louis City,urban,300,L-200,2027-06-30,CC-2,2027-06-30,2026-10-01\n"
            "PP-3,Not Yet,Boone,urban,20,L-300,2027-06-30,CC-3,2027-06-30,\n")
    assert parse_providers(text) == [RURAL_ONE, URBAN_ONE, replace(URBAN_ONE, id="PP-3", name="Not Yet",
                                                                   county="Boone", families_served=20,
                                                                   license_number="L-300", contract_id="CC-3",
                                                                   agreed_on=None)]


def test_every_bad_provider_row_is_named_and_nothing_is_read():
    text = (HEADER + "PP-1,Ozark Kids,Texas,suburban,40,L-100,2027-06-30,CC-1,2027-06-30,2026-10-01\n"
            "PP-2,Gateway,St. Louis City,urban,many,L-200,2027-13-01,CC-2,2027-06-30,\n"
            "PP-3,Fine,Boone,urban,20,L-300,2027-06-30,CC-3,2027-06-30,\n"
            "PP-3,Again,Boone,urban,20,L-300,2027-06-30,,2027-06-30,\n")
    with pytest.raises(ImportRejected) as rejected:
        parse_providers(text)
    rows = [row for row, _ in rejected.value.errors]
    assert rows == [2, 3, 3, 5, 5]
    assert "county_class" in rejected.value.errors[0][1]
    assert {reason for row, reason in rejected.value.errors if row == 5} == {
        "contract_id is blank", "id 'PP-3' is repeated (first on row 4)"}
