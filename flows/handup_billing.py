"""Monthly premium billing of the Hand-Up Pilot Program, 13 CSR 35-32.040 (4)(A)-(B): a scheduled deployment
(BILLING_CRON) that bills every enrolled participant for the coverage month in batches, then hands the premium
letters to the mail transport. Running it again for the same month changes nothing."""

from datetime import date
from time import perf_counter

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from tasks.context import division_today, settings
from tasks.handup.billing import bill_batch, check_billing_time, count_unbilled
from tasks.notices import deliver_notices

BILLING_CRON = "0 5 1 * *"  # 05:00 on the 1st of each month, in the division's time zone (CWA_TIMEZONE)
DEPLOYMENT = "handup-billing/handup-billing"
COUNTS = ("bills", "notices", "credit_applied", "address_errors")


def _month(value) -> str:
    return (date.fromisoformat(str(value)[:10]) if value else division_today()).strftime("%Y-%m")


def run_name() -> str:
    """handup-billing-YYYY-MM: the coverage month, or the month of as_of (or of today) when none is given."""
    from prefect.runtime import flow_run

    params = flow_run.parameters or {}
    return f"handup-billing-{_month(params.get('coverage_month') or params.get('as_of'))}"


@flow(name="handup-billing", flow_run_name=run_name)
def handup_billing(coverage_month: date | None = None, as_of: date | None = None) -> dict:
    """(4)(B): bill each enrolled participant for the coverage month, due on its last day; (4)(A): refused when
    the premium letters could no longer reach the mail fifteen days (plus transit) before the due date.
    Returns counts only (also published as artifacts)."""
    as_of = as_of or division_today()
    month = (coverage_month or as_of).replace(day=1)
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
