"""The monthly payment and the permanency incentive, 13 CSR 35-32.030 (5)-(6).

A contract of 500 cases at $1,850.00 a case a month, its year October 2025 to September 2026. Every expected figure
is worked out by hand here.
"""

from datetime import date
from decimal import Decimal

import pytest

from models.errors import RuleViolation
from models.incentive import (Adjustment, children_paid, expected_permanency_percent, incentive, incentive_method,
                              meets_permanency_standard, monthly_expected, monthly_payments)

PAYMENT = "13 CSR 35-32.030 (5)"
INCENTIVES = "13 CSR 35-32.030 (6)"
OLD_CONTRACTS = "13 CSR 35-32.030 (6)(A)"
CONTRACT_PERCENTAGE = "13 CSR 35-32.030 (6)(A)1"
EXPECTED_EACH_MONTH = "13 CSR 35-32.030 (6)(A)2"
NEW_CONTRACTS = "13 CSR 35-32.030 (6)(B)"
HIGHER_PERCENTAGE = "13 CSR 35-32.030 (6)(B)1"
COUNTY_AVERAGE = "13 CSR 35-32.030 (6)(B)1.A"
CONTRACTOR_AVERAGE = "13 CSR 35-32.030 (6)(B)1.B"
REDUCTIONS = "13 CSR 35-32.030 (6)(B)3"
NOT_ASSIGNED = "13 CSR 35-32.030 (6)(B)3.A"
REASSIGNED = "13 CSR 35-32.030 (6)(B)3.B"
REFERRAL_HOLD = "13 CSR 35-32.030 (6)(B)3.C"
REENTRIES = "13 CSR 35-32.030 (6)(B)3.D"
MAINTENANCE = "13 CSR 35-32.030 (6)(B)3.E"
CATASTROPHIC = "13 CSR 35-32.030 (6)(B)3.F"
SUM_OF_DIFFERENCES = "13 CSR 35-32.030 (6)(B)4"
MONTHLY_AMOUNT = "13 CSR 35-32.030 (6)(B)4.A"
ONE_TIME = "13 CSR 35-32.030 (6)(B)4.B"
STANDARD = "13 CSR 35-32.030 (6)(B)5"

YEAR_START = date(2025, 10, 1)
CASES = 500
RATE = Decimal("1850.00")
ACHIEVED = [12, 9, 11, 13, 10, 12, 11, 14, 9, 12, 13, 11]  # 137 children
NONE = [0] * 12


def award(**changes):
    terms = dict(effective_on=date(2025, 10, 1), year_start=YEAR_START, cases_awarded=CASES, monthly_rate=RATE,
                 contract_target=Decimal("20.00"), region_county=Decimal("26.00"),
                 region_contractor=Decimal("24.10"), achieved_by_month=ACHIEVED, appropriation=None)
    return incentive(**{**terms, **changes})


def pay(adjustments=(), reentries=NONE, allowable=3, **changes):
    terms = dict(year_start=YEAR_START, cases_awarded=CASES, monthly_rate=RATE, adjustments=list(adjustments),
                 reentries_by_month=reentries, allowable_reentries=allowable)
    return monthly_payments(**{**terms, **changes})


def month(n: int) -> date:
    return date(2025 + (9 + n - 1) // 12, (9 + n - 1) % 12 + 1, 1)


# -- which method ---------------------------------------------------------------------------------------------

@pytest.mark.rule(OLD_CONTRACTS, NEW_CONTRACTS, CONTRACT_PERCENTAGE)
@pytest.mark.parametrize("effective_on, method, expected_percent", [
    (date(2011, 9, 30), "(6)(A)", Decimal("20.00")),  # the contract's own percentage
    (date(2011, 10, 1), "(6)(B)", Decimal("26.00")),  # the higher regional average
])
def test_contracts_effective_by_september_30_2011_follow_6a_and_from_october_1_6b(effective_on, method,
                                                                                   expected_percent):
    assert incentive_method(effective_on) == method
    result = award(effective_on=effective_on)
    assert (result.method, result.paragraph, result.expected_percent) == \
           (method, f"13 CSR 35-32.030 {method}", expected_percent)


@pytest.mark.rule(HIGHER_PERCENTAGE, COUNTY_AVERAGE, CONTRACTOR_AVERAGE)
@pytest.mark.parametrize("county, contractors, higher", [
    (Decimal("26.00"), Decimal("24.10"), Decimal("26.00")),
    (Decimal("24.10"), Decimal("26.00"), Decimal("26.00")),
    (Decimal("25.00"), Decimal("25.00"), Decimal("25.00")),
], ids=["county-average-higher", "contractor-average-higher", "equal"])
def test_the_expected_percentage_is_the_higher_of_the_two_regional_averages(county, contractors, higher):
    assert expected_permanency_percent(county, contractors) == higher
    assert award(region_county=county, region_contractor=contractors).expected_percent == higher


@pytest.mark.rule(EXPECTED_EACH_MONTH, SUM_OF_DIFFERENCES)
@pytest.mark.parametrize("cases, percent, expected", [
    (500, Decimal("26.00"), Decimal("10.83")),  # 10.8333...
    (100, Decimal("1.5"), Decimal("0.13")),  # 0.125, half-up
    (600, Decimal("24"), Decimal("12.00")),
])
def test_children_expected_each_month_are_cases_times_percentage_over_twelve(cases, percent, expected):
    assert monthly_expected(cases, percent) == expected


# -- the sum of the monthly differences and the one-time payment ---------------------------------------------

@pytest.mark.rule(NEW_CONTRACTS, SUM_OF_DIFFERENCES, MONTHLY_AMOUNT, ONE_TIME, INCENTIVES)
def test_the_incentive_pays_the_monthly_rate_for_each_whole_child_above_the_expectation():
    result = award()
    assert [m.month for m in result.months] == [month(n) for n in range(1, 13)]
    assert result.months[0].expected == Decimal("10.83") and result.months[0].difference == Decimal("1.17")
    assert result.months[1].difference == Decimal("-1.83")
    assert result.sum_of_differences == Decimal("7.04")  # 137 - 12 x 10.83
    assert (result.children_paid, result.amount, result.payment) == (7, Decimal("12950.00"), Decimal("12950.00"))
    assert result.meets_standard and result.cases_awarded == CASES and result.monthly_rate == RATE


@pytest.mark.rule(ONE_TIME)
@pytest.mark.parametrize("total, children", [(Decimal("7.99"), 7), (Decimal("8.00"), 8), (Decimal("0.99"), 0),
                                             (Decimal("0.00"), 0), (Decimal("-3.50"), 0)])
def test_the_children_paid_for_are_the_positive_sum_rounded_down_to_a_whole_child(total, children):
    assert children_paid(total) == children


@pytest.mark.rule(STANDARD, ONE_TIME)
def test_a_negative_sum_pays_nothing_and_misses_the_standard():
    result = award(achieved_by_month=[10] * 12)  # 12 x (10 - 10.83)
    assert result.sum_of_differences == Decimal("-9.96")
    assert (result.children_paid, result.amount, result.payment, result.meets_standard) == \
           (0, Decimal("0.00"), Decimal("0.00"), False)


@pytest.mark.rule(STANDARD)
@pytest.mark.parametrize("total, met", [(Decimal("-0.01"), False), (Decimal("0.00"), True), (Decimal("0.01"), True)])
def test_the_permanency_standard_is_met_when_the_sum_is_zero_or_more(total, met):
    assert meets_permanency_standard(total) is met


@pytest.mark.rule(STANDARD)
def test_exactly_the_expected_children_meet_the_standard_but_earn_nothing():
    result = award(cases_awarded=600, region_county=Decimal("24"), region_contractor=Decimal("20"),
                   achieved_by_month=[12] * 12)
    assert (result.sum_of_differences, result.meets_standard, result.payment) == (0, True, Decimal("0.00"))


@pytest.mark.rule(MONTHLY_AMOUNT)
@pytest.mark.parametrize("appropriation, payment", [
    (None, "12950.00"), (Decimal("10000.00"), "10000.00"), (Decimal("12950.00"), "12950.00"),
    (Decimal("500000.00"), "12950.00"), (Decimal("0"), "0.00"),
], ids=["no-cap", "cap-binds", "cap-equal", "cap-above", "nothing-appropriated"])
def test_the_payment_is_subject_to_the_appropriation(appropriation, payment):
    result = award(appropriation=appropriation)
    assert result.amount == Decimal("12950.00") and result.payment == Decimal(payment)


@pytest.mark.rule(INCENTIVES)
@pytest.mark.parametrize("changes, says", [
    (dict(cases_awarded=0), "cases awarded must be a whole number of at least 1"),
    (dict(cases_awarded=-5), "cases awarded must be a whole number of at least 1"),
    (dict(monthly_rate=Decimal("-1")), "cannot be negative"),
    (dict(appropriation=Decimal("-1")), "cannot be negative"),
    (dict(achieved_by_month=ACHIEVED[:11]), "twelve months"),
    (dict(achieved_by_month=[-1] + ACHIEVED[1:]), "at least 0"),
    (dict(region_county=None), "county and contractor averages"),
    (dict(region_contractor=Decimal("100.5")), "from 0 to 100"),
    (dict(effective_on=date(2011, 1, 1), contract_target=None), "contract's permanency percentage"),
    (dict(effective_on=date(2025, 10, 2)), "dates out of order"),
])
def test_bad_terms_are_refused(changes, says):
    with pytest.raises(RuleViolation, match=says):
        award(**changes)


# -- (5) the monthly payment and the reductions of (6)(B)3 -----------------------------------------------------

@pytest.mark.rule(PAYMENT, REDUCTIONS)
def test_without_reductions_the_cases_awarded_are_paid_every_month():
    lines = pay()
    assert [line.month for line in lines] == [month(n) for n in range(1, 13)]
    assert all((line.cases, line.base, line.paid, line.reductions) == (CASES, Decimal("925000.00"),
                                                                        Decimal("925000.00"), ()) for line in lines)


@pytest.mark.rule(NOT_ASSIGNED, REASSIGNED, REFERRAL_HOLD)
@pytest.mark.parametrize("reason, paragraph", [("A", NOT_ASSIGNED), ("B", REASSIGNED), ("C", REFERRAL_HOLD)])
def test_cases_not_assigned_reassigned_or_held_are_not_paid_in_their_month(reason, paragraph):
    lines = pay([Adjustment(date(2025, 12, 15), reason, 3)])
    (reduction,) = lines[2].reductions
    assert (reduction.reason, reduction.paragraph, reduction.cases, reduction.amount) == \
           (reason, paragraph, 3, Decimal("5550.00"))
    assert lines[2].paid == Decimal("919450.00")
    assert all(line.paid == Decimal("925000.00") for i, line in enumerate(lines) if i != 2)


@pytest.mark.rule(REENTRIES)
@pytest.mark.parametrize("reentries, allowable, beyond", [
    ([1, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0], 3, {3: 1, 5: 1}),  # the 4th and 5th re-entries of the year
    ([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 3, {}),  # exactly the allowable number
    ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 1, {12: 3}),
    ([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0, {1: 2, 12: 1}),
], ids=["two-beyond", "none-beyond", "three-beyond-in-one-month", "none-allowed"])
def test_only_reentries_beyond_the_allowable_number_are_not_paid(reentries, allowable, beyond):
    lines = pay(reentries=reentries, allowable=allowable)
    found = {n: line.reductions[0] for n, line in enumerate(lines, start=1) if line.reductions}
    assert {n: r.cases for n, r in found.items()} == beyond
    assert all(r.reason == "D" and r.paragraph == REENTRIES and r.amount == r.cases * RATE for r in found.values())


@pytest.mark.rule(MAINTENANCE, CATASTROPHIC)
@pytest.mark.parametrize("reason, paragraph", [("E", MAINTENANCE), ("F", CATASTROPHIC)])
def test_maintenance_and_catastrophic_cases_take_an_amount_per_case_off_the_rate(reason, paragraph):
    lines = pay([Adjustment(date(2026, 5, 1), reason, 4, Decimal("250.00"))])
    (reduction,) = lines[7].reductions
    assert (reduction.paragraph, reduction.cases, reduction.amount, lines[7].paid) == \
           (paragraph, 4, Decimal("1000.00"), Decimal("924000.00"))


@pytest.mark.rule(REDUCTIONS)
def test_reductions_of_a_month_are_listed_by_reason():
    lines = pay([Adjustment(date(2026, 7, 1), "F", 1, Decimal("500.00")), Adjustment(date(2026, 7, 1), "A", 1)],
                reentries=[0] * 9 + [5, 0, 0])
    assert [r.reason for r in lines[9].reductions] == ["A", "D", "F"]
    assert lines[9].paid == Decimal("925000.00") - 1 * RATE - 2 * RATE - Decimal("500.00")


@pytest.mark.rule(REDUCTIONS, REENTRIES, MAINTENANCE)
@pytest.mark.parametrize("adjustments, changes, says", [
    ([Adjustment(date(2026, 1, 1), "D", 1)], {}, "computed from the re-entries"),
    ([Adjustment(date(2026, 1, 1), "G", 1)], {}, "unknown reduction reason 'G'"),
    ([Adjustment(date(2026, 10, 1), "A", 1)], {}, "outside the contract year"),
    ([Adjustment(date(2026, 1, 1), "A", -1)], {}, "at least 0"),
    ([Adjustment(date(2026, 1, 1), "A", 1, Decimal("10"))], {}, "no amount per case"),
    ([Adjustment(date(2026, 1, 1), "E", 1, Decimal("1850.01"))], {}, "exceeds the monthly rate"),
    ([Adjustment(date(2026, 1, 1), "E", 1, Decimal("-5"))], {}, "cannot be negative"),
    ([Adjustment(date(2026, 1, 1), "B", 501)], {}, "exceed the 500 cases awarded"),
    ([], dict(cases_awarded=0), "at least 1"),
    ([], dict(allowable=-1), "at least 0"),
    ([], dict(reentries=[0] * 13), "twelve months"),
])
def test_bad_reductions_are_refused(adjustments, changes, says):
    with pytest.raises(RuleViolation, match=says):
        pay(adjustments, **changes)
