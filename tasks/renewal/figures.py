"""The figures of a renewal (docs/architecture.md, "Contract renewal"): the case data of one contract year
read from the database, through the pure rules of models/outcomes.py, models/incentive.py and models/funding.py,
into one JSON-able dict that the notices, the report and the run's artifact read. IDs only; each figure keeps
the paragraph it follows and the imports it was computed from."""

from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from models.funding import fiscal_year, fmap_for, parse_fmap, split
from models.incentive import Adjustment, incentive, monthly_payments
from models.outcomes import Child, Event, Targets, compute_outcomes
from models.tables import CaseChild, CaseEvent, CaseImport, Contract, ContractTerms, PaymentAdjustment, Renewal
from tasks.context import settings, transaction
from tasks.renewal.records import terms_for
from tasks.renewal.sections import method_sections

CENT = Decimal("0.01")


def _json(value):
    """Dataclasses, Decimals and dates as JSON: strings for Decimals and dates."""
    if is_dataclass(value):
        return _json(asdict(value))
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def _month_label(row: dict) -> dict:
    return {**row, "month": row["month"][:7]}


def _monthly(value: dict, key: str) -> dict:
    return {**value, key: [_month_label(m) for m in value[key]]}


def _case_data(session: Session, contract_id: str) -> tuple[list[Child], list[Event], set[str]]:
    children = [Child(r.child_id, r.referred_on, r.birth_date, r.funding) for r in session.exec(
        select(CaseChild.child_id, CaseChild.referred_on, CaseChild.birth_date, CaseChild.funding)
        .where(CaseChild.contract_id == contract_id)).all()]
    events = [Event(r.child_id, r.kind, r.on, r.detail, r.days) for r in session.exec(
        select(CaseEvent.child_id, CaseEvent.kind, CaseEvent.on, CaseEvent.detail, CaseEvent.days)
        .where(CaseEvent.contract_id == contract_id)).all()]
    imports = set(session.exec(select(CaseChild.import_id).where(CaseChild.contract_id == contract_id)
                               .distinct()).all())
    imports |= set(session.exec(select(CaseEvent.import_id).where(CaseEvent.contract_id == contract_id)
                                .distinct()).all())
    imports |= set(session.exec(select(PaymentAdjustment.import_id)
                                .where(PaymentAdjustment.contract_id == contract_id).distinct()).all())
    return children, events, imports


def _months(year_start: date) -> list[date]:
    return [date(year_start.year + (year_start.month - 1 + i) // 12, (year_start.month - 1 + i) % 12 + 1, 1)
            for i in range(12)]


def _reentries_by_month(events: list[Event], months: list[date]) -> list[int]:
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts = [0] * 12
    for e in events:
        if e.kind == "reentry" and (e.on.year, e.on.month) in index:
            counts[index[(e.on.year, e.on.month)]] += 1
    return counts


def _funding(payments, incentive_payment: Decimal, ive_share: Decimal, months: list[date], year_end: date) -> dict:
    fmaps = parse_fmap(settings().renewal_fmap)
    totals: dict[str, dict] = {}
    dated = [(m, Decimal(p.paid)) for m, p in zip(months, payments)] + [(year_end, incentive_payment)]
    for day, amount in dated:
        for share in split(amount, ive_share=ive_share, fmap=fmap_for(fmaps, day)):
            row = totals.setdefault(share.category, {"category": share.category, "amount": Decimal(0),
                                                     "state": Decimal(0), "federal": Decimal(0),
                                                     "federal_rate": set(), "source": share.source})
            row["amount"] += share.amount
            row["state"] += share.state
            row["federal"] += share.federal
            row["federal_rate"].add(str(share.federal_rate))
    rows = [{**r, "federal_rate": ", ".join(sorted(r["federal_rate"]))} for r in totals.values()]
    total = {k: sum((r[k] for r in rows), Decimal(0)) for k in ("amount", "state", "federal")}
    return {"funding": _json(rows), "funding_total": _json(total),
            "fiscal_years": sorted({fiscal_year(m) for m in months})}


def figures_for(session: Session, rid: str, version: str, as_of: date) -> dict:
    """Compute every figure of a renewal from the database as it stands."""
    renewal = session.get(Renewal, rid)
    contract = session.get(Contract, renewal.contract_id)
    terms: ContractTerms = terms_for(session, renewal.contract_id, renewal.year_start)
    children, events, import_ids = _case_data(session, renewal.contract_id)
    outcomes = compute_outcomes(children, events, terms.year_start, terms.year_end,
                                Targets(terms.permanency_target, terms.safety_target, terms.reentry_target))
    months = _months(terms.year_start)
    earned = incentive(effective_on=contract.starts_on, year_start=terms.year_start,
                       cases_awarded=terms.cases_awarded, monthly_rate=terms.monthly_rate,
                       contract_target=terms.permanency_target, region_county=terms.region_county_permanency,
                       region_contractor=terms.region_contractor_permanency,
                       achieved_by_month=list(outcomes.permanency_by_month), appropriation=terms.appropriation)
    adjustments = [Adjustment(a.month, a.reason, a.cases, a.amount) for a in session.exec(
        select(PaymentAdjustment).where(PaymentAdjustment.contract_id == renewal.contract_id,
                                        PaymentAdjustment.month >= terms.year_start,
                                        PaymentAdjustment.month <= terms.year_end)).all()]
    payments = monthly_payments(year_start=terms.year_start, cases_awarded=terms.cases_awarded,
                                monthly_rate=terms.monthly_rate, adjustments=adjustments,
                                reentries_by_month=_reentries_by_month(events, months),
                                allowable_reentries=terms.allowable_reentries)
    served_ive = sum(1 for c in children if c.funding == "ive")
    ive_share = (Decimal(served_ive) / Decimal(len(children))) if children else Decimal(0)
    sections = method_sections(session, renewal.contract_id, terms.year_start, terms.year_end)
    import_ids |= {i for section in sections.values() for i in section["imports"]}
    imports = session.exec(select(CaseImport).where(CaseImport.id.in_(sorted(import_ids)))).all()
    return {
        "renewal_id": rid, "contract_id": renewal.contract_id, "contractor_id": contract.contractor_id,
        "region": contract.region, "year_start": terms.year_start.isoformat(), "year_end": terms.year_end.isoformat(),
        "version": version, "computed_on": as_of.isoformat(),
        "inputs": {"imports": [{"id": i.id, "kind": i.kind, "rows": i.rows, "sha256": i.sha256}
                               for i in sorted(imports, key=lambda i: (i.kind, i.id))],
                   "children": len(children), "events": len(events), "ive_share": str(ive_share.quantize(
                       Decimal("0.0001")))},
        "outcomes": _json([outcomes.permanency, outcomes.safety, outcomes.no_reentry]),
        "monitored": _json(list(outcomes.monitored)),
        "incentive": _monthly(_json(earned), "months"),
        "payments": [_month_label(p) for p in _json(payments)],
        "payments_total": str(sum((Decimal(p.paid) for p in payments), Decimal(0))),
        **_funding(payments, Decimal(earned.payment), ive_share, months, terms.year_end),
        "corrections": list(renewal.corrections),
        "sections": sections,
    }


@task(name="compute-renewal-figures", cache_policy=NO_CACHE)
def compute_figures(rid: str, version: str, as_of: date) -> dict:
    with transaction() as session:
        return figures_for(session, rid, version, as_of)


@task(name="write-renewal-report", cache_policy=NO_CACHE)
def final_report(rid: str, as_of: date) -> tuple[dict, str]:
    """The final figures, the HTML and PDF report with its charts, and the run's artifact linking it."""
    from tasks.renewal.report import publish_report_artifact, report_dir, write_report

    with transaction() as session:
        figures = figures_for(session, rid, "final", as_of)
    files = write_report(figures, report_dir(rid))
    publish_report_artifact(rid, files, "final")
    return figures, str(Path(files.pdf))


@task(name="next-year-defaults", cache_policy=NO_CACHE)
def next_year_defaults(rid: str, reduced_cases: int | None) -> dict:
    """This year's terms as the starting point of the next year's form."""
    with transaction() as session:
        renewal = session.get(Renewal, rid)
        t = terms_for(session, renewal.contract_id, renewal.year_start)
        return {"cases_awarded": reduced_cases or t.cases_awarded, "monthly_rate": t.monthly_rate,
                "permanency_target": t.permanency_target, "safety_target": t.safety_target,
                "reentry_target": t.reentry_target, "region_county_permanency": t.region_county_permanency,
                "region_contractor_permanency": t.region_contractor_permanency,
                "allowable_reentries": t.allowable_reentries, "appropriation": t.appropriation}


__all__ = ["compute_figures", "figures_for", "final_report", "next_year_defaults"]
