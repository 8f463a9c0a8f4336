"""Premium billing of the Hand-Up Pilot Program, 13 CSR 35-32.040 (4)(A)-(B): a deployment scheduled every day
(BILLING_CRON) that bills every enrolled participant not yet billed for the earliest month whose letters can
still reach the mail in time, in batches, then hands the premium letters to the mail transport. On most days
nobody is left to bill; a participant enrolled after the month's first run is billed the next morning. Running
it again changes nothing. Several runs can share the month's batches over the workers (tasks/shared_runs.py)."""

from datetime import date
from time import perf_counter, sleep

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from models.handup import first_coverage_month
from tasks.context import division_today, settings
from tasks.handup.billing import bill_batch, check_billing_time, count_unbilled, unbilled_elsewhere
from tasks.notices import deliver_notices
from tasks.shared_runs import batch_runs, start_helper_runs

BILLING_CRON = "0 5 * * *"  # 05:00 every day, in the division's time zone (CWA_TIMEZONE)
DEPLOYMENT = "handup-billing/handup-billing"
COUNTS = ("bills", "notices", "credit_applied")


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
def handup_billing(coverage_month: date | None = None, as_of: date | None = None, runs: int | None = None,
                   helper: bool = False) -> dict:
    """(4)(B): bill each enrolled participant for the coverage month, due on its last day; (4)(A): a month asked
    for is refused when its letters could no longer reach the mail fifteen days (plus transit) before the due
    date. Without a month, the earliest month still in time is billed. `runs` (default CWA_BATCH_RUNS) runs share
    the batches over the workers (tasks/shared_runs.py); a helper is one of them.
    Returns counts only (also published as artifacts)."""
    as_of = as_of or division_today()
    month = month_to_bill(coverage_month, as_of)
    dates = check_billing_time(month, as_of, settings().handup_transit_days)
    started = perf_counter()
    more = 0 if helper else batch_runs(runs) - 1
    helpers = start_helper_runs(DEPLOYMENT, {"coverage_month": month.isoformat(), "as_of": as_of.isoformat()},
                                more) if more else []
    total = count_unbilled(month)
    progress = create_progress_artifact(0.0, description=f"Hand-Up billing for {month:%Y-%m}")
    counts = dict.fromkeys((*COUNTS, "batches", "passes"), 0)
    while True:  # a pass over the participants left to bill, until none is left that no other run holds
        counts["passes"] += 1
        billed, after = 0, ""
        while (result := bill_batch(month, after, settings().handup_batch_size, as_of)).last_id is not None:
            for name in COUNTS:
                counts[name] += getattr(result, name)
            counts["batches"] += 1
            billed, after = billed + result.bills, result.last_id
            update_progress_artifact(progress, 100.0 * (1 - count_unbilled(month) / max(total, 1)))
        if not billed and not unbilled_elsewhere(month):
            break
        if not billed:
            sleep(1)  # another run is billing a batch: if it dies, its participants come back to this run
    update_progress_artifact(progress, 100.0)
    counts["left unbilled (address to fix)"] = count_unbilled(month)
    counts["seconds billing"] = round(perf_counter() - started, 2)
    delivery = deliver_notices()
    counts["seconds total"] = round(perf_counter() - started, 2)
    summary = {"coverage month": f"{month:%Y-%m}", "due on": dates.due_on.isoformat(),
               "mail by": dates.mail_by.isoformat(), "helper runs": len(helpers), **counts,
               **{f"delivery: {k}": v for k, v in delivery.items()}}
    create_markdown_artifact(
        key="handup-billing-summary",
        markdown="| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in summary.items()),
        description=f"Hand-Up billing summary for {month:%Y-%m} (counts only)",
    )
    return summary
