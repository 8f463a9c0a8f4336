"""The Wisconsin CY2004 child support performance-based allocation, checked against the text of DWD
Administrator's Memo 03-21: every target, chart range, example and figure the memo states."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import ImportRejected, RuleViolation
from models.methods.wisconsin import (MEASURES, Agency, MeasureRates, allocate, earned_percent, earning_basis,
                                      federal_match, initial_load_percent)
from models.methods.wisconsin_csv import parse_agencies, parse_amount, parse_rates

FUNDING = "Wisconsin DWD Memo 03-21, Projected Incentive Funding"
LOAD = "Wisconsin DWD Memo 03-21, Initial Contract Load Amount"
EARNED = "Wisconsin DWD Memo 03-21, Earned Amount"
MEASURES_2004 = "Wisconsin DWD Memo 03-21, Performance Measures for 2004"
TARGET = "Wisconsin DWD Memo 03-21, Statewide Target and Baseline"
CHART_A = "Wisconsin DWD Memo 03-21, Chart A"
CHART_B = "Wisconsin DWD Memo 03-21, Chart B"
HOLD_HARMLESS = "Wisconsin DWD Memo 03-21, Hold Harmless for CSUP Measure"

# measure, the step of its charts, a chart-B baseline well below its threshold
STEP = {"court_order": D("0.1"), "paternity": D("0.1"), "current_support": D("0.05"), "arrears": D("0.05")}
LOW = {"court_order": D(70), "paternity": D(80), "current_support": D(60), "arrears": D(60)}


def steps(first: str, last: str, step: D) -> list[D]:
    """first, first +/- step, ..., last."""
    a, b = D(first), D(last)
    sign = 1 if b >= a else -1
    return [a + sign * k * step for k in range(int(abs(b - a) / step) + 1)]


# ---- the federal match ------------------------------------------------------------------------------------------

@pytest.mark.rule(FUNDING)
def test_the_memos_federal_match_and_total():
    """"When matched with 66 percent federal funds for allowable child support activities, the $12.34 million
    generates $23.95 million in federal funds for a total of $36.29 million for the local CSAs." """
    assert federal_match(D("12.34")) == D("23.95")
    assert D("12.34") + federal_match(D("12.34")) == D("36.29")
    assert federal_match(D("12340000")) == D("23954117.65")   # in dollars: 12,340,000 x 0.66 / 0.34
    assert (D("12340000") + federal_match(D("12340000"))) / 1_000_000 == pytest.approx(D("36.29"), abs=D("0.005"))
    assert federal_match(D("0")) == D("0.00") and federal_match(D("100"), D("0.5")) == D("100.00")


@pytest.mark.rule(FUNDING)
@pytest.mark.parametrize("amount, rate", [(D("-1"), D("0.66")), (D("1"), D("1")), (D("1"), D("-0.1")),
                                          (D("NaN"), D("0.66")), (1.5, D("0.66"))])
def test_federal_match_refuses_what_is_not_an_amount_or_a_rate(amount, rate):
    with pytest.raises(RuleViolation) as caught:
        federal_match(amount, rate)
    assert caught.value.rule == FUNDING


# ---- the statewide targets --------------------------------------------------------------------------------------

TARGETS = [
    ("court_order", "80", "The statewide target for court order establishment is 80%."),
    ("paternity", "90", "The statewide target for paternity establishment is 90%."),
    ("current_support", "75", "The statewide target for the CSUP Rate is 75%."),
    ("arrears", "75", "The statewide target for Arrearage Case Collection Rate is 75%."),
]


@pytest.mark.rule(TARGET)
@pytest.mark.parametrize("measure, target, memo", TARGETS, ids=[t[0] for t in TARGETS])
def test_meeting_the_statewide_target_earns_100_percent(measure, target, memo):
    """"Agencies that have a CO Rate of 80% as of September 30, 2004 will earn 100% of the available allocation
    under this measure" (and likewise for each measure), whatever the baseline."""
    assert MEASURES[measure].target == D(target)
    for baseline in (LOW[measure], MEASURES[measure].threshold, D(target), D(target) + 5):
        assert earned_percent(measure, baseline, D(target)) == D(100)
        assert earned_percent(measure, baseline, D(target) + D("0.5")) == D(100)
        assert earning_basis(measure, baseline, D(target)) == "target met"


@pytest.mark.rule(TARGET)
def test_a_paternity_rate_may_pass_100_percent():
    """"it is likely that high-performing agencies will achieve more than 100% PE Rate" """
    assert earned_percent("paternity", D("104.2"), D("106.8")) == D(100)
    with pytest.raises(RuleViolation):
        earned_percent("court_order", D(90), D("100.1"))


@pytest.mark.rule(TARGET)
@pytest.mark.parametrize("measure, baseline, final", [
    ("court_ordr", D(70), D(71)), ("court_order", D(-1), D(70)), ("arrears", D(70), D("100.01")),
    ("paternity", D("-0.5"), D(70)), ("current_support", D("NaN"), D(70)), ("current_support", D(70), "71"),
    ("court_order", D(70), D("Infinity"))])
def test_an_unknown_measure_or_a_rate_outside_0_to_100_is_refused(measure, baseline, final):
    with pytest.raises(RuleViolation) as caught:
        earned_percent(measure, baseline, final)
    assert caught.value.rule in (TARGET, MEASURES_2004)


# ---- chart A: a baseline at or above the threshold --------------------------------------------------------------

CHART_A_RANGES = [
    ("court_order", "78.5", "99.3", "Agencies that have a CO Baseline Rate at or above 78.5% can earn 100% if they "
     "have a performance level at or above the statewide target of 80% on September 30, 2004. If an agency has a "
     "CO Rate below 80% on September 30, 2004, the agency will earn between 80% and 99.3% under this measure."),
    ("paternity", "89", "99", "Agencies that have a PE Baseline Rate at or above 89% can earn 100% if they have a "
     "performance level at or above the statewide target of 90% on September 30, 2004. If an agency has a PE Rate "
     "below 90% on September 30, 2004, the agency will earn between 80% and 99% under this measure."),
    ("current_support", "74.75", "98", "Agencies that have a CSUP Baseline Rate at or above 74.75% or above can "
     "earn 100% if they have a performance level at or above the statewide target of 75% on September 30, 2004. "
     "If an agency has a CSUP Rate below 74.75% on September 30, 2004, the agency will earn between 80% and 98% "
     "under this measure."),
    ("arrears", "74.5", "99", "Agencies that have an ACC Baseline Rate at or above 74.5% can earn 100% if they "
     "have a performance level at or above the statewide target of 75% on September 30, 2004. If an agency has an "
     "ACC Rate below 75% on September 30, 2004, the agency will earn between 80% and 99% under this measure."),
]


@pytest.mark.rule(CHART_A)
@pytest.mark.parametrize("measure, threshold, top, memo", CHART_A_RANGES, ids=[r[0] for r in CHART_A_RANGES])
def test_chart_a_below_the_target_earns_between_80_percent_and_the_top_of_the_range(measure, threshold, top, memo):
    m = MEASURES[measure]
    assert m.threshold == D(threshold)
    for baseline in (D(threshold), m.target, m.target + 3):
        assert earning_basis(measure, baseline, m.target - m.step) == "chart A"
        assert earned_percent(measure, baseline, m.target - m.step) == D(top)     # one step below the target
        assert earned_percent(measure, baseline, D(0)) == D(80)                  # far below: never under 80%
        earned = [earned_percent(measure, baseline, r) for r in steps(str(m.target - m.step), "60", m.step)]
        assert all(D(80) <= e <= D(top) for e in earned) and earned == sorted(earned, reverse=True)
        # between two steps a rate earns the step it has reached, so the memo's range holds for every rate
        assert earned_percent(measure, baseline, m.target - D("0.001")) == D(top)


@pytest.mark.rule(CHART_A)
def test_chart_a_figures_between_the_ends_of_the_ranges():
    """100 - 10 x (target - final) / required improvement, rounded half-up to 0.1."""
    assert earned_percent("court_order", D("79"), D("79.0")) == D("93.3")     # 100 - 10 x 1.0 / 1.5
    assert earned_percent("court_order", D("78.5"), D("77.0")) == D(80)      # 3 points short: the floor
    assert earned_percent("paternity", D("89.5"), D("89.5")) == D(95)
    assert earned_percent("current_support", D("74.8"), D("74.8")) == D(92)  # 100 - 10 x 0.20 / 0.25
    assert earned_percent("current_support", D("74.8"), D("74.7")) == D(88)  # "below 74.75%": within 80 to 98
    assert earned_percent("arrears", D("74.6"), D("74.5")) == D(90)        # 100 - 10 x 0.5 / 0.5
    assert earned_percent("arrears", D("74.6"), D("74.0")) == D(80)


# ---- chart B: a baseline below the threshold --------------------------------------------------------------------

SAME_LEVEL = "Agencies that remain at the same performance level during the year will earn 90% under this measure."

CHART_B_IMPROVEMENT = [
    ("court_order", "1.5", "Agencies with a CO Baseline Rate below 78.5% can earn 100% based on incremental "
     "improvement of 1.5%."),
    ("paternity", "1", "Agencies with a PE Baseline Rate of below 89% can earn 100% based on incremental "
     "improvement of 1%."),
    ("current_support", "0.25", "Agencies with a CSUP Baseline Rate below 74.75% can earn 100% based on "
     "incremental improvement of .25%."),
    ("arrears", "0.5", "Agencies with an ACC Baseline Rate below 74.5% can earn 100% based on incremental "
     "improvement of .5%."),
]

CHART_B_RANGES = [  # measure, change from, change to, earns from, earns to, the memo's words
    ("court_order", "0.10", "1.4", "90.7", "99.3", "Agencies that show improved performance of 0.10% to 1.4% "
     "during the year will earn between 90.7% and 99.3% under this measure."),
    # the memo prints "-0.10% to 1.5%": the decline runs to -1.5%, which earns the 80% floor
    ("court_order", "-0.10", "-1.5", "89.3", "80", "Agencies that show declining performance of -0.10% to 1.5% "
     "during the year will earn between 89.3% and 80% under this measure."),
    ("paternity", "0.10", "0.9", "91", "99", "Agencies that show improved performance of 0.10% to 0.9% during the "
     "year will earn between 91% and 99% under this measure."),
    ("paternity", "-0.10", "-1", "89", "80", "Agencies that show declining performance of -0.10% to -1% during the "
     "year will earn between 89% and 80% under this measure."),
    ("current_support", "0.05", "0.20", "92", "98", "Agencies that show improved performance of 0.05% to 0.20% "
     "during the year will earn between 92% and 98% under this measure."),
    ("current_support", "-0.05", "-0.25", "88", "80", "Agencies that show declining performance of -0.05% to "
     "-0.25% during the year will earn between 88% and 80% under this measure."),
    ("arrears", "0.05", "0.45", "91", "99", "Agencies that show improved performance of 0.05% to 0.45% during the "
     "year will earn between 91% and 99% under this measure."),
    ("arrears", "-0.05", "-0.50", "89", "80", "Agencies that show declining performance of -0.05% to -0.50% during "
     "the year will earn between 89% and 80% under this measure."),
]


@pytest.mark.rule(CHART_B)
@pytest.mark.parametrize("measure", list(MEASURES))
def test_chart_b_the_same_level_earns_90_percent(measure):
    """"Agencies that remain at the same performance level during the year will earn 90% under this measure." """
    for baseline in (LOW[measure], MEASURES[measure].threshold - MEASURES[measure].step):
        assert earning_basis(measure, baseline, baseline) == "chart B"
        assert earned_percent(measure, baseline, baseline) == D(90)


@pytest.mark.rule(CHART_B)
@pytest.mark.parametrize("measure, improvement, memo", CHART_B_IMPROVEMENT, ids=[r[0] for r in CHART_B_IMPROVEMENT])
def test_chart_b_the_required_improvement_earns_100_percent(measure, improvement, memo):
    m, baseline = MEASURES[measure], LOW[measure]
    assert m.improvement == D(improvement)
    assert earned_percent(measure, baseline, baseline + D(improvement)) == D(100)
    assert earned_percent(measure, baseline, baseline + D(improvement) + 2) == D(100)   # never above 100%
    assert earned_percent(measure, baseline, baseline + D(improvement) - m.step) < D(100)
    assert earned_percent(measure, baseline, baseline - 20) == D(80)                    # never under 80%


@pytest.mark.rule(CHART_B)
@pytest.mark.parametrize("measure, first, last, earns_first, earns_last, memo", CHART_B_RANGES,
                         ids=[f"{r[0]}-{'up' if r[1][0] != '-' else 'down'}" for r in CHART_B_RANGES])
def test_chart_b_the_memos_ranges_come_out_exactly(measure, first, last, earns_first, earns_last, memo):
    baseline = LOW[measure]
    assert earned_percent(measure, baseline, baseline + D(first)) == D(earns_first)
    assert earned_percent(measure, baseline, baseline + D(last)) == D(earns_last)
    earned = [earned_percent(measure, baseline, baseline + change) for change in steps(first, last, STEP[measure])]
    low, high = sorted((D(earns_first), D(earns_last)))
    assert all(low <= e <= high for e in earned)
    assert len(set(earned)) == len(earned)          # each step of the chart earns a different percent


@pytest.mark.rule(CHART_B)
def test_chart_b_figures_and_the_step_reached():
    """90 + 10 x change / required improvement, rounded half-up; a change between two steps earns the step
    reached, so "improved 0.10% to 1.4%" stays within 90.7% to 99.3% for every rate."""
    assert earned_percent("court_order", D("77.0"), D("77.7")) == D("94.7")   # 90 + 10 x 0.7 / 1.5 = 94.67
    assert earned_percent("court_order", D("77.0"), D("78.45")) == D("99.3")  # 1.45 reached the 1.4 step
    assert earned_percent("court_order", D("77.0"), D("77.05")) == D(90)      # not yet the 0.1 step
    assert earned_percent("court_order", D("77.0"), D("76.95")) == D("89.3")  # declined into the -0.1 step
    assert earned_percent("current_support", D("70.10"), D("70.27")) == D(96)  # 0.17 reached the 0.15 step
    assert earned_percent("arrears", D(70), 70) == D(90)                      # whole numbers are rates too


# ---- hold harmless for current support --------------------------------------------------------------------------

@pytest.mark.rule(HOLD_HARMLESS)
@pytest.mark.parametrize("baseline, final", [(D(70), D(60)), (D("74.75"), D(70)), (D(74), D("74.2"))])
def test_unemployment_claims_up_10_percent_hold_current_support_harmless(baseline, final):
    """"In the event that the county unemployment claims filed for the federal fiscal year 2004 increase by 10%
    or more, as compared to the county unemployment claims filed for federal fiscal year 2003, the county shall
    receive 100% of the allocation under this measure." """
    assert earned_percent("current_support", baseline, final, D(10)) == D(100)
    assert earned_percent("current_support", baseline, final, D("37.5")) == D(100)
    assert earning_basis("current_support", baseline, final, D(10)) == "hold harmless"
    assert earned_percent("current_support", baseline, final, D("9.9")) < D(100)
    assert earned_percent("current_support", baseline, final, D(-12)) < D(100)


@pytest.mark.rule(HOLD_HARMLESS)
def test_the_hold_harmless_concerns_current_support_only():
    assert earned_percent("arrears", D(70), D(69), D(25)) == D(80)
    assert earned_percent("court_order", D(70), D(70), D(25)) == D(90)
    with pytest.raises(RuleViolation) as caught:
        earned_percent("current_support", D(70), D(70), D(-101))
    assert caught.value.rule == HOLD_HARMLESS


# ---- always between 80% and 100%, never less for a better rate --------------------------------------------------

def rates(measure: str):
    top = 150 if measure == "paternity" else 100
    return st.decimals(min_value=0, max_value=top, places=3)


@pytest.mark.rule(CHART_A, CHART_B)
@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(MEASURES)).flatmap(lambda m: st.tuples(st.just(m), rates(m), rates(m), rates(m))),
       st.none() | st.decimals(min_value=-100, max_value=100, places=1))
def test_earned_percent_is_within_80_and_100_and_grows_with_the_final_rate(args, claims):
    measure, baseline, final_a, final_b = args
    low, high = sorted((final_a, final_b))
    earned_low = earned_percent(measure, baseline, low, claims)
    earned_high = earned_percent(measure, baseline, high, claims)
    assert D(80) <= earned_low <= earned_high <= D(100)
    assert earned_low == earned_low.quantize(D("0.1"))


# ---- the initial contract load ----------------------------------------------------------------------------------

@pytest.mark.rule(LOAD)
@pytest.mark.parametrize("measure", list(MEASURES))
def test_the_initial_load_is_100_percent_at_the_target_and_90_percent_below(measure):
    """"Agencies that have performance levels equal to or above the 2004 target rates as of September 30, 2003,
    will have an initial contract load amount of 100% for the measure. Agencies that have performance levels below
    the 2004 target rates as of September 30, 2003 will have an initial contract load rate of 90% for the
    measure." """
    m = MEASURES[measure]
    assert initial_load_percent(measure, m.target) == D(100)
    assert initial_load_percent(measure, m.target + 1) == D(100)
    assert initial_load_percent(measure, m.target - D("0.01")) == D(90)
    assert initial_load_percent(measure, m.threshold) == D(90)     # the threshold is not the target
    with pytest.raises(RuleViolation):
        initial_load_percent("support", m.target)


# ---- the allocation ---------------------------------------------------------------------------------------------

def agency(name: str, allocation: str, baseline: str | dict, final: str | dict, claims=None) -> Agency:
    """An agency with the same baseline and final on every measure, or one per measure (dicts)."""
    def rate(value, measure):
        return D(value[measure] if isinstance(value, dict) else value)
    return Agency(name, D(allocation), tuple(
        MeasureRates(m, rate(baseline, m), rate(final, m), claims if m == "current_support" else None)
        for m in MEASURES))


WEIGHTS = [
    ("court_order", "0.25", "Twenty-five percent (25%) of the total funds under the performance-based allocation "
     "will be available for the court order establishment measure."),
    ("paternity", "0.40", "Forty percent (40%) of the total funds under the performance-based allocation will be "
     "available for the paternity establishment measure."),
    ("current_support", "0.25", "Twenty-five percent (25%) of the total funds under the performance-based "
     "allocation will be available for the current support collection rate measure."),
    ("arrears", "0.10", "Ten percent (10%) of the total funds under the performance-based allocation will be "
     "available for the arrearage case collection measure."),
]


@pytest.mark.rule(MEASURES_2004)
def test_the_weights_of_the_four_measures():
    assert [(m, MEASURES[m].weight) for m, _, _ in WEIGHTS] == [(m, D(w)) for m, w, _ in WEIGHTS]
    result = allocate([agency("Adams", "100000.00", "90", "95")], D("100000.00"))
    assert [(s.measure, s.available) for s in result.agencies[0].measures] == [
        ("court_order", D("25000.00")), ("paternity", D("40000.00")), ("current_support", D("25000.00")),
        ("arrears", D("10000.00"))]
    odd = allocate([agency("Adams", "100.01", "90", "95")], D("100.01")).agencies[0]
    assert odd.total("available") == D("100.01")       # the odd cent goes where most of it was owed


@pytest.mark.rule(LOAD)
def test_the_allocation_loads_each_measure_by_its_september_2003_rate():
    baseline = {"court_order": "80", "paternity": "85", "current_support": "75", "arrears": "74.9"}
    adams = allocate([agency("Adams", "100000.00", baseline, "95")], D("100000.00")).agencies[0]
    assert [(s.load_percent, s.initial_load) for s in adams.measures] == [
        (D(100), D("25000.00")), (D(90), D("36000.00")), (D(100), D("25000.00")), (D(90), D("9000.00"))]
    assert adams.total("initial_load") == D("95000.00")


@pytest.mark.rule(EARNED)
def test_unearned_funds_go_to_all_agencies_by_their_earnings_and_are_prorated_to_the_funds_available():
    """"any unearned funds will be distributed to all agencies based on each agency's proportionate earnings
    compared to the statewide earnings"; "each agency's relative earned amount shall be compared to the
    statewide earned amount and applied proportionately to the funds actually available" """
    agencies = [agency("Adams", "100000.00", "95", "95"),     # every target met: earns 100%
                agency("Brown", "100000.00", "60", "60")]     # the same level under chart B: earns 90%
    full = allocate(agencies, D("200000.00"))
    adams, brown = full.agencies
    assert (adams.total("earned"), brown.total("earned")) == (D("100000.00"), D("90000.00"))
    assert (adams.total("unearned"), brown.total("unearned")) == (D("0.00"), D("10000.00"))
    # 10,000 unearned, shared 100,000 : 90,000
    assert (adams.total("redistributed"), brown.total("redistributed")) == (D("5263.16"), D("4736.84"))
    assert (adams.final, brown.final) == (D("105263.16"), D("94736.84"))
    assert full.total("proration") == 0 and full.held_for_pac == 0

    short = allocate(agencies, D("190000.00"))     # less than the $200,000 projected: reductions
    assert [a.final for a in short.agencies] == [D("100000.00"), D("90000.00")]
    assert short.total("proration") == D("-10000.00") and short.distributed == D("190000.00")

    more = allocate(agencies, D("250000.00"))      # more: "allocated in consultation with the PAC"
    assert [a.final for a in more.agencies] == [D("105263.16"), D("94736.84")]
    assert (more.distributed, more.held_for_pac) == (D("200000.00"), D("50000.00"))
    assert adams.federal_match == federal_match(D("105263.16"))


@pytest.mark.rule(EARNED)
@pytest.mark.parametrize("agencies, funds", [
    ([agency("Adams", "-1.00", "90", "90")], D("1.00")),
    ([agency("Adams", "1.001", "90", "90")], D("1.00")),
    ([agency("Adams", "1.00", "90", "90")], D("-1")),
    ([agency("Adams", "1.00", "90", "90"), agency("Adams", "1.00", "90", "90")], D("1.00")),
    ([agency("Adams", "0.00", "90", "90")], D("1.00")),
    ([], D("1.00")),
    ([Agency("Adams", D("1.00"), (MeasureRates("paternity", D(90), D(90)),))], D("1.00")),
])
def test_the_allocation_refuses_negative_amounts_duplicates_and_missing_measures(agencies, funds):
    with pytest.raises(RuleViolation):
        allocate(agencies, funds)


def agency_lists():
    measure_rates = st.tuples(*(st.tuples(st.decimals(0, 100, places=2), st.decimals(0, 100, places=2))
                                for _ in MEASURES))
    one = st.tuples(st.integers(0, 10**9), measure_rates, st.none() | st.integers(-50, 50))
    return st.lists(one, min_size=1, max_size=6).filter(lambda xs: any(cents for cents, _, _ in xs))


@pytest.mark.rule(EARNED)
@settings(max_examples=150, deadline=None)
@given(agency_lists(), st.integers(0, 2 * 10**9 * 6))
def test_every_figure_of_the_allocation_adds_up(rows, funds_cents):
    agencies = [Agency(f"A{i}", D(cents) / 100, tuple(
        MeasureRates(m, b, f, None if claims is None else D(claims)) for m, (b, f) in zip(MEASURES, pairs)))
        for i, (cents, pairs, claims) in enumerate(rows)]
    result = allocate(agencies, D(funds_cents) / 100)
    assert result.projected == sum(a.allocation for a in agencies)
    assert result.distributed == min(result.funds_available, result.projected)
    assert result.total("final") == result.distributed
    assert result.total("redistributed") == result.total("unearned")
    for a, given_agency in zip(result.agencies, agencies):
        assert a.total("available") == given_agency.allocation
        for s, r in zip(a.measures, given_agency.rates):
            assert s.earned_percent == earned_percent(r.measure, r.baseline, r.final, r.claims_change)
            assert s.unearned == s.available - s.earned >= 0
            assert s.final == s.earned + s.redistributed + s.proration
            assert s.proration <= 0 and s.final >= 0


# ---- the CSV files ----------------------------------------------------------------------------------------------

@pytest.mark.rule(CHART_A, CHART_B)
def test_a_rates_file_reports_every_bad_row_by_its_number():
    good = parse_rates("agency,measure,baseline,final\nAdams,court_order,77.0,78.4\n\nBrown,arrears,70,70.45\n")
    assert [(r.line, r.agency, earned_percent(r.rates.measure, r.rates.baseline, r.rates.final))
            for r in good] == [(2, "Adams", D("99.3")), (4, "Brown", D(99))]
    with pytest.raises(ImportRejected) as caught:
        parse_rates("agency,measure,baseline,final,claims_change\n"
                    "Adams,court_ordr,77,78,\n"
                    "Adams,paternity,77,78,\n"
                    ",arrears,seventy,70,\n"
                    "Brown,court_order,70,101,\n"
                    "Brown,current_support,70,71,12,extra\n")
    assert [row for row, _ in caught.value.errors] == [2, 4, 4, 5, 6]
    assert "unknown measure 'court_ordr'" in caught.value.errors[0][1]
    for text in ("", "agency,measure,baseline\n", "agency,measure,baseline,final,claims_change,notes\n",
                 "agency,measure,baseline,final\n"):
        with pytest.raises(ImportRejected):
            parse_rates(text)


@pytest.mark.rule(EARNED)
def test_an_agencies_file_needs_one_allocation_and_each_measure_once():
    header = "agency,allocation,measure,baseline,final,claims_change\n"
    rows = "".join(f"Adams,1000.00,{m},70,71,\n" for m in MEASURES)
    (adams,) = parse_agencies(header + rows)
    assert adams.allocation == D("1000.00") and [r.measure for r in adams.rates] == list(MEASURES)
    with pytest.raises(ImportRejected) as caught:
        parse_agencies(header + rows.replace("Adams,1000.00,arrears", "Adams,999.00,arrears")
                       + "Brown,-5,court_order,70,71,\nBrown,5.00,court_order,70,71,\n")
    assert caught.value.errors == [
        (5, "allocation 999.00 differs from 1000.00 on row 2 for agency 'Adams'"),
        (6, "allocation -5 is negative"),
        (6, "agency 'Brown' has no row for paternity, current_support, arrears"),
        (7, "allocation 5.00 differs from -5 on row 6 for agency 'Brown'"),
        (7, "court_order repeated for agency 'Brown' (first on row 6)")]
    assert parse_amount("$12,340,000.00") == D("12340000.00")
    with pytest.raises(RuleViolation):
        parse_amount("twelve")
