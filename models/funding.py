"""The state and federal shares of the payments of 13 CSR 35-32.030 (5), from the division's budget page for the
performance-based case management contracts ("Are there federal matching requirements?"). Pure.

Definitions:

- Missouri's fiscal year runs from July 1 to June 30 (Mo. Const. art. IV, sec. 23) and is named by the year it
  ends in: July 1, 2025 to June 30, 2026 is fiscal year 2026.
- The FMAP (the federal share of Title IV-E) is a setting per fiscal year, "2026=0.6550,2027=0.6594"; a payment
  takes the FMAP of the fiscal year its month falls in. A fiscal year without one is refused, never guessed.
- The children are grouped as HDN (Homeless, Dependent and Neglected: 100% state) or Title IV-E (federal at the
  FMAP). ive_share is the part of a payment spent on IV-E children (0 to 1). IV-E administration is 50% state
  and 50% federal, IV-E training 25% state and 75% federal.
- Cents: the IV-E children's amount is amount x ive_share and each category's federal share is amount x its
  federal rate, rounded half-up to the cent; the HDN amount and each state share are the rest, so that the
  categories add up to the payment and state + federal == amount exactly, category by category.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from models.errors import RuleViolation
from models.rules import cites

__all__ = ["Share", "CATEGORIES", "fiscal_year", "parse_fmap", "fmap_for", "split"]

PAYMENT = "13 CSR 35-32.030 (5)"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ADMINISTRATION_RATE = Decimal("0.50")
TRAINING_RATE = Decimal("0.75")
CATEGORIES = ("Title IV-E children", "HDN children", "IV-E administration", "IV-E training")
_SOURCES = ("Title IV-E children: federal at the FMAP of the fiscal year", "HDN children: 100% state",
            "IV-E administration: 50% state, 50% federal", "IV-E training: 25% state, 75% federal")
_ENTRY = re.compile(r"\s*([0-9]{4})\s*=\s*(\S+)\s*")


@dataclass(frozen=True)
class Share:
    category: str
    source: str
    amount: Decimal
    state: Decimal
    federal: Decimal
    federal_rate: Decimal


def _cents(value, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)) or not Decimal(value).is_finite():
        raise RuleViolation(f"{what} must be a Decimal amount of money, not {value!r}", PAYMENT)
    if value < 0:
        raise RuleViolation(f"{what} cannot be negative ({value})", PAYMENT)
    if Decimal(value) != Decimal(value).quantize(CENT):
        raise RuleViolation(f"{what} must be in whole cents, not {value}", PAYMENT)
    return Decimal(value).quantize(CENT)


def _rate(value, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)) or not Decimal(value).is_finite() \
            or not 0 <= value <= 1:
        raise RuleViolation(f"{what} must be a fraction from 0 to 1, not {value!r}", PAYMENT)
    return Decimal(value)


def _share(index: int, amount: Decimal, federal_rate: Decimal) -> Share:
    federal = (amount * federal_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return Share(CATEGORIES[index], _SOURCES[index], amount, amount - federal, federal, federal_rate)


@cites(PAYMENT)
def fiscal_year(day: date) -> int:
    """Missouri's fiscal year of a payment day: July 1 to June 30, named by the year it ends in."""
    return day.year + 1 if day.month >= 7 else day.year


@cites(PAYMENT)
def parse_fmap(text: str) -> dict[int, Decimal]:
    """The FMAP by fiscal year from a setting "2026=0.6550,2027=0.6594" (blank: none). Each entry is a four-digit
    fiscal year, "=", and a fraction from 0 to 1; a malformed or repeated entry is refused, naming it."""
    fmaps: dict[int, Decimal] = {}
    for entry in text.split(","):
        if not entry.strip():
            continue
        match = _ENTRY.fullmatch(entry)
        if match is None:
            raise RuleViolation(f"the FMAP entry {entry.strip()!r} is not fiscal year=rate, e.g. 2026=0.6550",
                                PAYMENT)
        year = int(match.group(1))
        try:
            rate = Decimal(match.group(2))
        except InvalidOperation:
            raise RuleViolation(f"the FMAP of fiscal year {year}, {match.group(2)!r}, is not a number",
                                PAYMENT) from None
        if year in fmaps:
            raise RuleViolation(f"the FMAP of fiscal year {year} is given twice", PAYMENT)
        fmaps[year] = _rate(rate, f"the FMAP of fiscal year {year}")
    return fmaps


@cites(PAYMENT)
def fmap_for(fmaps: dict[int, Decimal], day: date) -> Decimal:
    """The FMAP of the fiscal year `day` falls in; refused when the setting has none for that year."""
    year = fiscal_year(day)
    if year not in fmaps:
        known = ", ".join(str(y) for y in sorted(fmaps)) or "none"
        raise RuleViolation(f"no FMAP is set for fiscal year {year} (July 1, {year - 1} to June 30, {year}), the "
                            f"fiscal year of {day}; set for: {known}", PAYMENT)
    return _rate(fmaps[year], f"the FMAP of fiscal year {year}")


@cites(PAYMENT)
def split(amount: Decimal, *, ive_share: Decimal, fmap: Decimal, administration: Decimal = ZERO,
          training: Decimal = ZERO) -> list[Share]:
    """The four shares of a payment, always in the order of CATEGORIES: the IV-E children's part of `amount`
    at the FMAP, the HDN children's part 100% state, IV-E `administration` 50/50 and IV-E `training` 25/75
    (each zero when not given). State + federal == amount in every share, to the cent."""
    total = _cents(amount, "the payment")
    ive = (total * _rate(ive_share, "the IV-E children's share")).quantize(CENT, rounding=ROUND_HALF_UP)
    return [_share(0, ive, _rate(fmap, "the FMAP")),
            _share(1, total - ive, ZERO),
            _share(2, _cents(administration, "the IV-E administration cost"), ADMINISTRATION_RATE),
            _share(3, _cents(training, "the IV-E training cost"), TRAINING_RATE)]
