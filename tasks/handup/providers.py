"""The pilot providers, 13 CSR 35-32.040 (2)-(3): designate them from a CSV file, list them, and record a request
for review of the designation, which (2)(F) refuses."""

from dataclasses import asdict
from datetime import date

from sqlmodel import Session, select

from models.errors import RuleViolation
from models.handup_providers import CountyClass, Provider, check_designation, refuse_designation_review
from models.handup_reference_csv import parse_providers
from models.tables import PilotProvider
from tasks.human.audit import audit

RULE = "13 CSR 35-32.040 (2)"
NO_REVIEW = "13 CSR 35-32.040 (2)(F)"


def _provider(row: PilotProvider) -> Provider:
    return Provider(id=row.id, name=row.name, county=row.county, county_class=CountyClass(row.county_class),
                    families_served=row.families_served, license_number=row.license_number,
                    license_valid_until=row.license_valid_until, contract_id=row.contract_id,
                    contract_ends_on=row.contract_ends_on, agreed_on=row.agreed_on)


def designated(session: Session) -> list[PilotProvider]:
    """The active pilot providers, by ID."""
    return list(session.exec(select(PilotProvider).where(PilotProvider.active).order_by(PilotProvider.id)))


def designate_providers(session: Session, *, csv_text: str, as_of: date, actor: str) -> list[str]:
    """Designate the providers of the file in the caller's transaction; returns their IDs in file order.

    All or nothing: every bad row is named (ImportRejected), and the providers designated afterwards (the
    file's, plus the active ones it does not list) must meet every condition of (2) on as_of, else
    RuleViolation names each unmet paragraph and nothing is written."""
    providers = parse_providers(csv_text)
    after = {row.id: _provider(row) for row in designated(session)} | {p.id: p for p in providers}
    unmet = check_designation(list(after.values()), as_of)
    if unmet:
        raise RuleViolation("the pilot providers cannot be designated:\n"
                            + "\n".join(f"- {u.reason} ({u.paragraph})" for u in unmet), RULE)
    for p in providers:
        values = asdict(p) | {"county_class": p.county_class.value}
        row = session.get(PilotProvider, p.id)
        if row is None:
            row = PilotProvider(**values, designated_on=as_of)
        else:
            if not row.active:
                row.designated_on = as_of
            for name, value in values.items():
                setattr(row, name, value)
        row.active = True
        session.add(row)
    ids = [p.id for p in providers]
    audit(session, actor=actor, action="handup.providers.designated", subject_type="pilot_provider",
          subject_id=f"designation:{as_of.isoformat()}", rule=RULE,
          detail={"as_of": as_of.isoformat(), "ids": ids, "designated": sorted(after)})
    return ids


def provider_rows(session: Session) -> list[dict]:
    """Every pilot provider, active first, for `cwa handup providers list`."""
    rows = session.exec(select(PilotProvider).order_by(PilotProvider.active.desc(), PilotProvider.id)).all()
    return [{"id": p.id, "name": p.name, "county": p.county, "class": p.county_class,
             "families": p.families_served, "license": p.license_number,
             "license_valid_until": p.license_valid_until.isoformat(), "contract": p.contract_id,
             "contract_ends_on": p.contract_ends_on.isoformat(),
             "agreed_on": p.agreed_on.isoformat() if p.agreed_on else "",
             "designated_on": p.designated_on.isoformat(), "active": "yes" if p.active else "no"} for p in rows]


def request_review(session: Session, *, provider_id: str, actor: str) -> RuleViolation:
    """Record a provider's request for review of the designation and its refusal under (2)(F), in the caller's
    transaction; returns the refusal for the caller to report once the record is committed."""
    try:
        refuse_designation_review(provider_id)
    except RuleViolation as refusal:
        audit(session, actor=actor, action="handup.providers.review_requested", subject_type="pilot_provider",
              subject_id=provider_id, rule=NO_REVIEW, detail={"outcome": "refused", "reason": refusal.reason})
        return refusal
    raise AssertionError("13 CSR 35-32.040 (2)(F) admits no review")  # pragma: no cover
