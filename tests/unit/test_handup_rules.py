"""The Hand-Up Pilot Program's rules, 13 CSR 35-32.040, and the child care benefit of 13 CSR 35-32.010 (3)-(4).

Every expected figure is written out or computed here from the published inputs (the 2012 HHS annual
guidelines), never taken from the module under test.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import DomainError, RuleViolation
from models.handup import (Application, age_group, apply_payment, check_eligibility, child_care_benefit,
                           coverage_due_date, first_coverage_month, hearing_deadline, hearing_request_timely,
                           latest_mailing_date, monthly_premium, permanently_barred, removal_due)
from models.handup_reference import AgeGroup

ELIGIBLE = "13 CSR 35-32.040 (1)"
FULL_BENEFITS = "13 CSR 35-32.040 (1)(A)"
OVER_INCOME = "13 CSR 35-32.040 (1)(B)"
PROGRAM = "13 CSR 35-32.040 (1)(C)"
CONSENT = "13 CSR 35-32.040 (1)(D)"
AGREES = "13 CSR 35-32.040 (1)(E)"
PREMIUM_BELOW = "13 CSR 35-32.040 (1)(F)"
ELIGIBILITY = (FULL_BENEFITS, OVER_INCOME, PROGRAM, CONSENT, AGREES, PREMIUM_BELOW)
PREMIUM = "13 CSR 35-32.040 (4)(A)"
DUE = "13 CSR 35-32.040 (4)(B)"
REMOVAL = "13 CSR 35-32.040 (4)(C)"
HEARING = "13 CSR 35-32.040 (5)"
BARRED = "13 CSR 35-32.040 (6)"
FEE = "13 CSR 35-32.010 (3)"
RATE = "13 CSR 35-32.010 (4)"

ON = date(2026, 11, 2)
CENT = Decimal("0.01")


def hhs_2012_annual(family_size: int) -> int:
    """The 2012 HHS poverty guideline for the 48 contiguous states: 11,170 for one, 3,960 for each further."""
    return 11_170 + 3_960 * (family_size - 1)


def limit(family_size: int) -> Decimal:
    """122% of the guideline, by the month, rounded half-up to the cent."""
    return (Decimal(hhs_2012_annual(family_size)) * Decimal("1.22") / 12).quantize(CENT, rounding=ROUND_HALF_UP)


# -- (4)(C) removal, (5) fair hearing ---------------------------------------------------------------------------

@pytest.mark.rule(REMOVAL)
@pytest.mark.parametrize("days_unpaid, removed", [(0, False), (60, False), (61, True), (200, True)],
                         ids=["due-today", "day-60", "day-61", "long-unpaid"])
def test_removed_after_sixty_days_of_non_payment(days_unpaid, removed):
    due = date(2026, 11, 30)
    assert removal_due(due, due + timedelta(days=days_unpaid)) is removed


@pytest.mark.rule(HEARING)
@pytest.mark.parametrize("days_after, timely", [(0, True), (90, True), (91, False)],
                         ids=["same-day", "day-90", "day-91"])
def test_hearing_requested_within_ninety_days_after_the_adverse_action(days_after, timely):
    assert hearing_request_timely(ON, ON + timedelta(days=days_after)) is timely


@pytest.mark.rule(HEARING)
def test_hearing_request_dated_before_the_adverse_action_is_refused():
    with pytest.raises(RuleViolation) as refused:
        hearing_request_timely(ON, ON - timedelta(days=1))
    assert refused.value.rule == HEARING


@pytest.mark.rule(HEARING)
@pytest.mark.parametrize("issued, last_day", [(date(2026, 11, 2), date(2027, 1, 31)),
                                              (date(2027, 12, 1), date(2028, 2, 29))], ids=["plain", "leap-year"])
def test_hearing_deadline_is_ninety_days_after_issue(issued, last_day):
    assert hearing_deadline(issued) == last_day
    assert hearing_request_timely(issued, last_day) and not hearing_request_timely(issued, last_day + timedelta(1))


# -- (4)(A) the premium notice by first-class mail, (4)(B) the due date ------------------------------------------

@pytest.mark.rule(PREMIUM, "RSMo 9.010")
@pytest.mark.parametrize("due, transit, mail_by", [
    (date(2026, 3, 31), 0, date(2026, 3, 16)),    # a Monday, exactly fifteen days before
    (date(2026, 3, 31), 2, date(2026, 3, 13)),    # Saturday the 14th -> Friday
    (date(2026, 12, 11), 0, date(2026, 11, 25)),  # Thanksgiving, Thursday 2026-11-26
    (date(2027, 1, 9), 0, date(2026, 12, 24)),    # Christmas, Friday 2026-12-25
    (date(2026, 2, 27), 0, date(2026, 2, 11)),    # Lincoln Day, Thursday 2026-02-12
    (date(2026, 5, 26), 3, date(2026, 5, 7)),     # Truman Day, Friday 2026-05-08
    (date(2027, 3, 1), 0, date(2027, 2, 11)),     # a weekend, then Lincoln Day on Friday 2027-02-12
], ids=["monday", "weekend", "thanksgiving", "christmas", "lincoln-day", "truman-day", "weekend-and-holiday"])
def test_premium_notice_is_mailed_by_the_last_business_day_fifteen_days_plus_transit_before_the_due_date(
        due, transit, mail_by):
    assert latest_mailing_date(due, transit) == mail_by


@pytest.mark.rule(PREMIUM)
def test_negative_transit_days_are_a_programming_error():
    with pytest.raises(ValueError):
        latest_mailing_date(date(2026, 3, 31), -1)


@pytest.mark.rule(DUE)
@pytest.mark.parametrize("month, due", [(date(2026, 12, 1), date(2026, 12, 31)), (date(2026, 4, 15), date(2026, 4, 30)),
                                        (date(2027, 2, 1), date(2027, 2, 28)), (date(2028, 2, 1), date(2028, 2, 29))],
                         ids=["december", "mid-month", "february", "leap-february"])
def test_premium_is_due_on_the_last_day_of_the_coverage_month(month, due):
    assert coverage_due_date(month) == due


@pytest.mark.rule(PREMIUM, DUE)
@pytest.mark.parametrize("enrolled, first", [
    (date(2026, 11, 2), date(2026, 11, 1)),
    (date(2026, 11, 12), date(2026, 11, 1)),   # the last day the November notice can still be mailed (3 days' transit)
    (date(2026, 11, 13), date(2026, 12, 1)),   # too late for November: billing starts in December
], ids=["early", "last-mailing-day", "too-late"])
def test_first_coverage_month_is_the_first_whose_notice_can_be_mailed_in_time(enrolled, first):
    assert first_coverage_month(enrolled, 3) == first


# -- (4)(A) the premium ------------------------------------------------------------------------------------------

@pytest.mark.rule(PREMIUM)
@pytest.mark.parametrize("family_size", range(1, 13))
def test_premium_is_44_percent_of_income_over_the_2012_limit(family_size):
    at_limit = limit(family_size)
    assert monthly_premium(at_limit, family_size, ON) == Decimal("0.00")
    assert monthly_premium(at_limit + CENT, family_size, ON) == Decimal("0.00")  # 0.0044 rounds to 0.00
    assert monthly_premium(at_limit + Decimal("100"), family_size, ON) == Decimal("44.00")
    assert monthly_premium(at_limit + Decimal("1234.56"), family_size, ON) == Decimal("543.21")  # 543.2064


@pytest.mark.rule(PREMIUM)
def test_the_limits_are_122_percent_of_the_2012_guidelines():
    assert [limit(n) for n in (1, 2, 8, 9, 12)] == [Decimal("1135.62"), Decimal("1538.22"), Decimal("3953.82"),
                                                   Decimal("4356.42"), Decimal("5564.22")]


@pytest.mark.rule(PREMIUM)
@pytest.mark.parametrize("excess, premium", [
    (Decimal("0.02"), Decimal("0.01")),     # 0.0088: rounded, not truncated
    (Decimal("0.375"), Decimal("0.17")),    # 0.165 exactly: half-up (half-even would give 0.16)
    (Decimal("0.125"), Decimal("0.06")),    # 0.055 exactly
    (Decimal("-0.01"), Decimal("0.00")),    # below the limit
], ids=["rounds-up", "half-up", "half-up-odd", "below"])
def test_premium_is_rounded_half_up_to_the_cent(excess, premium):
    assert monthly_premium(limit(3) + excess, 3, ON) == premium


@pytest.mark.rule(PREMIUM)
@pytest.mark.parametrize("income, family_size", [
    (Decimal("-1"), 3), (Decimal("2000"), 0), (Decimal("2000"), -1), ("2000", 3), (2000.0, 3), (True, 3),
    (Decimal("NaN"), 3), (Decimal("Infinity"), 3), (Decimal("2000"), True), (Decimal("2000"), 2.0),
], ids=["negative-income", "family-of-0", "family-of-minus-1", "str", "float", "bool", "nan", "infinity",
        "family-bool", "family-float"])
def test_premium_refuses_what_is_not_an_income_or_a_family(income, family_size):
    with pytest.raises(RuleViolation) as refused:
        monthly_premium(income, family_size, ON)
    assert isinstance(refused.value, DomainError) and refused.value.rule == PREMIUM


@pytest.mark.rule(PREMIUM)
def test_whole_dollar_income_is_accepted():
    assert monthly_premium(2000, 1, ON) == ((Decimal(2000) - limit(1)) * Decimal("0.44")).quantize(
        CENT, rounding=ROUND_HALF_UP)


@pytest.mark.rule(PREMIUM)
@settings(max_examples=300, deadline=None)
@given(income=st.decimals(min_value=0, max_value=100_000, places=2), family_size=st.integers(1, 30))
def test_premium_is_never_negative(income, family_size):
    assert monthly_premium(income, family_size, ON) >= 0


# -- 13 CSR 35-32.010 (3)-(4): the child care benefit -------------------------------------------------------------

@pytest.mark.rule(RATE)
@pytest.mark.parametrize("birth, group", [
    (date(2024, 11, 3), AgeGroup.infant), (date(2024, 11, 2), AgeGroup.preschool),
    (date(2021, 11, 3), AgeGroup.preschool), (date(2021, 11, 2), AgeGroup.school_age),
    (ON, AgeGroup.infant), (date(2010, 1, 1), AgeGroup.school_age),
], ids=["day-before-2nd-birthday", "2nd-birthday", "day-before-5th-birthday", "5th-birthday", "newborn", "older"])
def test_age_group_changes_on_the_second_and_fifth_birthdays(birth, group):
    assert age_group(birth, ON) == group


@pytest.mark.rule(RATE)
def test_a_child_born_after_the_day_of_care_is_refused():
    with pytest.raises(RuleViolation):
        age_group(ON + timedelta(days=1), ON)


def benefit(children, family_size=3, income=None, **kw):
    income = limit(family_size) + Decimal("500") if income is None else income  # above the limit: the top fee, 90.00
    return child_care_benefit(area=kw.pop("area", "urban"), children=children, family_size=family_size,
                              gross_income=income, **kw)


@pytest.mark.rule(RATE, FEE)
@pytest.mark.parametrize("children, kw, expected", [
    ([(AgeGroup.infant, Decimal("1000.00"))], {}, "900.00"),                      # the rate 990 is less
    ([(AgeGroup.infant, Decimal("800.00"))], {}, "710.00"),                       # the charge is less
    ([(AgeGroup.infant, Decimal("990.00"))], {}, "900.00"),                       # equal
    ([(AgeGroup.infant, Decimal("1000")), (AgeGroup.school_age, Decimal("500"))], {}, "1400.00"),  # 990 + 500 - 90
    ([(AgeGroup.preschool, Decimal("900"))], {"area": "rural"}, "470.00"),        # rural 560 - 90
    ([(AgeGroup.infant, Decimal("1000.00"))], {"fee_waived": True}, "990.00"),   # special needs: no fee
    ([(AgeGroup.school_age, Decimal("50.00"))], {"area": "rural"}, "0.00"),       # 50 - 90: never below zero
    ([(AgeGroup.infant, Decimal("800"))], {"income": limit(3) - 600}, "795.00"),  # the lowest fee, 5.00
], ids=["rate-less", "charge-less", "equal", "two-children", "rural", "fee-waived", "never-negative", "low-fee"])
def test_benefit_is_the_lesser_of_rate_and_charge_minus_the_fee(children, kw, expected):
    assert benefit(children, **kw) == Decimal(expected)


@pytest.mark.rule(RATE, FEE)
@pytest.mark.parametrize("children, kw", [
    ([(AgeGroup.infant, Decimal("800"))], {"area": "moon"}),
    ([], {}),
    ([(AgeGroup.infant, Decimal("-1"))], {}),
    ([(AgeGroup.infant, Decimal("800"))], {"income": Decimal("-1")}),
    ([(AgeGroup.infant, Decimal("800"))], {"family_size": 0}),
], ids=["unknown-area", "no-child", "negative-charge", "negative-income", "family-of-0"])
def test_benefit_refuses_what_it_cannot_price(children, kw):
    with pytest.raises(RuleViolation):
        benefit(children, **kw)


# -- (1)(A)-(F) eligibility and (6) ------------------------------------------------------------------------------

LOST = date(2026, 1, 1)


def application(**overrides) -> Application:
    values = dict(months_full_benefits=4, adjusted_gross_income=limit(3) + Decimal("200"), family_size=3,
                  meets_program_requirements=True, lost_eligibility_on=LOST, consented_on=LOST + timedelta(90),
                  agrees_to_pay=True, benefit=Decimal("900.00")) | overrides
    return Application(**values)


@pytest.mark.rule(ELIGIBLE, FULL_BENEFITS, OVER_INCOME, PROGRAM, CONSENT, AGREES, PREMIUM_BELOW)
def test_an_application_meeting_every_condition_is_eligible_with_its_premium():
    assert check_eligibility(application(), ON) == (Decimal("88.00"), [])


@pytest.mark.rule(ELIGIBLE, FULL_BENEFITS, OVER_INCOME, PROGRAM, CONSENT, AGREES, PREMIUM_BELOW, BARRED)
def test_every_unmet_condition_is_returned_with_its_paragraph_in_the_rules_order():
    premium, unmet = check_eligibility(application(
        months_full_benefits=3, adjusted_gross_income=limit(3), meets_program_requirements=False,
        consented_on=LOST + timedelta(91), agrees_to_pay=False, benefit=Decimal("0"),
        barred_since=date(2025, 6, 30)), ON)
    assert premium == Decimal("0.00")
    assert [u.paragraph for u in unmet] == [*ELIGIBILITY, BARRED]
    assert all(u.reason for u in unmet) and "2025-06-30" in unmet[-1].reason


@pytest.mark.rule(FULL_BENEFITS, OVER_INCOME, PROGRAM, CONSENT, AGREES, PREMIUM_BELOW)
@pytest.mark.parametrize("overrides, paragraph", [
    ({"months_full_benefits": 3}, FULL_BENEFITS),
    ({"adjusted_gross_income": limit(3)}, OVER_INCOME),
    ({"meets_program_requirements": False}, PROGRAM),
    ({"consented_on": LOST + timedelta(91)}, CONSENT),
    ({"consented_on": LOST - timedelta(1)}, CONSENT),
    ({"agrees_to_pay": False}, AGREES),
    ({"benefit": Decimal("88.00")}, PREMIUM_BELOW),
], ids=["three-months", "at-the-limit", "program", "consent-day-91", "consent-before-loss", "no-agreement",
        "premium-equals-benefit"])
def test_each_condition_alone(overrides, paragraph):
    assert [u.paragraph for u in check_eligibility(application(**overrides), ON)[1]] == [paragraph]


@pytest.mark.rule(CONSENT)
@pytest.mark.parametrize("days, met", [(0, True), (90, True), (91, False)], ids=["same-day", "day-90", "day-91"])
def test_consent_within_ninety_days_after_losing_eligibility(days, met):
    unmet = check_eligibility(application(consented_on=LOST + timedelta(days)), ON)[1]
    assert (unmet == []) is met


@pytest.mark.rule(BARRED)
def test_opted_out_or_removed_once_never_again():
    assert permanently_barred(None) is None
    barred = permanently_barred(date(2025, 6, 30))
    assert barred.paragraph == BARRED and "may not participate again" in barred.reason
    assert [u.paragraph for u in check_eligibility(application(barred_since=date(2020, 1, 1)), ON)[1]] == [BARRED]


@pytest.mark.rule(FULL_BENEFITS, OVER_INCOME, PROGRAM, CONSENT, AGREES, PREMIUM_BELOW)
@settings(max_examples=300, deadline=None)
@given(months=st.integers(0, 12), over=st.decimals(min_value=-500, max_value=3_000, places=2),
       family_size=st.integers(1, 12), meets=st.booleans(), consent_days=st.integers(-5, 120),
       agrees=st.booleans(), benefit=st.decimals(min_value=0, max_value=3_000, places=2),
       barred=st.one_of(st.none(), st.just(date(2025, 1, 1))))
def test_an_eligible_application_always_has_a_premium_below_its_benefit(months, over, family_size, meets,
                                                                       consent_days, agrees, benefit, barred):
    income = max(limit(family_size) + over, Decimal("0"))
    premium, unmet = check_eligibility(Application(
        months_full_benefits=months, adjusted_gross_income=income, family_size=family_size,
        meets_program_requirements=meets, lost_eligibility_on=LOST, consented_on=LOST + timedelta(consent_days),
        agrees_to_pay=agrees, benefit=benefit, barred_since=barred), ON)
    assert premium >= 0
    if not unmet:
        assert premium < benefit and income > limit(family_size)


# -- (4)(B) payments ---------------------------------------------------------------------------------------------

@pytest.mark.rule(DUE)
@pytest.mark.parametrize("bills, amount, credit, applied, left", [
    ([(1, "50"), (2, "50")], "70", "0", [(1, "50"), (2, "20")], "0"),             # oldest first, partial
    ([(1, "50"), (2, "50")], "120", "0", [(1, "50"), (2, "50")], "20"),           # the rest carried as credit
    ([(3, "50")], "30", "20", [(3, "50")], "0"),                                  # credit used
    ([(3, "50")], "10", "20", [(3, "30")], "0"),                                  # credit and payment, partial
    ([], "40", "5", [], "45"),                                                    # nothing owed: all credit
    ([(1, "0"), (2, "25")], "25", "0", [(2, "25")], "0"),                         # a settled bill is skipped
], ids=["partial", "overpaid", "credit-used", "credit-and-partial", "nothing-owed", "settled-bill"])
def test_a_payment_pays_the_oldest_bill_first_and_carries_the_rest(bills, amount, credit, applied, left):
    result = apply_payment([(i, Decimal(b)) for i, b in bills], Decimal(amount), Decimal(credit))
    assert result == ([(i, Decimal(a)) for i, a in applied], Decimal(left))


@pytest.mark.rule(DUE)
@pytest.mark.parametrize("amount", [Decimal("-1"), 10.5, "10"], ids=["negative", "float", "str"])
def test_a_payment_must_be_an_amount_of_dollars(amount):
    with pytest.raises(RuleViolation):
        apply_payment([(1, Decimal("50"))], amount)
