"""13 CSR 35-80.010 Residential Foster Care Maintenance Methodology. Every expected figure is worked out here from
the seed's text and the inputs, never taken from the module under test."""

import inspect
from decimal import Decimal

import pytest

from models.errors import ImportRejected, RuleViolation
from models.methods.methods_csv import parse_cost_reports
from models.methods.missouri_residential import (CATEGORIES, CostReport, maintenance_rate, maintenance_rates,
                                                 rebasing_due, room_and_board_component, supervision_category,
                                                 supervision_component)

FOUR_RATES = "13 CSR 35-80.010 (2)(A)"
REBASING = "13 CSR 35-80.010 (2)(D)"
RATE = "13 CSR 35-80.010 (3)"
ROOM_AND_BOARD = "13 CSR 35-80.010 (3)(A)2"
SUPERVISION = "13 CSR 35-80.010 (3)(B)2"
BASIC_CORE = "13 CSR 35-80.010 (3)(B)2.A"
INFANT_TODDLER = "13 CSR 35-80.010 (3)(B)2.B"
RESIDENTIAL_TREATMENT = "13 CSR 35-80.010 (3)(B)2.C"
INTENSIVE = "13 CSR 35-80.010 (3)(B)2.D"
TREND = "13 CSR 35-80.010 (4)(A)"


def days(a=0, b=0, c=0, d=0) -> dict[str, int]:
    return {"A": a, "B": b, "C": c, "D": d}


# -- (4)(A) trend factors -----------------------------------------------------------------------------------------

@pytest.mark.rule(TREND)
def test_the_default_trends_are_the_seeds_sfy_2004_figures():
    # "For State Fiscal Year 2004, this amount would be two and seventy-five one-hundredths percent (2.75%)" and
    # "... one and thirty-five one-hundredths percent (1.35%)".
    assert inspect.signature(room_and_board_component).parameters["trend"].default == Decimal("2.75") / 100
    assert inspect.signature(supervision_component).parameters["trend"].default == Decimal("1.35") / 100


@pytest.mark.rule(TREND, ROOM_AND_BOARD, SUPERVISION)
@pytest.mark.parametrize("component", [room_and_board_component, supervision_component])
def test_a_negative_trend_is_refused(component):
    with pytest.raises(RuleViolation, match="trend factor") as exc:
        component(Decimal(100), 10, Decimal("-0.01"))
    assert exc.value.rule == TREND


# -- (3)(A)2 room and board ---------------------------------------------------------------------------------------

@pytest.mark.rule(ROOM_AND_BOARD, TREND)
@pytest.mark.parametrize("costs, total_days, trend, expected", [
    ("230000", 12500, None, "18.91"),     # 18.40 x 1.0275 = 18.906
    ("6", 1, None, "6.17"),               # 6.165 exactly: half-up, not half-even (6.16)
    ("1", 1, None, "1.03"),               # 1.0275
    ("0", 365, None, "0.00"),
    ("100.5", 100, "0", "1.01"),          # 1.005 exactly
    ("1000", 3, "0.0275", "342.50"),      # 1,027.50 / 3 = 342.50 exactly
])
def test_room_and_board_is_costs_over_days_trended_and_rounded_half_up(costs, total_days, trend, expected):
    args = (Decimal(costs), total_days) + ((Decimal(trend),) if trend else ())
    assert room_and_board_component(*args) == Decimal(expected)


@pytest.mark.rule(ROOM_AND_BOARD)
@pytest.mark.parametrize("costs, total_days, message", [("-0.01", 10, "costs must be"), ("100", 0, "days must be"),
                                                         ("100", -5, "days must be"), ("NaN", 10, "costs must be")])
def test_room_and_board_refuses_negative_costs_and_zero_days(costs, total_days, message):
    with pytest.raises(RuleViolation, match=message) as exc:
        room_and_board_component(Decimal(costs), total_days)
    assert exc.value.rule == ROOM_AND_BOARD


# -- (3)(B)2 daily supervision ------------------------------------------------------------------------------------

@pytest.mark.rule(SUPERVISION, TREND)
@pytest.mark.parametrize("costs, category_days, expected", [
    ("250000", 6000, "42.23"),           # 41.6667 x 1.0135 = 42.229
    ("200", 1, "202.70"),                # 202.70 exactly
    ("50", 1, "50.68"),                  # 50.675 exactly: half-up
    ("0", 1, "0.00"),
])
def test_supervision_is_category_costs_over_category_days_trended(costs, category_days, expected):
    assert supervision_component(Decimal(costs), category_days) == Decimal(expected)


@pytest.mark.rule(SUPERVISION)
@pytest.mark.parametrize("costs, category_days", [("-1", 10), ("10", 0), ("10", -1)])
def test_supervision_refuses_negative_costs_and_zero_days(costs, category_days):
    with pytest.raises(RuleViolation) as exc:
        supervision_component(Decimal(costs), category_days)
    assert exc.value.rule == SUPERVISION


# -- (3) the rate -------------------------------------------------------------------------------------------------

@pytest.mark.rule(RATE)
def test_the_rate_is_the_sum_of_the_two_components():
    assert maintenance_rate(Decimal("18.91"), Decimal("42.23")) == Decimal("61.14")
    assert maintenance_rate(Decimal("0"), Decimal("0")) == Decimal("0.00")
    with pytest.raises(RuleViolation, match="supervision component") as exc:
        maintenance_rate(Decimal("18.91"), Decimal("-0.01"))
    assert exc.value.rule == RATE


# -- (3)(B)2.A-D the four categories ------------------------------------------------------------------------------

@pytest.mark.rule(SUPERVISION, BASIC_CORE, INFANT_TODDLER, RESIDENTIAL_TREATMENT, INTENSIVE)
def test_the_four_categories_and_exhibit_1s_awake_ratios():
    assert {c.code: c.paragraph for c in CATEGORIES.values()} == {
        "A": BASIC_CORE, "B": INFANT_TODDLER, "C": RESIDENTIAL_TREATMENT, "D": INTENSIVE}
    # Exhibit 1, child awake: Basic Core 8-21 1:10; Infant/Toddler/Preschool Birth-6 1:4; Residential Treatment
    # 8-21 1:8; Intensive Residential Care 7-21 1:6.
    assert {c.code: c.children_per_staff for c in CATEGORIES.values()} == {"A": 10, "B": 4, "C": 8, "D": 6}
    assert "emergency shelter" in CATEGORIES["A"].examples and "toddler care" in CATEGORIES["B"].examples
    assert "severe need (Level III)" in CATEGORIES["C"].examples
    assert CATEGORIES["D"].examples == ("intensive need (Level IV)",)


@pytest.mark.parametrize("code", [pytest.param("A", marks=pytest.mark.rule(BASIC_CORE)),
                                  pytest.param("B", marks=pytest.mark.rule(INFANT_TODDLER)),
                                  pytest.param("C", marks=pytest.mark.rule(RESIDENTIAL_TREATMENT)),
                                  pytest.param("D", marks=pytest.mark.rule(INTENSIVE))])
def test_an_agency_serving_one_category_is_in_it(code):
    assert supervision_category({code: 1}) == code
    assert supervision_category(days(**{code.lower(): 365})) == code


@pytest.mark.rule(SUPERVISION, BASIC_CORE, RESIDENTIAL_TREATMENT, INTENSIVE, INFANT_TODDLER)
def test_the_category_with_most_days_wins_and_a_tie_goes_to_more_supervision():
    assert supervision_category(days(a=5000, c=1000)) == "A"
    assert supervision_category(days(a=1000, c=1001)) == "C"
    assert supervision_category(days(c=4000, d=500)) == "C"
    assert supervision_category(days(a=10, c=10)) == "C"      # 1:8 before 1:10
    assert supervision_category(days(c=10, d=10)) == "D"      # 1:6 before 1:8
    assert supervision_category(days(b=10, d=10)) == "B"      # 1:4 before 1:6
    assert supervision_category(days(a=7, b=7, c=7, d=7)) == "B"


@pytest.mark.rule(SUPERVISION)
@pytest.mark.parametrize("reported, message", [(days(), "no days of service"), ({"E": 10}, "unknown supervision"),
                                               (days(a=-1, c=5), "whole number"), ({"A": 1.5}, "whole number")])
def test_a_category_needs_days_of_service(reported, message):
    with pytest.raises(RuleViolation, match=message) as exc:
        supervision_category(reported)
    assert exc.value.rule == SUPERVISION


# -- (2)(D) rebasing every three years ----------------------------------------------------------------------------

@pytest.mark.rule(REBASING)
@pytest.mark.parametrize("rate_year, due", [(2004, False), (2005, False), (2006, False), (2007, True), (2010, True)])
def test_costs_are_rebased_every_three_years(rate_year, due):
    assert rebasing_due(2004, rate_year) is due


@pytest.mark.rule(REBASING)
def test_a_base_year_after_the_rate_year_is_refused():
    with pytest.raises(RuleViolation, match="after the rate year") as exc:
        rebasing_due(2005, 2004)
    assert exc.value.rule == REBASING


# -- (2)(A) the four rates, statewide -----------------------------------------------------------------------------

REPORTS = [CostReport("AG-1", Decimal(100000), Decimal(250000), days(a=5000, c=1000), 2004),
           CostReport("AG-2", Decimal(80000), Decimal(300000), days(c=4000, d=500), 2001),
           CostReport("AG-3", Decimal(50000), Decimal(90000), days(b=2000), 2004),
           CostReport("AG-4", Decimal(70000), Decimal(500000), days(c=1000, d=3000), 2004),
           CostReport("AG-5", Decimal(0), Decimal(100000), days(a=1500), 2003)]


@pytest.mark.rule(FOUR_RATES, ROOM_AND_BOARD, SUPERVISION, RATE)
def test_the_four_rates_from_all_agencies_cost_reports():
    schedule = maintenance_rates(REPORTS)
    # Room and board statewide: 300,000 / 18,000 days x 1.0275 = 17.125
    assert schedule.room_and_board == Decimal("17.13")
    assert schedule.category_of == {"AG-1": "A", "AG-2": "C", "AG-3": "B", "AG-4": "D", "AG-5": "A"}
    assert schedule.days == {"A": 7500, "B": 2000, "C": 4500, "D": 4000}
    # A: 350,000 / 7,500 x 1.0135 = 47.2967; B: 90,000 / 2,000 x 1.0135 = 45.6075;
    # C: 300,000 / 4,500 x 1.0135 = 67.5667; D: 500,000 / 4,000 x 1.0135 = 126.6875
    assert schedule.supervision == {"A": Decimal("47.30"), "B": Decimal("45.61"), "C": Decimal("67.57"),
                                    "D": Decimal("126.69")}
    assert schedule.rates == {"A": Decimal("64.43"), "B": Decimal("62.74"), "C": Decimal("84.70"),
                              "D": Decimal("143.82")}


@pytest.mark.rule(FOUR_RATES)
def test_a_category_without_agencies_has_no_rate_and_an_agency_reports_once():
    assert set(maintenance_rates(REPORTS[:2]).rates) == {"A", "C"}
    with pytest.raises(RuleViolation, match="reports twice") as exc:
        maintenance_rates([REPORTS[0], REPORTS[0]])
    assert exc.value.rule == FOUR_RATES
    with pytest.raises(RuleViolation) as exc:
        maintenance_rates([])
    assert exc.value.rule == ROOM_AND_BOARD


# -- the cost reports file ----------------------------------------------------------------------------------------

HEADER = ("agency,room_and_board_costs,supervision_costs,basic_core_days,infant_toddler_days,"
          "residential_treatment_days,intensive_care_days,base_year\n")


@pytest.mark.rule(FOUR_RATES)
def test_the_cost_reports_file_is_read():
    reports = parse_cost_reports(HEADER + "AG-1,\"$100,000.50\",250000,5000,0,1000,0,2004\n", rate_year=2004)
    assert reports == [CostReport("AG-1", Decimal("100000.50"), Decimal(250000), days(a=5000, c=1000), 2004)]


@pytest.mark.rule(FOUR_RATES, ROOM_AND_BOARD, SUPERVISION, REBASING)
def test_every_bad_cost_report_row_is_reported_by_its_number():
    text = HEADER + ("AG-1,100,200,10,0,0,0,2004\n"
                     "AG-2,-5,200,10,0,0,0,2004\n"
                     "AG-3,100,abc,0,0,0,0,2004\n"
                     ",100,200,1.5,0,0,0,04\n"
                     "AG-1,100,200,10,0,0,0,2005\n")
    with pytest.raises(ImportRejected) as exc:
        parse_cost_reports(text, rate_year=2004)
    assert exc.value.errors == [
        (3, "room_and_board_costs '-5' is negative; costs are zero or more"),
        (4, "supervision_costs 'abc' is not an amount of dollars (e.g. 1234.56)"),
        (4, "no days of service in any category (total days must be above zero)"),
        (5, "agency is blank"), (5, "basic_core_days '1.5' is not a whole number of zero or more"),
        (5, "base_year '04' is not a year such as 2004"),
        (6, "base_year 2005 is after the rate year 2004"), (6, "agency 'AG-1' repeated (first on row 2)")]
