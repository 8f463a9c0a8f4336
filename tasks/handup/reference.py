"""The reference tables in use on a day: the newest imported version in effect, else the shipped default
(models/handup_reference.py). Importing a version (all or nothing, audited) and listing every version with its
provenance."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from models.errors import RuleViolation
from models.handup_reference import (DEFAULT_CARE_RATES, DEFAULT_FEE_SCALE, DEFAULT_INCOME_LIMITS, AgeGroup,
                                     CareRates, FeeScale, IncomeLimits, Provenance, pick_version)
from models.handup_reference_csv import KIND_RULE, parse_reference
from models.tables import HandUpReference
from tasks.human.audit import audit

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
    rows = session.exec(select(HandUpReference).where(HandUpReference.kind == kind)
                        .order_by(HandUpReference.id)).all()  # of two effective the same day, the later import wins
    return [DEFAULTS[kind], *(_version(row) for row in rows)]


def in_effect(session: Session, kind: str, as_of: date):
    return pick_version(versions(session, kind), as_of)


def income_limits(session: Session, as_of: date) -> IncomeLimits:
    return in_effect(session, "income_limits", as_of)


def care_rates(session: Session, as_of: date) -> CareRates:
    return in_effect(session, "care_rates", as_of)


def fee_scale(session: Session, as_of: date) -> FeeScale:
    return in_effect(session, "fee_scale", as_of)


def import_reference(session: Session, *, kind: str, csv_text: str, version: str, effective_from: date,
                     provenance: str, source: str, actor: str) -> int:
    """Store a new version of a reference table in the caller's transaction; returns its number of rows.
    All or nothing: every bad row is named (ImportRejected); a (kind, version) already known is refused."""
    if kind not in KINDS:
        raise RuleViolation(f"unknown reference table {kind!r}; expected one of {', '.join(KINDS)}", "reference data")
    rule = KIND_RULE[kind]
    try:
        provenance = Provenance(provenance).value
    except ValueError:
        raise RuleViolation(f"provenance {provenance!r} is not one of {', '.join(Provenance)}", rule) from None
    version, source = version.strip(), source.strip()
    if not version or len(version) > 32:
        raise RuleViolation(f"a version is named in 1 to 32 characters, not {version!r}", rule)
    if not source:
        raise RuleViolation("say where the figures come from (the source)", rule)
    if any(v.version == version for v in versions(session, kind)):
        raise RuleViolation(f"{kind} version {version!r} exists already; a version is never replaced, import "
                            "the new figures under a new version", rule)
    rows = parse_reference(kind, csv_text)
    session.add(HandUpReference(kind=kind, version=version, effective_from=effective_from, provenance=provenance,
                                source=source, rows=rows, imported_by=actor))
    audit(session, actor=actor, action="handup.reference.imported", subject_type="handup_reference",
          subject_id=f"{kind}:{version}", rule=rule,
          detail={"kind": kind, "version": version, "effective_from": effective_from.isoformat(),
                  "provenance": provenance, "rows": len(rows)})
    return len(rows)


def describe(session: Session, as_of: date) -> list[dict]:
    """Every version of every kind, oldest first within a kind: its effective date, provenance and source, who
    imported it, and whether it is the one in effect on as_of."""
    imported_by = {(r.kind, r.version): r.imported_by for r in session.exec(select(HandUpReference))}
    listed = []
    for kind in KINDS:
        every = versions(session, kind)
        try:
            current = pick_version(every, as_of)
        except RuleViolation:
            current = None
        listed += [{"kind": kind, "version": v.version, "effective_from": v.effective_from.isoformat(),
                    "provenance": v.provenance.value, "in_effect": "yes" if v is current else "",
                    "imported_by": imported_by.get((kind, v.version), "shipped"), "source": v.source}
                   for v in sorted(every, key=lambda v: v.effective_from)]
    return listed


def figures(session: Session, kind: str, as_of: date) -> tuple[object, list[dict]]:
    """The version of a kind in effect on as_of and its figures: the limits for families of 1 to 12, the rates
    by area and age group, or the fee bands."""
    if kind not in KINDS:
        raise RuleViolation(f"unknown reference table {kind!r}; expected one of {', '.join(KINDS)}", "reference data")
    table = in_effect(session, kind, as_of)
    if kind == "income_limits":
        return table, [{"family_size": n, "monthly_limit": f"{table.limit(n):,.2f}"} for n in range(1, 13)]
    if kind == "care_rates":
        return table, [{"area": area, "age_group": group.value, "monthly_rate": f"{rate:,.2f}"}
                       for (area, group), rate in sorted(table.rates.items())]
    return table, [{"family_size": size, "income_up_to": f"{up_to:,.2f}", "fee": f"{fee:,.2f}"}
                   for size, up_to, fee in sorted(table.bands)]
