"""Premium billing of the Hand-Up Pilot Program, 13 CSR 35-32.040 (4)(A)-(B): a deployment scheduled every day
(BILLING_CRON) that bills every enrolled participant not yet billed for the earliest month whose letters can
still reach the mail in time, in batches, then hands the premium letters to the mail transport. On most days
nobody is left to bill; a participant enrolled after the month's first run is billed the next morning. Running
it again changes nothing."""

from datetime import date
from time import perf_counter

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from models.handup import first_coverage_month
from tasks.context import division_today, settings
from tasks.handup.billing import bill_batch, check_billing_time, count_unbilled
from tasks.notices import deliver_notices

BILLING_CRON = "0 5 * * *"  # 05:00 every day, in the division's time zone (CWA_TIMEZONE)
DEPLOYMENT = "handup-billing/handup-billing"
COUNTS = ("bills", "notices", "credit_applied", "address_errors")


def _day(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def month_to_bill(coverage_month: date | None, as_of: date) -> date:
    """The month asked for, else the earliest month whose letters can still reach the mail in time (4)(A)."""
    if coverage_month:
        return coverage_month.replace(day=1)
    return first_coverage_month(as_of, settings().handup_transit_days)


def run_name() -> str:
    """handup-billing-YYYY-MM: the month this run bills."""
    from prefect.runtime import flow_run

    params = flow_run.parameters or {}
    month = month_to_bill(_day(params.get("coverage_month")), _day(params.get("as_of")) or division_today())
    return f"handup-billing-{month:%Y-%m}"


@flow(name="handup-billing", flow_run_name=run_name)
def handup_billing(coverage_month: date | None = None, as_of: date | None = None) -> dict:
    """(4)(B): bill each enrolled participant for the coverage month, due on its last day; (4)(A): a month asked
    for is refused when its letters could no longer reach the mail fifteen days (plus transit) before the due
    date. Without a month, the earliest month still in time is billed.
    Returns counts only (also published as artifacts)."""
    as_of = as_of or division_today()
    month = month_to_bill(coverage_month, as_of)
    dates = check_billing_time(month, as_of, settings().handup_transit_days)
    started = perf_counter()
    total = count_unbilled(month)
    progress = create_progress_artifact(0.0, description=f"Hand-Up billing for {month:%Y-%m}")
    counts = dict.fromkeys((*COUNTS, "batches"), 0)
    after, selected = "", 0
    while True:
        result = bill_batch(month, after, settings().handup_batch_size, as_of)
        if result.last_id is None:
            break
        for name in COUNTS:
            counts[name] += getattr(result, name)
        counts["batches"] += 1
        selected += result.selected
        after = result.last_id
        update_progress_artifact(progress, min(100.0, 100.0 * selected / max(total, 1)))
    update_progress_artifact(progress, 100.0)
    counts["seconds billing"] = round(perf_counter() - started, 2)
    delivery = deliver_notices()
    counts["seconds total"] = round(perf_counter() - started, 2)
    summary = {"coverage month": f"{month:%Y-%m}", "due on": dates.due_on.isoformat(),
               "mail by": dates.mail_by.isoformat(), **counts, **{f"delivery: {k}": v for k, v in delivery.items()}}
    create_markdown_artifact(
        key="handup-billing-summary",
        markdown="| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in summary.items()),
        description=f"Hand-Up billing summary for {month:%Y-%m} (counts only)",
    )
    return summary
