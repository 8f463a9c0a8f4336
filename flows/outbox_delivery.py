"""Deliver the outbox (docs/architecture.md, "The outbox"): every few minutes, and at once when the daily sweep
has queued notices, so that retries with backoff happen between sweeps and a large batch never holds the sweep up."""

from prefect import flow

from tasks.notices import deliver_notices

DEPLOYMENT = "outbox-delivery/outbox-delivery"
EVERY_SECONDS = 300


@flow(name="outbox-delivery", flow_run_name="outbox-delivery")
def outbox_delivery() -> dict[str, int]:
    """Send every queued notice whose time has come; each exactly once."""
    return deliver_notices()
