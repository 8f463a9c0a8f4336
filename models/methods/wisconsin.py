"""The Wisconsin CY2004 child support performance-based allocation (DWD Administrator's Memo 03-21). Pure.

Rates are percentages (`Decimal("77.1")`), money is dollars (or any one unit, e.g. millions) in Decimal.

The charts. The memo gives each measure a statewide target, a baseline threshold and a required improvement, and
states its charts A and B as steps: court order and paternity move in steps of 0.1 point, current support and
arrears in steps of 0.05 point ("improved 0.10% to 1.4%", "improved 0.05% to 0.20%"). A rate or a change between
two steps earns the step it has reached (it is rounded down to the step), so that the memo's ranges hold for every
rate: a CO Rate of 79.99% is below the 80% target and earns 99.3% ("between 80% and 99.3%"), not 99.9%.
Two slips of the memo are read as meant: the court order decline "-0.10% to 1.5%" runs to -1.5% (80%), and
current support's chart A "below 74.75%" (the other measures say below the target) holds either way.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["MEASURES", "Agency", "AgencyShare", "Allocation", "Measure", "MeasureRates", "MeasureShare",
           "allocate", "earned_percent", "earning_basis", "federal_match", "initial_load_percent"]

MEMO = "Wisconsin DWD Memo 03-21"
FUNDING = f"{MEMO}, Projected Incentive Funding"
LOAD = f"{MEMO}, Initial Contract Load Amount"
EARNED = f"{MEMO}, Earned Amount"
MEASURES_2004 = f"{MEMO}, Performance Measures for 2004"
TARGET = f"{MEMO}, Statewide Target and Baseline"
CHART_A = f"{MEMO}, Chart A"
CHART_B = f"{MEMO}, Chart B"
HOLD_HARMLESS = f"{MEMO}, Hold Harmless for CSUP Measure"

HUNDRED, CENT, TENTH = Decimal(100), Decimal("0.01"), Decimal("0.1")
LARGEST = Decimal("1e15")  # no amount reaches a thousand trillion
HOLD_HARMLESS_CLAIMS = Decimal(10)  # unemployment claims up 10% or more, FFY2004 over FFY2003


@dataclass(frozen=True)
class Measure:
    """One performance measure of the memo: its share of the funds, target, threshold, improvement, chart step."""

    name: str
    label: str
    weight: Decimal          # share of the performance-based allocation
    target: Decimal          # statewide target: at or above it earns 100%
    threshold: Decimal       # a baseline below it follows chart B, else chart A
    improvement: Decimal     # the required incremental improvement (chart B: +improvement earns 100%)
    step: Decimal            # the step of the memo's charts
    ceiling: Decimal | None  # the highest possible rate (none for paternity, which may pass 100%)


MEASURES = {m.name: m for m in (
    Measure("court_order", "Court Order Rate", Decimal("0.25"), Decimal(80), Decimal("78.5"), Decimal("1.5"),
            TENTH, HUNDRED),
    Measure("paternity", "Paternity Establishment Rate", Decimal("0.40"), Decimal(90), Decimal(89), Decimal(1),
            TENTH, None),
    Measure("current_support", "Current Support Collection Rate", Decimal("0.25"), Decimal(75), Decimal("74.75"),
            Decimal("0.25"), Decimal("0.05"), HUNDRED),
    Measure("arrears", "Arrearage Case Collection Rate", Decimal("0.10"), Decimal(75), Decimal("74.5"),
            Decimal("0.5"), Decimal("0.05"), HUNDRED),
)}


def _measure(name: str) -> Measure:
    if name not in MEASURES:
        raise RuleViolation(f"unknown measure {name!r} (one of {', '.join(MEASURES)})", MEASURES_2004)
    return MEASURES[name]


def _number(name: str, value: object, rule: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int) or not Decimal(value).is_finite():
        raise RuleViolation(f"{name} {value!r} is not a number", rule)
    return Decimal(value)


def _rate(m: Measure, name: str, value: object) -> Decimal:
    rate = _number(name, value, TARGET)
    if rate < 0 or (m.ceiling is not None and rate > m.ceiling):
        within = f"0 and {m.ceiling}" if m.ceiling is not None else "0 and above"
        raise RuleViolation(f"{m.name} {name} {rate}% is not a rate between {within}", TARGET)
    return rate


def _money(name: str, value: object, rule: str, cents: bool = True) -> Decimal:
    amount = _number(name, value, rule)
    if amount < 0 or amount >= LARGEST:
        raise RuleViolation(f"{name} {amount} is " + ("negative" if amount < 0 else "too large"), rule)
    if cents and amount != amount.quantize(CENT):
        raise RuleViolation(f"{name} {amount} is not dollars and cents", rule)
    return amount


def _steps(value: Decimal, step: Decimal) -> Decimal:
    """The chart step reached: value rounded down to a whole number of steps."""
    return (value / step).to_integral_value(ROUND_FLOOR) * step


@cites(TARGET, CHART_A, CHART_B, HOLD_HARMLESS)
def earning_basis(measure: str, baseline: Decimal, final: Decimal, claims_change: Decimal | None = None) -> str:
    """Which rule sets the earned percent: "target met", "hold harmless", "chart A" or "chart B"."""
    m = _measure(measure)
    baseline, final = _rate(m, "baseline", baseline), _rate(m, "final", final)
    if claims_change is not None:
        claims_change = _number("claims_change", claims_change, HOLD_HARMLESS)
        if claims_change < -100:
            raise RuleViolation(f"claims_change {claims_change}% is below -100%", HOLD_HARMLESS)
    if final >= m.target:
        return "target met"
    if m.name == "current_support" and claims_change is not None and claims_change >= HOLD_HARMLESS_CLAIMS:
        return "hold harmless"
    return "chart B" if baseline < m.threshold else "chart A"


@cites(TARGET, CHART_A, CHART_B, HOLD_HARMLESS)
def earned_percent(measure: str, baseline: Decimal, final: Decimal, claims_change: Decimal | None = None) -> Decimal:
    """The percent of a measure's allocation earned, rounded half-up to 0.1 (memo, each measure's section).

    At or above the statewide target: 100. Current support with county unemployment claims up 10% or more
    (`claims_change`, a percentage; it concerns current support only): 100. A baseline below the threshold,
    chart B: 90 + 10 x change / improvement; else chart A: 100 - 10 x (target - final) / improvement; both
    within 80 and 100, the change and the final rate taken at the chart step reached (module docstring)."""
    basis = earning_basis(measure, baseline, final, claims_change)
    m = MEASURES[measure]
    if basis in ("target met", "hold harmless"):
        return HUNDRED.quantize(TENTH)
    if basis == "chart B":
        earned = 90 + 10 * _steps(final - baseline, m.step) / m.improvement
    else:
        earned = 100 - 10 * (m.target - _steps(final, m.step)) / m.improvement
    return min(max(earned, Decimal(80)), HUNDRED).quantize(TENTH, ROUND_HALF_UP)


@cites(LOAD)
def initial_load_percent(measure: str, baseline: Decimal) -> Decimal:
    """100% of a measure's allocation loaded on January 1 when the September 30, 2003 rate is at or above the
    2004 target, else 90%."""
    m = _measure(measure)
    return HUNDRED if _rate(m, "baseline", baseline) >= m.target else Decimal(90)


@cites(FUNDING)
def federal_match(state_amount: Decimal, federal_rate: Decimal = Decimal("0.66")) -> Decimal:
    """The federal funds a state amount draws when federal funds pay `federal_rate` of the total: state x rate /
    (1 - rate), rounded half-up to 0.01 of the unit ($12.34 million at 66% -> $23.95 million, total $36.29)."""
    state_amount = _money("state amount", state_amount, FUNDING, cents=False)
    rate = _number("federal rate", federal_rate, FUNDING)
    if not 0 <= rate < 1:
        raise RuleViolation(f"federal rate {rate} is not a fraction from 0 up to 1", FUNDING)
    return (state_amount * rate / (1 - rate)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class MeasureRates:
    """An agency's rate on one measure: September 30, 2003 (baseline) and 2004 (final)."""

    measure: str
    baseline: Decimal
    final: Decimal
    claims_change: Decimal | None = None  # current support: the county's unemployment claims change, percent


@dataclass(frozen=True)
class Agency:
    """A child support agency: its projected allocation (Attachment 1, Column A) and its four measures."""

    name: str
    allocation: Decimal
    rates: tuple[MeasureRates, ...]


@dataclass(frozen=True)
class MeasureShare:
    """One agency's measure, each figure from the one before: available = weight x allocation; earned =
    available x earned percent; unearned = available - earned; redistributed = its share of the statewide
    unearned by earnings; proration = the reduction to the funds available; final = earned + redistributed +
    proration."""

    measure: str
    available: Decimal
    load_percent: Decimal
    initial_load: Decimal
    earned_percent: Decimal
    earned: Decimal
    unearned: Decimal
    redistributed: Decimal
    proration: Decimal
    final: Decimal


def _total(shares, field: str) -> Decimal:
    return sum((getattr(s, field) for s in shares), Decimal("0.00"))


@dataclass(frozen=True)
class AgencyShare:
    """An agency's allocation: its measures and their totals."""

    agency: str
    allocation: Decimal
    measures: tuple[MeasureShare, ...]

    def total(self, field: str) -> Decimal:
        """The sum of one MeasureShare field over the four measures."""
        return _total(self.measures, field)

    @property
    def final(self) -> Decimal:
        return self.total("final")

    @property
    def federal_match(self) -> Decimal:
        """The federal funds the final amount draws at 66% (Attachment 1, Column B)."""
        return federal_match(self.final)


@dataclass(frozen=True)
class Allocation:
    """The statewide allocation: `projected` is the sum of Column A; `distributed` the funds available up to it;
    funds beyond it are `held_for_pac` ("allocated in consultation with the PAC contract committee")."""

    agencies: tuple[AgencyShare, ...]
    funds_available: Decimal
    projected: Decimal
    distributed: Decimal
    held_for_pac: Decimal

    def total(self, field: str) -> Decimal:
        """The sum of one MeasureShare field over every agency and measure."""
        return _total((s for a in self.agencies for s in a.measures), field)


def _apportion(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, by largest remainder: the parts add up exactly."""
    cents, units = int(total * 100), [int(w * 100) for w in weights]
    whole = sum(units)
    quotas = [divmod(cents * u, whole) for u in units]
    left = cents - sum(q for q, _ in quotas)
    extra = set(sorted(range(len(units)), key=lambda i: -quotas[i][1])[:left])
    return [(Decimal(q + (i in extra)) / 100).quantize(CENT) for i, (q, _) in enumerate(quotas)]


def _check(agencies: tuple[Agency, ...]) -> None:
    names = [a.name for a in agencies]
    if not agencies or any(not n for n in names) or len(set(names)) < len(names):
        raise RuleViolation("the allocation needs agencies, each named once", EARNED)
    for a in agencies:
        _money(f"{a.name} allocation", a.allocation, EARNED)  # Attachment 1, Column A
        measures = sorted(r.measure for r in a.rates)
        if measures != sorted(MEASURES):
            raise RuleViolation(f"{a.name} must have each of {', '.join(MEASURES)} once, not "
                                f"{', '.join(measures) or 'none'}", MEASURES_2004)


@cites(MEASURES_2004, LOAD, EARNED)
def allocate(agencies: list[Agency] | tuple[Agency, ...], funds_available: Decimal) -> Allocation:
    """The CY2004 allocation (memo, "Performance-Based Allocation Methodology"): each agency's Column A split
    25% court order, 40% paternity, 25% current support, 10% arrears; loaded at 100% or 90% per measure;
    earned by earned_percent; the statewide unearned funds redistributed in proportion to the amounts earned;
    the result prorated to the funds available (funds beyond the projected total are held for the PAC)."""
    agencies = tuple(agencies)
    _check(agencies)
    funds = _money("funds available", funds_available, EARNED).quantize(CENT)
    projected = _total(agencies, "allocation")
    if projected == 0:
        raise RuleViolation("the agencies' allocations add up to nothing", EARNED)
    distributed = min(funds, projected)
    lines = []  # (agency, rates, available) in agency order, measures in the memo's order
    for a in agencies:
        by_name = {r.measure: r for r in a.rates}
        parts = _apportion(a.allocation, [m.weight for m in MEASURES.values()])
        lines += [(a, by_name[name], part) for name, part in zip(MEASURES, parts)]
    figures = []
    for a, r, available in lines:
        load = initial_load_percent(r.measure, r.baseline)
        percent = earned_percent(r.measure, r.baseline, r.final, r.claims_change)
        earned = (available * percent / 100).quantize(CENT, ROUND_HALF_UP)
        figures.append((load, (available * load / 100).quantize(CENT, ROUND_HALF_UP), percent, earned))
    earned = [f[3] for f in figures]
    unearned = projected - sum(earned)
    redistributed = _apportion(unearned, earned)
    before = [e + r for e, r in zip(earned, redistributed)]
    final = _apportion(distributed, before)
    shares = [MeasureShare(r.measure, available, load, loaded, percent, e, available - e, extra, f - b, f)
              for (_, r, available), (load, loaded, percent, e), extra, b, f
              in zip(lines, figures, redistributed, before, final)]
    return Allocation(
        agencies=tuple(AgencyShare(a.name, a.allocation, tuple(shares[4 * i:4 * i + 4]))
                       for i, a in enumerate(agencies)),
        funds_available=funds, projected=projected, distributed=distributed, held_for_pac=funds - distributed)
