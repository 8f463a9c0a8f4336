"""Renewals start ahead of each contract year's end (the sweep's step): one run per contract year, once."""

from datetime import date, timedelta

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models.tables import Contract, ContractTerms, Renewal
from tasks.context import settings, transaction
from tasks.human.audit import audit
from tasks.renewal.records import renewal_id

DEPLOYMENT = "contract-renewal/contract-renewal"


def start_renewal_run(contract_id: str, year_start: date, as_of: date | None = None) -> str:
    """A run of the renewal deployment (IDs only), never a subflow of the caller; returns its ID."""
    from prefect.deployments import run_deployment

    params = {"contract_id": contract_id, "year_start": year_start.isoformat()} | (
        {"as_of": as_of.isoformat()} if as_of else {})
    return str(run_deployment(DEPLOYMENT, parameters=params, timeout=0, as_subflow=False,
                              idempotency_key=f"renewal-{renewal_id(contract_id, year_start)}", _sync=True).id)


@task(name="start-due-renewals", cache_policy=NO_CACHE)
def start_due_renewals(as_of: date) -> dict[str, int]:
    """Every active contract whose year ends within CWA_RENEWAL_LEAD_DAYS and has no renewal yet gets one."""
    lead = timedelta(days=settings().renewal_lead_days)
    with transaction() as session:
        rows = session.exec(select(ContractTerms.contract_id, ContractTerms.year_start, ContractTerms.year_end)
                            .join(Contract, Contract.id == ContractTerms.contract_id)
                            .where(Contract.status == "active", ContractTerms.year_end >= as_of)).all()
        due = [(c, start) for c, start, end in rows
               if end - lead <= as_of and session.get(Renewal, renewal_id(c, start)) is None]
    started = 0
    for contract_id, year_start in due:
        run_id = start_renewal_run(contract_id, year_start, as_of)
        with transaction() as session:
            rid = renewal_id(contract_id, year_start)
            if session.get(Renewal, rid) is None:
                end = session.exec(select(ContractTerms.year_end).where(
                    ContractTerms.contract_id == contract_id, ContractTerms.year_start == year_start)).one()
                session.add(Renewal(id=rid, contract_id=contract_id, year_start=year_start, year_end=end,
                                    flow_run_id=run_id))
                audit(session, actor="deadline-sweep", action="renewal.started", subject_type="renewal",
                      subject_id=rid, rule="13 CSR 35-32.020 (13)", detail={"flow_run_id": run_id})
                started += 1
    return {"renewals started": started}
