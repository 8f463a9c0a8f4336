"""The monthly payment and the permanency incentive of contracted foster care case management, 13 CSR 35-32.030
(5)-(6). Pure: the contract's terms and the month-by-month counts are arguments; money is Decimal, to the cent.

Definitions:

- The method: (6)(A) for a contract effective on or before September 30, 2011; (6)(B) for one effective on or
  after October 1, 2011. A renewal keeps the method of the contract's effective date.
- The expected permanency percentage: (6)(B)1, the higher of the region's county average (A) and its
  contractors' average (B); (6)(A)1, the contract's own percentage. (6)(A) states no formula for the amount, so
  both methods count the incentive the same way, as below.
- The children expected to achieve permanency each month: cases awarded x the expected percentage / 100 / 12,
  rounded half-up to two decimals. The difference of a month is achieved - expected; the sum of the twelve
  monthly differences is the contractor's result for the year.
- The one-time payment (6)(B)4.A-B: the whole children by which the sum exceeds the expectation (a positive sum
  rounded down; nothing for a sum of zero or less) x the monthly amount per case, capped by the appropriation
  when one is given ("subject to available appropriation"), whichever the method. The permanency standard
  (6)(B)5 is met when the sum is zero or more.
- The monthly payment (5), (6)(B)3: cases awarded x the monthly rate, less the reductions of (6)(B)3.A-F: A, B and
  C take cases x the rate off; D takes off, in the month they occur, the re-entries beyond the allowable number,
  counted cumulatively from the first month of the year (the caller leaves out the re-entries of (6)(B)3.D(I),
  which count as active cases); E and F take cases x an amount per case off (at most the rate).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["Adjustment", "Incentive", "IncentiveMonth", "PaymentLine", "Reduction", "REASONS", "NEW_METHOD_FROM",
           "incentive_method", "expected_permanency_percent", "monthly_expected", "children_paid",
           "meets_permanency_standard", "incentive", "monthly_payments"]

RULE = "13 CSR 35-32.030"
PAYMENT = f"{RULE} (5)"
METHOD_A = f"{RULE} (6)(A)"
METHOD_B = f"{RULE} (6)(B)"
REDUCTIONS = f"{RULE} (6)(B)3"
NEW_METHOD_FROM = date(2011, 10, 1)
MONTHS = 12
CENT = Decimal("0.01")
REASONS = {
    "A": "cases that could not be assigned: no case met the criteria of (6)(B)2.A-D",
    "B": "cases disenrolled and reassigned to CD staff and not replaced",
    "C": "cases CD could not refer while the contractor was on referral hold",
    "D": "re-entries within twelve months beyond the allowable number",
    "E": "foster care maintenance removed from the monthly case rate",
    "F": "catastrophic cases: case management only, CD funds the rest",
}
PER_CASE_AMOUNT = frozenset("EF")


@dataclass(frozen=True)
class IncentiveMonth:
    month: date  # the first day of the month
    expected: Decimal
    achieved: int
    difference: Decimal


@dataclass(frozen=True)
class Incentive:
    method: str  # "(6)(A)" or "(6)(B)"
    paragraph: str
    expected_percent: Decimal
    expected_basis: str
    cases_awarded: int
    months: tuple[IncentiveMonth, ...]
    sum_of_differences: Decimal
    children_paid: int
    monthly_rate: Decimal
    amount: Decimal  # children_paid x monthly_rate
    appropriation: Decimal | None
    payment: Decimal  # the amount, capped by the appropriation
    meets_standard: bool


@dataclass(frozen=True)
class Adjustment:
    """A reduction entered by staff: reason A, B, C, E or F of (6)(B)3 (D comes from the re-entries)."""

    month: date
    reason: str
    cases: int
    amount: Decimal = Decimal("0")  # per case, for E and F only


@dataclass(frozen=True)
class Reduction:
    reason: str
    paragraph: str
    cases: int
    amount: Decimal  # taken off the month's payment


@dataclass(frozen=True)
class PaymentLine:
    month: date
    cases: int  # cases awarded
    base: Decimal
    reductions: tuple[Reduction, ...]
    paid: Decimal


def _number(value, what: str, paragraph: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)) or not Decimal(value).is_finite():
        raise RuleViolation(f"{what} must be a Decimal or whole number, not {value!r}", paragraph)
    if value < 0:
        raise RuleViolation(f"{what} cannot be negative ({value})", paragraph)
    return Decimal(value)


def _count(value, what: str, paragraph: str, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise RuleViolation(f"{what} must be a whole number of at least {least}, not {value!r}", paragraph)
    return value


def _percent(value, what: str, paragraph: str) -> Decimal:
    if _number(value, what, paragraph) > 100:
        raise RuleViolation(f"{what} must be a percentage from 0 to 100, not {value}", paragraph)
    return Decimal(value)


def _counts(values: list[int], what: str, paragraph: str) -> list[int]:
    if len(values) != MONTHS:
        raise RuleViolation(f"{what} needs twelve months, one count each, not {len(values)}", paragraph)
    return [_count(v, what, paragraph) for v in values]


def _month(year_start: date, index: int) -> date:
    year, month = divmod(year_start.month - 1 + index, 12)
    return date(year_start.year + year, month + 1, 1)


@cites(METHOD_A, METHOD_B)
def incentive_method(effective_on: date) -> str:
    """(6)(A) for contracts effective on or before September 30, 2011; (6)(B) from October 1, 2011."""
    return "(6)(B)" if effective_on >= NEW_METHOD_FROM else "(6)(A)"


@cites(f"{METHOD_B}1", f"{METHOD_B}1.A", f"{METHOD_B}1.B")
def expected_permanency_percent(region_county: Decimal, region_contractor: Decimal) -> Decimal:
    """(6)(B)1: whichever is higher, the region's average over its counties (A) or over its contractors (B)."""
    county = _percent(region_county, "the region's county average", f"{METHOD_B}1.A")
    contractors = _percent(region_contractor, "the region's contractor average", f"{METHOD_B}1.B")
    return max(county, contractors)


@cites(f"{METHOD_A}2", f"{METHOD_B}4")
def monthly_expected(cases_awarded: int, expected_percent: Decimal) -> Decimal:
    """The children expected to achieve permanency each month: cases awarded x percent / 100 / 12, two
    decimals half-up."""
    cases = _count(cases_awarded, "the cases awarded", PAYMENT, least=1)
    percent = _percent(expected_percent, "the expected permanency percentage", f"{METHOD_B}1")
    return (cases * percent / 100 / MONTHS).quantize(CENT, rounding=ROUND_HALF_UP)


@cites(f"{METHOD_B}4.B")
def children_paid(sum_of_differences: Decimal) -> int:
    """(6)(B)4.B: the number of children who exceeded the permanency standard: the positive sum of the monthly
    differences rounded down to a whole child; none for a sum of zero or less."""
    if sum_of_differences <= 0:
        return 0
    return int(sum_of_differences.to_integral_value(rounding=ROUND_DOWN))


@cites(f"{METHOD_B}5")
def meets_permanency_standard(sum_of_differences: Decimal) -> bool:
    """(6)(B)5: the permanency standard is met when as many children achieved permanency as were expected (the
    sum of the monthly differences is zero or more)."""
    return sum_of_differences >= 0


@cites(f"{RULE} (6)", f"{METHOD_A}1", METHOD_B, f"{METHOD_B}4", f"{METHOD_B}4.A")
def incentive(*, effective_on: date, year_start: date, cases_awarded: int, monthly_rate: Decimal,
              contract_target: Decimal | None, region_county: Decimal | None, region_contractor: Decimal | None,
              achieved_by_month: list[int], appropriation: Decimal | None) -> Incentive:
    """(6): the incentive of the contract year, every figure kept for the report (see the module docstring)."""
    if year_start < effective_on:
        raise RuleViolation(f"dates out of order: the contract year starts {year_start}, before the contract is "
                            f"effective on {effective_on}", f"{RULE} (6)")
    method = incentive_method(effective_on)
    if method == "(6)(B)":
        if region_county is None or region_contractor is None:
            raise RuleViolation("(6)(B) needs the region's county and contractor averages", f"{METHOD_B}1")
        percent = expected_permanency_percent(region_county, region_contractor)
        basis = (f"the higher of the region's county average ({region_county}) and its contractors' "
                 f"({region_contractor})")
    else:
        if contract_target is None:
            raise RuleViolation("(6)(A) needs the contract's permanency percentage", f"{METHOD_A}1")
        percent = _percent(contract_target, "the contract's permanency percentage", f"{METHOD_A}1")
        basis = f"the contract's own permanency percentage ({contract_target}), (6)(A)1"
    rate = _number(monthly_rate, "the monthly amount per case", PAYMENT)
    cap = None if appropriation is None else _number(appropriation, "the appropriation", f"{METHOD_B}4.A")
    expected = monthly_expected(cases_awarded, percent)
    achieved = _counts(achieved_by_month, "the children achieving permanency", f"{METHOD_B}4")
    months = tuple(IncentiveMonth(_month(year_start, i), expected, n, n - expected) for i, n in enumerate(achieved))
    total = sum((m.difference for m in months), Decimal("0.00"))
    children = children_paid(total)
    amount = (children * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    payment = amount if cap is None else min(amount, cap.quantize(CENT, rounding=ROUND_HALF_UP))
    return Incentive(method, f"{RULE} {method}", percent, basis, cases_awarded, months, total, children, rate,
                     amount, cap, payment, meets_permanency_standard(total))


def _reduction(adjustment: Adjustment, index: dict[date, int], rate: Decimal) -> tuple[int, Reduction]:
    reason = adjustment.reason
    if reason == "D":
        raise RuleViolation("reduction D is computed from the re-entries beyond the allowable number; it is not "
                            "entered as an adjustment", f"{REDUCTIONS}.D")
    if reason not in REASONS:
        raise RuleViolation(f"unknown reduction reason {reason!r}; expected one of A, B, C, E, F", REDUCTIONS)
    paragraph = f"{REDUCTIONS}.{reason}"
    i = index.get(adjustment.month.replace(day=1))
    if i is None:
        raise RuleViolation(f"a reduction for {adjustment.month:%Y-%m}, outside the contract year", paragraph)
    cases = _count(adjustment.cases, f"the cases of reduction {reason}", paragraph)
    per_case = _number(adjustment.amount, f"the amount per case of reduction {reason}", paragraph)
    if reason in PER_CASE_AMOUNT:
        if per_case > rate:
            raise RuleViolation(f"reduction {reason} of {per_case} per case exceeds the monthly rate {rate}",
                                paragraph)
    elif per_case:
        raise RuleViolation(f"reduction {reason} takes whole cases at the monthly rate; it has no amount per case",
                            paragraph)
    else:
        per_case = rate
    return i, Reduction(reason, paragraph, cases, (cases * per_case).quantize(CENT, rounding=ROUND_HALF_UP))


@cites(PAYMENT, REDUCTIONS, *(f"{REDUCTIONS}.{reason}" for reason in REASONS))
def monthly_payments(*, year_start: date, cases_awarded: int, monthly_rate: Decimal, adjustments: list[Adjustment],
                     reentries_by_month: list[int], allowable_reentries: int) -> list[PaymentLine]:
    """(5): each month, the cases awarded x the monthly amount per case; (6)(B)3.A-F: less the reductions."""
    cases = _count(cases_awarded, "the cases awarded", PAYMENT, least=1)
    rate = _number(monthly_rate, "the monthly amount per case", PAYMENT)
    allowed = _count(allowable_reentries, "the allowable number of re-entries", f"{REDUCTIONS}.D")
    reentries = _counts(reentries_by_month, "the re-entries", f"{REDUCTIONS}.D")
    months = [_month(year_start, i) for i in range(MONTHS)]
    index = {month: i for i, month in enumerate(months)}
    by_month: list[list[Reduction]] = [[] for _ in months]
    for adjustment in adjustments:
        i, reduction = _reduction(adjustment, index, rate)
        by_month[i].append(reduction)
    so_far = 0
    for i, n in enumerate(reentries):
        beyond = max(0, so_far + n - allowed) - max(0, so_far - allowed)
        so_far += n
        if beyond:
            by_month[i].append(Reduction("D", f"{REDUCTIONS}.D", beyond,
                                         (beyond * rate).quantize(CENT, rounding=ROUND_HALF_UP)))
    base = (cases * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    lines = []
    for month, reductions in zip(months, by_month):
        reductions.sort(key=lambda r: r.reason)
        unpaid = sum(r.cases for r in reductions if r.reason not in PER_CASE_AMOUNT)
        paid = base - sum((r.amount for r in reductions), Decimal("0"))
        if unpaid > cases or paid < 0:
            raise RuleViolation(f"the reductions of {month:%Y-%m} ({unpaid} cases, {base - paid}) exceed the "
                                f"{cases} cases awarded ({base})", REDUCTIONS)
        lines.append(PaymentLine(month, cases, base, tuple(reductions), paid))
    return lines
