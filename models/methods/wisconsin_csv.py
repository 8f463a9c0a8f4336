"""CSV files for the Wisconsin CY2004 allocation (models.methods.wisconsin), read all or nothing. Pure.

Every bad row is reported as (row, reason), the row being its line in the file (header = row 1); any bad row
raises ImportRejected and nothing is returned. Rates are percentages ("77.1"), amounts dollars ("125000.00").

- rates:      agency,measure,baseline,final,claims_change
- agencies:   agency,allocation,measure,baseline,final,claims_change  (one row per agency and measure; the
              agency's Column A allocation on each of its rows, the same on all of them)

claims_change (the county's unemployment claims change, percent) may be blank or left out.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models.csv_import import read_rows
from models.errors import DomainError, ImportRejected, RuleViolation
from models.methods.wisconsin import EARNED, MEASURES, Agency, MeasureRates, earned_percent

__all__ = ["AGENCY_COLUMNS", "RATE_COLUMNS", "RateRow", "parse_agencies", "parse_amount", "parse_rates"]

RATE_COLUMNS = ("agency", "measure", "baseline", "final", "claims_change")
AGENCY_COLUMNS = ("agency", "allocation", "measure", "baseline", "final", "claims_change")
OPTIONAL = frozenset({"claims_change"})
Errors = list[tuple[int, str]]


@dataclass(frozen=True)
class RateRow:
    """One row of a rates file: its line, the agency and the measure's rates."""

    line: int
    agency: str
    rates: MeasureRates


def parse_amount(text: str, name: str = "amount") -> Decimal:
    """A dollar amount typed on the command line ("12340000", "12,340,000.00", "$12340000")."""
    try:
        amount = Decimal(text.strip().removeprefix("$").replace(",", ""))
    except InvalidOperation:
        raise RuleViolation(f"{name} {text!r} is not a number of dollars", EARNED) from None
    if not amount.is_finite() or amount < 0:
        raise RuleViolation(f"{name} {text!r} is not a number of dollars", EARNED)
    return amount


def parse_rates(text: str) -> list[RateRow]:
    """A rates file: each row checked by earned_percent (measure, rates 0-100, claims change)."""
    rows, errors = read_rows(text, RATE_COLUMNS, optional=OPTIONAL, exact_width=True)
    found = []
    for line, values in rows:
        problems, row = _rate_row(line, values)
        errors += [(line, p) for p in problems]
        if row:
            found.append(row)
    return _done(errors, found)


def parse_agencies(text: str) -> tuple[Agency, ...]:
    """An agencies file: every agency with its allocation and each of the four measures once."""
    rows, errors = read_rows(text, AGENCY_COLUMNS, optional=OPTIONAL, exact_width=True)
    first: dict[str, tuple[int, str]] = {}      # agency -> (first row, allocation text)
    measures: dict[str, dict[str, RateRow]] = {}
    seen: dict[str, set[str]] = {}              # agency -> the measures named on its rows, good or bad
    for line, values in rows:
        problems, row = _rate_row(line, values)
        name, allocation = values["agency"], values["allocation"]
        problems += _amount_problems("allocation", allocation)
        if name and name in first and allocation and _same(allocation, first[name][1]) is False:
            problems.append(f"allocation {allocation} differs from {first[name][1]} on row {first[name][0]} "
                            f"for agency {name!r}")
        if name:
            first.setdefault(name, (line, allocation))
            seen.setdefault(name, set()).add(values["measure"])
        if row and row.rates.measure in measures.setdefault(name, {}):
            problems.append(f"{row.rates.measure} repeated for agency {name!r} (first on row "
                            f"{measures[name][row.rates.measure].line})")
        elif row:
            measures[name][row.rates.measure] = row
        errors += [(line, p) for p in problems]
    for name, (line, _) in first.items():
        missing = [m for m in MEASURES if m not in seen[name]]
        if missing:
            errors.append((line, f"agency {name!r} has no row for {', '.join(missing)}"))
    agencies = tuple(Agency(name, Decimal(alloc), tuple(measures[name][m].rates for m in MEASURES))
                     for name, (_, alloc) in first.items()) if not errors else ()
    return _done(errors, agencies)


def _done(errors: Errors, found):
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e[0]))
    if not found:
        raise ImportRejected([(1, "the file has no rows")])
    return found


def _same(a: str, b: str) -> bool | None:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return None


def _decimal(name: str, text: str, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(f"{name} {text!r} is not a number")
        return None
    return value


def _amount_problems(name: str, text: str) -> list[str]:
    if not text:
        return [f"{name} is blank"]
    problems: list[str] = []
    value = _decimal(name, text, problems)
    if value is not None and value < 0:
        problems.append(f"{name} {text} is negative")
    elif value is not None and value.adjusted() >= 15:
        problems.append(f"{name} {text} is too large")
    elif value is not None and value != value.quantize(Decimal("0.01")):
        problems.append(f"{name} {text} is not dollars and cents")
    return problems


def _rate_row(line: int, values: dict[str, str]) -> tuple[list[str], RateRow | None]:
    problems = [f"{c} is blank" for c in ("agency", "measure", "baseline", "final") if not values[c]]
    numbers = {c: _decimal(c, values[c], problems) for c in ("baseline", "final", "claims_change") if values[c]}
    if problems:
        return problems, None
    rates = MeasureRates(values["measure"], numbers["baseline"], numbers["final"], numbers.get("claims_change"))
    try:
        earned_percent(rates.measure, rates.baseline, rates.final, rates.claims_change)
    except DomainError as exc:
        return [getattr(exc, "reason", str(exc))], None
    return [], RateRow(line, values["agency"], rates)
