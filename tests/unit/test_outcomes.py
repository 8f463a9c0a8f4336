"""The outcomes of a contract year, 13 CSR 35-32.020 (13)(A)-(D), and the outcomes missed for (15)-(16).

The contract year is October 1, 2025 to September 30, 2026. Every expected figure is counted by hand here.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from models.errors import RuleViolation
from models.outcomes import (Child, Event, Targets, compute_outcomes, is_permanency, missed_outcomes,
                             reentered_within_twelve_months, twelve_months_after)

EVALUATED = "13 CSR 35-32.020 (13)"
PERMANENCY = "13 CSR 35-32.020 (13)(A)"
SAFETY = "13 CSR 35-32.020 (13)(B)"
REENTRY = "13 CSR 35-32.020 (13)(C)"
MONITORED = "13 CSR 35-32.020 (13)(D)"
REVIEW = "13 CSR 35-32.020 (15)"
PLAN = "13 CSR 35-32.020 (16)"

YEAR_START = date(2025, 10, 1)
YEAR_END = date(2026, 9, 30)
BEFORE = YEAR_START - timedelta(days=1)
AFTER = YEAR_END + timedelta(days=1)
TARGETS = Targets(permanency=Decimal("25.00"), safety=Decimal("98.00"), reentry=Decimal("90.00"))
REFERRED = date(2025, 6, 1)
BORN = date(2015, 3, 3)


def child(n: int = 1, referred_on: date = REFERRED, birth_date: date = BORN) -> Child:
    return Child(f"CH-{n}", referred_on, birth_date, "ive")


def exit_(n: int, on: date, exit_type: str = "reunification") -> Event:
    return Event(f"CH-{n}", "exit", on, exit_type)


def reentry(n: int, on: date) -> Event:
    return Event(f"CH-{n}", "reentry", on)


def report(n: int, on: date, perpetrator: str) -> Event:
    return Event(f"CH-{n}", "report", on, perpetrator)


def outcomes(children, events=(), targets=TARGETS):
    return compute_outcomes(children, events, YEAR_START, YEAR_END, targets)


# -- who is served ----------------------------------------------------------------------------------------------

@pytest.mark.rule(EVALUATED)
@pytest.mark.parametrize("referred_on, events, served", [
    (YEAR_END, [], 1),
    (AFTER, [], 0),
    (REFERRED, [exit_(1, YEAR_START, "other")], 1),
    (REFERRED, [exit_(1, BEFORE, "other")], 0),
    (REFERRED, [exit_(1, BEFORE, "other"), reentry(1, YEAR_END)], 1),
    (REFERRED, [exit_(1, BEFORE, "other"), reentry(1, AFTER)], 0),
], ids=["referred-on-year-end", "referred-after-year-end", "exits-on-year-start", "exited-the-day-before",
        "re-entered-in-the-year", "re-entered-after-the-year"])
def test_served_means_in_the_contractors_care_on_a_day_of_the_year(referred_on, events, served):
    assert outcomes([child(1, referred_on)], events).served == served


# -- (13)(A) permanency ------------------------------------------------------------------------------------------

@pytest.mark.rule(PERMANENCY)
@pytest.mark.parametrize("exit_type, permanent", [("reunification", True), ("adoption", True),
                                                  ("guardianship", True), ("other", False)])
def test_permanency_is_reunification_adoption_or_legal_guardianship(exit_type, permanent):
    assert is_permanency(exit_type) is permanent
    assert outcomes([child(1)], [exit_(1, date(2026, 1, 15), exit_type)]).permanency.numerator == permanent


@pytest.mark.rule(PERMANENCY)
@pytest.mark.parametrize("exited_on, month", [(YEAR_START, 1), (date(2026, 2, 28), 5), (YEAR_END, 12)])
def test_a_permanency_in_the_year_counts_in_its_month(exited_on, month):
    result = outcomes([child(1), child(2)], [exit_(1, exited_on, "adoption")])
    assert result.permanency.numerator == 1 and result.permanency.denominator == 2
    assert result.permanency.percent == Decimal("50.00")
    assert result.permanency_by_month == tuple(int(m == month) for m in range(1, 13))


@pytest.mark.rule(PERMANENCY)
def test_a_permanency_after_the_year_does_not_count():
    result = outcomes([child(1)], [exit_(1, AFTER)])
    assert (result.served, result.permanency.numerator, sum(result.permanency_by_month)) == (1, 0, 0)


@pytest.mark.rule(PERMANENCY)
def test_a_child_reaching_permanency_twice_in_the_year_counts_once_in_its_first_month():
    events = [exit_(1, date(2025, 11, 3)), reentry(1, date(2025, 12, 1)), exit_(1, date(2026, 5, 4), "adoption")]
    result = outcomes([child(1)], events)
    assert result.permanency.numerator == 1 and result.permanency_by_month[1] == 1


@pytest.mark.rule(PERMANENCY)
def test_the_percentage_is_rounded_half_up_to_two_decimals():
    children = [child(n) for n in range(800)]  # 1 of 800 is 0.125%
    assert outcomes(children, [exit_(0, date(2026, 3, 1))]).permanency.percent == Decimal("0.13")


@pytest.mark.rule(PERMANENCY)
@pytest.mark.parametrize("target, met", [(Decimal("25.00"), True), (Decimal("25.01"), False)],
                         ids=["at-target", "just-below"])
def test_an_outcome_is_met_when_the_percentage_reaches_its_target(target, met):
    targets = Targets(permanency=target, safety=Decimal(0), reentry=Decimal(0))
    result = outcomes([child(n) for n in range(4)], [exit_(0, date(2026, 3, 1))], targets)
    assert result.permanency.percent == Decimal("25.00") and result.permanency.met is met


@pytest.mark.rule(PERMANENCY)
def test_no_children_served_means_no_percentage_and_no_verdict():
    result = outcomes([child(1, AFTER)])
    assert (result.permanency.denominator, result.permanency.percent, result.permanency.met) == (0, None, None)


# -- (13)(B) safety -------------------------------------------------------------------------------------------

@pytest.mark.rule(SAFETY)
@pytest.mark.parametrize("perpetrator, on, safe", [
    ("out_of_home_provider", date(2026, 2, 1), 1),
    ("out_of_home_provider", YEAR_START, 1),
    ("out_of_home_provider", YEAR_END, 1),
    ("out_of_home_provider", BEFORE, 2),
    ("out_of_home_provider", AFTER, 2),
    ("parent", date(2026, 2, 1), 2),
    ("other", date(2026, 2, 1), 2),
], ids=["provider", "provider-on-year-start", "provider-on-year-end", "provider-before-the-year",
        "provider-after-the-year", "parent", "other"])
def test_only_a_report_naming_the_out_of_home_provider_in_the_year_counts_against_safety(perpetrator, on, safe):
    result = outcomes([child(1), child(2)], [report(1, on, perpetrator)])
    assert (result.safety.numerator, result.safety.denominator) == (safe, 2)


# -- (13)(C) no re-entry within twelve months ------------------------------------------------------------------

@pytest.mark.rule(REENTRY)
@pytest.mark.parametrize("exited_on, days, within", [
    (date(2025, 1, 10), 365, True), (date(2025, 1, 10), 366, False),  # a common year: day 365 is the anniversary
    (date(2027, 3, 1), 366, True), (date(2027, 3, 1), 367, False),  # over February 29, 2028
    (date(2025, 1, 10), 0, True),
])
def test_a_reentry_within_twelve_months_runs_to_the_anniversary_of_the_exit(exited_on, days, within):
    assert reentered_within_twelve_months(exited_on, exited_on + timedelta(days=days)) is within


@pytest.mark.rule(REENTRY)
def test_twelve_months_after_february_29_end_on_february_28():
    assert twelve_months_after(date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.mark.rule(REENTRY)
@pytest.mark.parametrize("days, stayed_out", [(365, 0), (366, 1)])
def test_a_reentry_on_day_365_after_the_exit_counts_and_on_day_366_does_not(days, stayed_out):
    exited = date(2025, 2, 1)
    result = outcomes([child(1, date(2024, 5, 1))], [exit_(1, exited), reentry(1, exited + timedelta(days=days))])
    assert (result.no_reentry.numerator, result.no_reentry.denominator) == (stayed_out, 1)


@pytest.mark.rule(REENTRY)
@pytest.mark.parametrize("exited_on, in_cohort", [
    (date(2024, 10, 1), True), (date(2024, 9, 30), False), (YEAR_END, True), (AFTER, False)],
    ids=["twelve-months-before-the-year", "the-day-before", "on-year-end", "after-the-year"])
def test_the_children_measured_exited_in_the_year_or_the_twelve_months_before(exited_on, in_cohort):
    result = outcomes([child(1, date(2024, 1, 1))], [exit_(1, exited_on, "other")])
    assert result.no_reentry.denominator == in_cohort


@pytest.mark.rule(REENTRY)
def test_only_reentries_known_by_the_end_of_the_year_count():
    events = [exit_(1, date(2026, 9, 1)), reentry(1, AFTER)]
    assert outcomes([child(1)], events).no_reentry.numerator == 1


@pytest.mark.rule(REENTRY)
def test_every_exit_counts_not_only_permanency():
    events = [exit_(1, date(2026, 1, 5), "other"), reentry(1, date(2026, 3, 1)), exit_(2, date(2026, 1, 5))]
    result = outcomes([child(1), child(2)], events)
    assert (result.no_reentry.numerator, result.no_reentry.denominator, result.no_reentry.percent) == \
           (1, 2, Decimal("50.00"))


# -- (13)(D) the monitored outcomes --------------------------------------------------------------------------

def monitored(result) -> dict:
    return {m.name: (m.numerator, m.denominator, m.percent) for m in result.monitored}


@pytest.mark.rule(MONITORED)
def test_placement_settings_are_one_plus_the_changes_in_the_year_averaged_over_the_children_served():
    events = [Event("CH-1", "placement_change", d) for d in (BEFORE, YEAR_START, date(2026, 4, 1), YEAR_END)]
    events += [Event("CH-3", "placement_change", date(2026, 1, 1))]
    assert monitored(outcomes([child(1), child(2), child(3)], events))["placement_settings"] == \
           (7, 3, Decimal("2.33"))  # (1 + 3) + 1 + (1 + 1) settings over 3 children


@pytest.mark.rule(MONITORED)
def test_residential_days_per_thousand_care_days():
    events = [Event("CH-1", "residential_days", date(2026, 1, 1), days=31),
              Event("CH-1", "residential_days", date(2026, 2, 1), days=10),
              Event("CH-1", "residential_days", date(2025, 9, 1), days=30),  # before the year
              exit_(2, date(2026, 4, 11))]
    result = outcomes([child(1), child(2, date(2026, 4, 1))], events)
    # care days: 365 for CH-1, April 1-10 for CH-2 (the exit day is not a care day); 41 x 1000 / 375
    assert monitored(result)["residential_days"] == (41, 375, Decimal("109.33"))


@pytest.mark.rule(MONITORED)
@pytest.mark.parametrize("born, older", [(date(2011, 10, 1), True), (date(2011, 10, 2), False)],
                         ids=["14-on-year-start", "14-the-day-after"])
def test_older_youth_are_14_or_older_on_the_first_day_of_the_year(born, older):
    result = outcomes([child(1, birth_date=born)], [exit_(1, date(2026, 6, 1), "guardianship")])
    assert monitored(result)["older_youth_permanency"] == ((1, 1, Decimal("100.00")) if older else (0, 0, None))


@pytest.mark.rule(MONITORED)
def test_resource_homes_developed_in_the_year_are_counted_once_each():
    events = [Event(None, "resource_home", d, home) for d, home in
              [(YEAR_START, "H-1"), (YEAR_END, "H-2"), (date(2026, 3, 1), "H-2"), (BEFORE, "H-3"), (AFTER, "H-4")]]
    assert monitored(outcomes([child(1)], events))["resource_homes"] == (2, None, None)


# -- bad data is refused, naming it ----------------------------------------------------------------------

@pytest.mark.rule(EVALUATED)
@pytest.mark.parametrize("events, paragraph, says", [
    ([exit_(1, date(2026, 1, 1), "runaway")], PERMANENCY, "unknown exit type 'runaway'"),
    ([exit_(1, REFERRED - timedelta(days=1))], PERMANENCY, "before its referral"),
    ([report(1, date(2026, 1, 1), "teacher")], SAFETY, "unknown perpetrator type 'teacher'"),
    ([Event("CH-1", "transfer", date(2026, 1, 1))], EVALUATED, "unknown event kind 'transfer'"),
    ([exit_(9, date(2026, 1, 1))], EVALUATED, "CH-9, who was never referred"),
    ([exit_(1, date(2026, 1, 1)), exit_(1, date(2026, 2, 1))], REENTRY, "without a re-entry"),
    ([Event("CH-1", "residential_days", date(2026, 1, 1), days=-3)], MONITORED, "cannot be negative"),
    ([Event(None, "resource_home", date(2026, 1, 1))], MONITORED, "no home ID"),
], ids=["exit-type", "exit-before-referral", "perpetrator", "kind", "unknown-child", "two-exits",
        "negative-days", "home-id"])
def test_bad_case_data_is_refused(events, paragraph, says):
    with pytest.raises(RuleViolation, match=says) as refused:
        outcomes([child(1)], events)
    assert refused.value.rule == paragraph


@pytest.mark.rule(EVALUATED)
@pytest.mark.parametrize("start, end, says", [
    (YEAR_START, BEFORE, "dates out of order"),
    (date(2025, 10, 2), YEAR_END, "first day of a month"),
    (YEAR_START, YEAR_START.replace(year=2026), "at most twelve months"),
])
def test_a_contract_year_out_of_order_or_too_long_is_refused(start, end, says):
    with pytest.raises(RuleViolation, match=says):
        compute_outcomes([child(1)], [], start, end, TARGETS)


@pytest.mark.rule(EVALUATED)
@pytest.mark.parametrize("children, targets, says", [
    ([child(1), child(1)], TARGETS, "referred twice"),
    ([Child("CH-1", REFERRED, BORN, "medicaid")], TARGETS, "unknown funding"),
    ([child(1, birth_date=REFERRED + timedelta(days=1))], TARGETS, "before its birth"),
    ([child(1)], Targets(Decimal("101"), Decimal(0), Decimal(0)), "from 0 to 100"),
])
def test_bad_children_or_targets_are_refused(children, targets, says):
    with pytest.raises(RuleViolation, match=says):
        outcomes(children, [], targets)


# -- (15)-(16): the outcomes missed ---------------------------------------------------------------------------

@pytest.mark.rule(REVIEW, PLAN)
def test_the_outcomes_missed_are_those_of_13_a_to_c_below_their_targets():
    events = [exit_(1, date(2026, 1, 5), "other"), reentry(1, date(2026, 3, 1)),
              report(2, date(2026, 2, 2), "out_of_home_provider")]
    result = outcomes([child(1), child(2)], events)
    assert missed_outcomes(result) == ["Permanency within 12 months",
                                       "No abuse or neglect by the out-of-home provider",
                                       "No re-entry within 12 months"]
    assert missed_outcomes(outcomes([child(1)], [exit_(1, date(2026, 1, 5))])) == []
