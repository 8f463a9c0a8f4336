"""The reference tables in use on a day: the newest imported version in effect, else the shipped default
(models/handup_reference.py)."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from models.handup_reference import (DEFAULT_CARE_RATES, DEFAULT_FEE_SCALE, DEFAULT_INCOME_LIMITS, AgeGroup,
                                     CareRates, FeeScale, IncomeLimits, Provenance, pick_version)
from models.tables import HandUpReference

KINDS = ("income_limits", "care_rates", "fee_scale")


def _version(row: HandUpReference):
    common = dict(version=row.version, effective_from=row.effective_from, provenance=Provenance(row.provenance),
                  source=row.source)
    if row.kind == "income_limits":
        sizes = sorted(row.rows, key=lambda r: int(r["family_size"]))
        return IncomeLimits(**common, monthly=tuple(Decimal(r["monthly_limit"]) for r in sizes),
                            each_further=Decimal(sizes[-1]["each_further"]))
    if row.kind == "care_rates":
        return CareRates(**common, rates={(r["area"], AgeGroup(r["age_group"])): Decimal(r["monthly_rate"])
                                          for r in row.rows})
    return FeeScale(**common, bands=tuple((int(r["family_size"]), Decimal(r["income_up_to"]), Decimal(r["fee"]))
                                          for r in sorted(row.rows, key=lambda r: (int(r["family_size"]),
                                                                                   Decimal(r["income_up_to"])))))


DEFAULTS = {"income_limits": DEFAULT_INCOME_LIMITS, "care_rates": DEFAULT_CARE_RATES, "fee_scale": DEFAULT_FEE_SCALE}


def versions(session: Session, kind: str) -> list:
    """Every version of a kind: the shipped default and the imported ones."""
    rows = session.exec(select(HandUpReference).where(HandUpReference.kind == kind)).all()
    return [DEFAULTS[kind], *(_version(row) for row in rows)]


def in_effect(session: Session, kind: str, as_of: date):
    return pick_version(versions(session, kind), as_of)


def income_limits(session: Session, as_of: date) -> IncomeLimits:
    return in_effect(session, "income_limits", as_of)


def care_rates(session: Session, as_of: date) -> CareRates:
    return in_effect(session, "care_rates", as_of)


def fee_scale(session: Session, as_of: date) -> FeeScale:
    return in_effect(session, "fee_scale", as_of)
