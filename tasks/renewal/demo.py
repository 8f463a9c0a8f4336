"""A sample renewal for `cwa seed-demo`: contract K-DEMO's year ending within the sweep's lead time, 500 synthetic
children, the run waiting for the contract administrator to record the contractor's review."""

import io
from datetime import date, timedelta
from decimal import Decimal

from models.tables import Contract, ContractTerms, Renewal
from tasks.context import division_today
from tasks.demo import seed_one
from tasks.renewal.case_data import import_case_data
from tasks.renewal.records import renewal_id
from tasks.renewal.schedule import start_renewal_run
from tasks.renewal.synthetic import synthetic_contract_year

CONTRACT = "K-DEMO"  # a contract of Gateway Family Partners (C-001) that started with the demo year


def demo_year(today: date) -> tuple[date, date]:
    """A contract year that ends with the month a month from today: within the sweep's lead time."""
    ahead = today + timedelta(days=31)
    end = date(ahead.year + ahead.month // 12, ahead.month % 12 + 1, 1) - timedelta(days=1)
    after = end + timedelta(days=1)
    return date(after.year - 1, after.month, 1), end


def seed_demo_renewal(report=print) -> bool:
    """Store K-DEMO's terms and case data for the year and start its renewal."""
    start, end = demo_year(division_today())
    rid = renewal_id(CONTRACT, start)

    def store(session) -> None:
        session.merge(Contract(id=CONTRACT, contractor_id="C-001", region="St. Louis", starts_on=start,
                               ends_on=date(start.year + 3, start.month, 1) - timedelta(days=1)))
        session.flush()
        session.add(ContractTerms(
            contract_id=CONTRACT, year_start=start, year_end=end, cases_awarded=450, monthly_rate=Decimal("1850.00"),
            permanency_target=Decimal("30.00"), safety_target=Decimal("98.00"), reentry_target=Decimal("90.00"),
            region_county_permanency=Decimal("26.00"), region_contractor_permanency=Decimal("24.10"),
            allowable_reentries=5, appropriation=Decimal("250000.00"), recorded_by="seed-demo"))
        session.add(Renewal(id=rid, contract_id=CONTRACT, year_start=start, year_end=end))
        session.flush()
        for kind, text in synthetic_contract_year(CONTRACT, children=500, year_start=start, seed=1).items():
            import_case_data(session, kind=kind, stream=io.StringIO(text), actor="seed-demo")

    return seed_one(Renewal, rid, store, lambda _: start_renewal_run(CONTRACT, start), [], report)
