"""Reference data of the Hand-Up Pilot Program, versioned and effective-dated (docs/architecture.md, "Hand-Up").

Three kinds of table, each a version with the date from which the division uses it and its provenance:

- `income_limits`: the maximum allowed monthly income by family size "as of August 28, 2012"
  (13 CSR 35-32.040 (4)(A)). The shipped default is *derived*: 122% of the 2012 HHS poverty guidelines for
  the 48 contiguous states, monthly = annual x 1.22 / 12 rounded half-up to the cent.
- `care_rates`: the division's maximum monthly child care rate by age group and geographic area
  (13 CSR 35-32.010 (4)). The shipped figures are *sample* figures.
- `fee_scale`: the sliding fee by family size and gross monthly income (13 CSR 35-32.010 (3)); *sample*.

An imported version with a later `effective_from` replaces the shipped one from that day on.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from models.errors import RuleViolation

__all__ = ["AgeGroup", "CareRates", "FeeScale", "IncomeLimits", "Provenance", "DEFAULT_INCOME_LIMITS",
           "DEFAULT_CARE_RATES", "DEFAULT_FEE_SCALE", "CENT", "pick_version"]

CENT = Decimal("0.01")
RULE_LIMITS = "13 CSR 35-32.040 (4)(A)"
RULE_FEES = "13 CSR 35-32.010 (3)"


class AgeGroup(StrEnum):
    """13 CSR 35-32.010 (4): infant to the second birthday, preschool to the fifth, school-age from five."""

    infant = "infant"
    preschool = "preschool"
    school_age = "school_age"


class Provenance(StrEnum):
    derived = "derived"  # computed from a published source; the official table may replace it
    sample = "sample"  # illustrative figures, to be replaced before production use
    official = "official"  # the division's published table


@dataclass(frozen=True)
class Version:
    version: str
    effective_from: date
    provenance: Provenance
    source: str


@dataclass(frozen=True)
class IncomeLimits(Version):
    """Monthly limit by family size 1..n, and the amount added for each further person."""

    monthly: tuple[Decimal, ...] = ()
    each_further: Decimal = Decimal("0")

    def limit(self, family_size: int) -> Decimal:
        if family_size < 1:
            raise RuleViolation(f"a family has at least one person, not {family_size}", RULE_LIMITS)
        if family_size <= len(self.monthly):
            return self.monthly[family_size - 1]
        return self.monthly[-1] + self.each_further * (family_size - len(self.monthly))


@dataclass(frozen=True)
class CareRates(Version):
    """Maximum monthly rate by (area, age group)."""

    rates: dict[tuple[str, AgeGroup], Decimal] = field(default_factory=dict)

    def rate(self, area: str, age_group: AgeGroup) -> Decimal:
        try:
            return self.rates[(area, AgeGroup(age_group))]
        except (KeyError, ValueError):
            raise RuleViolation(f"no child care rate for area {area!r} and age group {age_group}",
                                "13 CSR 35-32.010 (4)") from None


@dataclass(frozen=True)
class FeeScale(Version):
    """Bands of (family size, gross monthly income up to, monthly fee), in ascending income per size."""

    bands: tuple[tuple[int, Decimal, Decimal], ...] = ()

    def fee(self, family_size: int, gross_income: Decimal) -> Decimal:
        """The fee of the first band (lowest income first) the income fits; above every band, the highest fee.
        A family larger than the scale's largest size pays as that size."""
        sizes = sorted({size for size, _, _ in self.bands})
        size = min(family_size, sizes[-1]) if sizes else family_size
        bands = sorted((up_to, fee) for band_size, up_to, fee in self.bands if band_size == size)
        if family_size < 1 or not bands:
            raise RuleViolation(f"the sliding fee scale {self.version} has no fee for a family of {family_size}",
                                RULE_FEES)
        for up_to, fee in bands:
            if gross_income <= up_to:
                return fee
        return max(fee for _, fee in bands)


def _monthly(annual: int) -> Decimal:
    return (Decimal(annual) * Decimal("1.22") / 12).quantize(CENT, rounding=ROUND_HALF_UP)


HHS_2012_ANNUAL = (11_170, 15_130, 19_090, 23_050, 27_010, 30_970, 34_930, 38_890)
HHS_2012_FURTHER = 3_960

DEFAULT_INCOME_LIMITS = IncomeLimits(
    version="derived-2012", effective_from=date(2012, 8, 28), provenance=Provenance.derived,
    source="Derived: 122% of the 2012 HHS poverty guidelines (48 contiguous states and D.C.), "
           "annual x 1.22 / 12, rounded half-up to the cent; replace with the division's official table.",
    monthly=tuple(_monthly(a) for a in HHS_2012_ANNUAL),
    each_further=(Decimal(HHS_2012_FURTHER) * Decimal("1.22") / 12).quantize(CENT, rounding=ROUND_HALF_UP),
)

_SAMPLE_RATES = {"urban": ("990.00", "760.00", "610.00"), "rural": ("720.00", "560.00", "450.00")}
DEFAULT_CARE_RATES = CareRates(
    version="sample-1", effective_from=date(2012, 8, 28), provenance=Provenance.sample,
    source="Sample figures for illustration only; import the division's rate table by geographic area.",
    rates={(area, group): Decimal(v) for area, values in _SAMPLE_RATES.items()
           for group, v in zip(AgeGroup, values)},
)

DEFAULT_FEE_SCALE = FeeScale(
    version="sample-1", effective_from=date(2012, 8, 28), provenance=Provenance.sample,
    source="Sample figures for illustration only; import the division's sliding fee scale.",
    bands=tuple((size, limit + Decimal(extra), Decimal(fee))
                for size in range(1, 9)
                for limit in (DEFAULT_INCOME_LIMITS.limit(size),)
                for extra, fee in (("-600", "5.00"), ("-300", "20.00"), ("0", "45.00"), ("999999", "90.00"))),
)


def pick_version(versions, as_of: date):
    """The version in use on as_of: the latest effective_from on or before it. Of versions effective the same
    day, the one given last (the latest imported, after the shipped default) wins."""
    usable = [(v.effective_from, n, v) for n, v in enumerate(versions) if v.effective_from <= as_of]
    if not usable:
        raise RuleViolation(f"no reference table is in effect on {as_of.isoformat()}", RULE_LIMITS)
    return max(usable, key=lambda t: t[:2])[2]
