"""The state and federal shares of the payments of 13 CSR 35-32.030 (5): HDN children 100% state, Title IV-E children
at the FMAP of Missouri's fiscal year, IV-E administration 50/50, IV-E training 25/75."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import RuleViolation
from models.funding import CATEGORIES, fiscal_year, fmap_for, parse_fmap, split
from models.settings import Settings

PAYMENT = "13 CSR 35-32.030 (5)"
pytestmark = pytest.mark.rule(PAYMENT)

CENT = Decimal("0.01")
FMAPS = "2026=0.6550, 2027=0.6594"


# -- the fiscal year and its FMAP ---------------------------------------------------------------------------

@pytest.mark.parametrize("day, year", [(date(2026, 6, 30), 2026), (date(2026, 7, 1), 2027),
                                       (date(2026, 1, 1), 2026), (date(2025, 12, 31), 2026)])
def test_the_fiscal_year_runs_july_1_to_june_30_and_is_named_by_its_end(day, year):
    assert fiscal_year(day) == year


@pytest.mark.parametrize("day, fmap", [(date(2025, 7, 1), "0.6550"), (date(2026, 6, 30), "0.6550"),
                                       (date(2026, 7, 1), "0.6594"), (date(2027, 6, 30), "0.6594")])
def test_a_payment_takes_the_fmap_of_its_fiscal_year(day, fmap):
    assert fmap_for(parse_fmap(FMAPS), day) == Decimal(fmap)


@pytest.mark.parametrize("day, year", [(date(2027, 7, 1), 2028), (date(2025, 6, 30), 2025)])
def test_a_fiscal_year_without_an_fmap_is_refused_not_guessed(day, year):
    with pytest.raises(RuleViolation, match=f"no FMAP is set for fiscal year {year}.*set for: 2026, 2027"):
        fmap_for(parse_fmap(FMAPS), day)


def test_the_shipped_setting_parses():
    assert parse_fmap(Settings.model_fields["renewal_fmap"].default)[2026] == Decimal("0.60")


@pytest.mark.parametrize("text, fmaps", [("", {}), (" ", {}), ("2026=0.6550", {2026: Decimal("0.6550")}),
                                         (" 2026 = 0.6 ,2027=1,", {2026: Decimal("0.6"), 2027: Decimal(1)})])
def test_the_fmap_setting_is_fiscal_year_equals_rate(text, fmaps):
    assert parse_fmap(text) == fmaps


@pytest.mark.parametrize("text, says", [
    ("2026:0.6550", "not fiscal year=rate"), ("26=0.6550", "not fiscal year=rate"),
    ("2026=0.6550 2027=0.6594", "not fiscal year=rate"), ("2026=sixty", "not a number"),
    ("2026=1.01", "from 0 to 1"), ("2026=-0.01", "from 0 to 1"), ("2026=NaN", "from 0 to 1"),
    ("2026=0.6,2026=0.7", "given twice"),
])
def test_a_malformed_fmap_setting_is_refused_naming_the_entry(text, says):
    with pytest.raises(RuleViolation, match=says):
        parse_fmap(text)


def test_an_fmap_outside_0_to_1_is_refused_wherever_it_comes_from():
    with pytest.raises(RuleViolation, match="from 0 to 1"):
        fmap_for({2026: Decimal("60")}, date(2026, 1, 1))
    with pytest.raises(RuleViolation, match="from 0 to 1"):
        split(Decimal("100.00"), ive_share=Decimal("0.5"), fmap=Decimal("1.0001"))


# -- the split ------------------------------------------------------------------------------------------------

def test_each_category_is_split_at_its_own_rate():
    shares = split(Decimal("100000.00"), ive_share=Decimal("0.62"), fmap=Decimal("0.6550"),
                   administration=Decimal("1000.01"), training=Decimal("40000.00"))
    assert [(s.category, s.amount, s.state, s.federal, s.federal_rate) for s in shares] == [
        ("Title IV-E children", Decimal("62000.00"), Decimal("21390.00"), Decimal("40610.00"), Decimal("0.6550")),
        ("HDN children", Decimal("38000.00"), Decimal("38000.00"), Decimal("0.00"), Decimal("0")),
        ("IV-E administration", Decimal("1000.01"), Decimal("500.00"), Decimal("500.01"), Decimal("0.50")),
        ("IV-E training", Decimal("40000.00"), Decimal("10000.00"), Decimal("30000.00"), Decimal("0.75")),
    ]


def test_without_administration_or_training_their_shares_are_zero():
    shares = split(Decimal("10.00"), ive_share=Decimal("1"), fmap=Decimal("0.6"))
    assert [s.category for s in shares] == list(CATEGORIES)
    assert [(s.amount, s.state, s.federal) for s in shares[2:]] == [(Decimal("0.00"),) * 3] * 2


def test_the_cents_round_half_up_on_the_federal_share():
    (ive, hdn, _, _) = split(Decimal("0.01"), ive_share=Decimal("1"), fmap=Decimal("0.5"))
    assert (ive.federal, ive.state, hdn.amount) == (Decimal("0.01"), Decimal("0.00"), Decimal("0.00"))
    (ive, hdn, _, _) = split(Decimal("0.03"), ive_share=Decimal("0.5"), fmap=Decimal("0.6"))
    assert (ive.amount, hdn.amount) == (Decimal("0.02"), Decimal("0.01"))  # 0.015 -> 0.02


money = st.integers(min_value=0, max_value=10**11).map(lambda cents: Decimal(cents) / 100)
fraction = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 10_000)


@settings(max_examples=500, deadline=None)
@given(amount=money, ive_share=fraction, fmap=fraction, administration=money, training=money)
def test_state_plus_federal_is_the_amount_to_the_cent(amount, ive_share, fmap, administration, training):
    shares = split(amount, ive_share=ive_share, fmap=fmap, administration=administration, training=training)
    for share in shares:
        assert share.state + share.federal == share.amount
        assert share.state >= 0 and share.federal >= 0
        assert share.federal == (share.amount * share.federal_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        assert share.amount.as_tuple().exponent == -2
    assert shares[0].amount + shares[1].amount == amount
    assert (shares[2].amount, shares[3].amount) == (administration, training)


@pytest.mark.parametrize("amount, kw, says", [
    (Decimal("-0.01"), {}, "the payment cannot be negative"),
    (Decimal("10.005"), {}, "whole cents"),
    (10.5, {}, "must be a Decimal"),
    (Decimal("10.00"), dict(administration=Decimal("-1")), "administration cost cannot be negative"),
    (Decimal("10.00"), dict(training=Decimal("-1")), "training cost cannot be negative"),
    (Decimal("10.00"), dict(ive_share=Decimal("1.5")), "IV-E children's share must be a fraction from 0 to 1"),
    (Decimal("10.00"), dict(fmap=Decimal("-0.1")), "the FMAP must be a fraction from 0 to 1"),
])
def test_bad_amounts_and_rates_are_refused(amount, kw, says):
    with pytest.raises(RuleViolation, match=says) as refused:
        split(amount, **{"ive_share": Decimal("0.5"), "fmap": Decimal("0.6"), **kw})
    assert refused.value.rule == PAYMENT
