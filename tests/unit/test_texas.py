"""Texas DFPS FY2011 Residential Child-Care Contract, Attachment F, Output #3 "Stabilize the Child's placement".

The expected exclusions are written here from the seed's text (the three "Methodology for ..." lists), never taken
from the module under test.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import ImportRejected, RuleViolation
from models.methods.methods_csv import parse_exits
from models.methods.texas import (EXCLUDED_REASONS, FACILITY_TYPES, REASONS, average_length_of_placement,
                                  counted_exits, performance_periods)

OUTPUT_3 = "Texas DFPS FY2011 Attachment F, Output #3"

# The seed's bullets, quoted, and the reason code each names.
SEED_BULLETS = {
    "Caretaker moved": "caretaker_moved",
    "Achieved therapeutic goal(s)": "therapeutic_goals_achieved",
    "Court ordered, including emancipation": "court_ordered",
    "Child placed in adoption": "adoption",
    "Child placed with family, including other relatives and siblings": "placed_with_family",
    "Level of care raised or lowered to a level not included in this contract": "level_of_care_changed",
    "Child moved to a less restrictive setting, based on Residential Child Care's Living Arrangement Scoring":
        "less_restrictive_setting",
}
LAST_FIVE = ["Court ordered, including emancipation", "Child placed in adoption",
             "Child placed with family, including other relatives and siblings",
             "Level of care raised or lowered to a level not included in this contract",
             "Child moved to a less restrictive setting, based on Residential Child Care's Living Arrangement Scoring"]
# "Methodology for <types>: ... except those discharged for the following reasons:" and its bullets.
SEED_METHODOLOGIES = [
    ("CPA", ["CPA"], ["Caretaker moved", *LAST_FIVE]),
    ("RTC, GRO-Therapeutic Camp, GRO-Treatment Services", ["RTC", "GRO_THERAPEUTIC_CAMP", "GRO_TREATMENT"],
     ["Achieved therapeutic goal(s)", *LAST_FIVE]),
    ("GRO-Basic Child Care, GRO-Emergency Shelter, Independent Foster Family Home, Independent Foster Group Home",
     ["GRO_BASIC", "GRO_EMERGENCY_SHELTER", "INDEPENDENT_FOSTER_FAMILY_HOME", "INDEPENDENT_FOSTER_GROUP_HOME"],
     LAST_FIVE),
]
EXPECTED = {kind: {SEED_BULLETS[b] for b in bullets} for _, kinds, bullets in SEED_METHODOLOGIES for kind in kinds}
FY2011 = (date(2010, 9, 1), date(2011, 8, 31))
Q1 = (date(2010, 9, 1), date(2010, 11, 30))

pytestmark = [pytest.mark.rule(OUTPUT_3)]


# -- Performance Period -------------------------------------------------------------------------------------------

def test_a_contract_year_has_the_four_quarters_of_the_seed():
    # "September 1 through November 30, December 1 through February 28, March 1 through May 31, and June 1
    # through August 31."
    assert performance_periods(*FY2011) == [
        (date(2010, 9, 1), date(2010, 11, 30)), (date(2010, 12, 1), date(2011, 2, 28)),
        (date(2011, 3, 1), date(2011, 5, 31)), (date(2011, 6, 1), date(2011, 8, 31))]


def test_in_a_leap_year_december_to_february_runs_to_february_29():
    periods = performance_periods(date(2011, 9, 1), date(2012, 8, 31))
    assert periods[1] == (date(2011, 12, 1), date(2012, 2, 29))
    assert periods[2] == (date(2012, 3, 1), date(2012, 5, 31))


def test_periods_are_clipped_to_a_partial_contract():
    # "wholly or partially, depending on the Contract start and end dates"
    assert performance_periods(date(2010, 10, 15), date(2011, 1, 10)) == [
        (date(2010, 10, 15), date(2010, 11, 30)), (date(2010, 12, 1), date(2011, 1, 10))]
    assert performance_periods(date(2012, 1, 5), date(2012, 3, 1)) == [
        (date(2012, 1, 5), date(2012, 2, 29)), (date(2012, 3, 1), date(2012, 3, 1))]


@pytest.mark.parametrize("day", [date(2010, 9, 1), date(2010, 11, 30), date(2010, 12, 31), date(2012, 2, 29)])
def test_a_one_day_contract_has_one_one_day_period(day):
    assert performance_periods(day, day) == [(day, day)]


def test_the_quarter_boundaries_are_inclusive():
    assert performance_periods(date(2010, 11, 30), date(2010, 12, 1)) == [
        (date(2010, 11, 30), date(2010, 11, 30)), (date(2010, 12, 1), date(2010, 12, 1))]
    assert performance_periods(date(2011, 2, 28), date(2011, 3, 1)) == [
        (date(2011, 2, 28), date(2011, 2, 28)), (date(2011, 3, 1), date(2011, 3, 1))]
    assert performance_periods(date(2011, 5, 31), date(2011, 6, 1))[1] == (date(2011, 6, 1), date(2011, 6, 1))
    assert performance_periods(date(2011, 8, 31), date(2011, 9, 1))[1] == (date(2011, 9, 1), date(2011, 9, 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1999, 1, 1), date(2030, 12, 31)), st.integers(0, 1200))
def test_every_day_of_a_contract_falls_in_exactly_one_period(start, length):
    end = start + timedelta(days=length)
    periods = performance_periods(start, end)
    assert periods[0][0] == start and periods[-1][1] == end
    for (_, last), (first, _) in zip(periods, periods[1:]):
        assert first == last + timedelta(days=1)
    for first, last in periods:
        assert first <= last and (first.month, first.day) in {(9, 1), (12, 1), (3, 1), (6, 1)} | {
            (start.month, start.day)}
        assert (last + timedelta(days=1)).day == 1 or last == end


def test_a_contract_ending_before_it_starts_is_refused():
    with pytest.raises(RuleViolation, match="ends before it starts") as exc:
        performance_periods(date(2011, 8, 31), date(2010, 9, 1))
    assert exc.value.rule == OUTPUT_3


# -- Methodology: the exclusions by facility type -----------------------------------------------------------------

def test_the_table_names_every_facility_type_and_reason_of_the_seed():
    assert set(FACILITY_TYPES) == set(EXPECTED) and len(FACILITY_TYPES) == 8
    assert set(REASONS) == set(SEED_BULLETS.values())
    assert {k: set(v) for k, v in EXCLUDED_REASONS.items()} == EXPECTED


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("reason", sorted(SEED_BULLETS.values()) + ["runaway", "other"])
def test_each_facility_type_excludes_exactly_the_reasons_the_seed_lists(kind, reason):
    exits = [(date(2010, 9, 1), date(2010, 10, 1), reason)]
    average = average_length_of_placement(kind, exits, Q1)
    assert average == (None if reason in EXPECTED[kind] else Decimal("30.00"))


def test_caretaker_moved_counts_only_outside_cpa_and_therapeutic_goals_only_outside_treatment():
    exits = [(date(2010, 9, 1), date(2010, 9, 11), "caretaker_moved"),
             (date(2010, 9, 1), date(2010, 10, 1), "therapeutic_goals_achieved")]
    assert average_length_of_placement("CPA", exits, Q1) == Decimal("30.00")
    assert average_length_of_placement("RTC", exits, Q1) == Decimal("10.00")
    assert average_length_of_placement("GRO_BASIC", exits, Q1) == Decimal("20.00")


# -- Methodology: numerator / denominator -------------------------------------------------------------------------

def test_the_average_is_the_days_in_placement_over_the_children_counted():
    exits = [(date(2010, 6, 1), date(2010, 9, 1), "runaway"),          # 92 days
             (date(2010, 9, 1), date(2010, 11, 30), "disruption"),     # 90 days
             (date(2010, 10, 1), date(2010, 10, 1), "other"),          # 0 days, same day
             (date(2010, 9, 1), date(2010, 9, 20), "adoption"),        # excluded
             (date(2010, 8, 1), date(2010, 8, 31), "runaway"),         # the day before the period
             (date(2010, 8, 1), date(2010, 12, 1), "runaway")]         # the day after the period
    assert len(counted_exits("CPA", exits, Q1)) == 3
    assert average_length_of_placement("CPA", exits, Q1) == Decimal("60.67")  # 182 / 3


@pytest.mark.parametrize("days, expected", [([1, 2], "1.50"), ([1, 1, 2], "1.33"), ([2, 2, 3], "2.33"),
                                            ([1] + [0] * 7, "0.13"), ([3] + [0] * 7, "0.38"),
                                            ([5] + [0] * 7, "0.63")])
def test_the_average_is_rounded_half_up_to_two_decimals(days, expected):
    exits = [(date(2010, 9, 1), date(2010, 9, 1) + timedelta(days=d), "runaway") for d in days]
    assert average_length_of_placement("RTC", exits, Q1) == Decimal(expected)


def test_no_exit_counted_is_none():
    assert average_length_of_placement("CPA", [], Q1) is None
    assert average_length_of_placement("CPA", [(date(2010, 9, 1), date(2010, 9, 5), "court_ordered")], Q1) is None
    assert average_length_of_placement("CPA", [(date(2010, 1, 1), date(2010, 8, 31), "runaway")], Q1) is None


@pytest.mark.parametrize("kind", ["cpa", "GRO", "", "Residential Treatment Center"])
def test_an_unknown_facility_type_is_refused(kind):
    with pytest.raises(RuleViolation, match="unknown facility type") as exc:
        average_length_of_placement(kind, [], Q1)
    assert exc.value.rule == OUTPUT_3


def test_an_exit_before_its_placement_started_is_refused_even_outside_the_period():
    exits = [(date(2010, 9, 1), date(2010, 9, 10), "runaway"), (date(2011, 5, 2), date(2011, 5, 1), "runaway")]
    with pytest.raises(RuleViolation, match="exit 2 leaves its placement on 2011-05-01, before"):
        average_length_of_placement("CPA", exits, Q1)


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(RuleViolation, match="the period ends before it starts"):
        average_length_of_placement("CPA", [], (date(2010, 11, 30), date(2010, 9, 1)))


# -- the exits file -----------------------------------------------------------------------------------------------

def test_the_exits_file_is_read():
    text = "\ufeffPlacement_Start,exit_date,reason\n2010-09-01,2010-09-30,Court_Ordered\n\n2010-09-01,2010-09-01,x\n"
    assert parse_exits(text) == [(date(2010, 9, 1), date(2010, 9, 30), "court_ordered"),
                                 (date(2010, 9, 1), date(2010, 9, 1), "x")]


def test_every_bad_exit_row_is_reported_by_its_number():
    text = ("placement_start,exit_date,reason\n2010-09-01,2010-09-30,runaway\n2010-09-31,2010-10-01,runaway\n"
            "2010-10-02,2010-10-01,adoption\n2010-10-01,,\n2010-10-01,2010-10-02,x,extra\n")
    with pytest.raises(ImportRejected) as exc:
        parse_exits(text)
    assert exc.value.errors == [
        (3, "placement_start '2010-09-31' is not a date YYYY-MM-DD"),
        (4, "exit_date 2010-10-01 is before placement_start 2010-10-02"),
        (5, "exit_date is blank"), (5, "reason is blank"),
        (6, "4 fields, but the header has 3 columns")]


@pytest.mark.parametrize("text, message", [("", "file is empty"), ("start,exit_date,reason\n", "missing column"),
                                           ("placement_start,exit_date,reason\n", "no rows")])
def test_a_bad_exits_header_or_an_empty_file_is_row_1(text, message):
    with pytest.raises(ImportRejected, match=message) as exc:
        parse_exits(text)
    assert exc.value.errors[0][0] == 1
