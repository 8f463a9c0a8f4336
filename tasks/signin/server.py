"""`cwa server`: Prefect's own server application (API, UI, background services) with the sign-in layer in
front, in one uvicorn process (docs/operations.md)."""

import asyncio
import os

import httpx

from models.roster import ROLE_NAMES
from tasks.context import settings
from tasks.signin.busy import RetryBusy, wait_briefly_for_sqlite
from tasks.signin.gate import SignInGate
from tasks.signin.identity import Verifier

__all__ = ["build_app", "role_filters", "serve"]
# Runs suspended in the last five years: a human task may wait for months.
_RANGE = {"object": "flowRun", "property": "range", "type": "", "operation": "",
          "value": {"type": "span", "seconds": -5 * 366 * 86400}}


def role_filters() -> list[dict]:
    """A saved filter of the Runs page per role: "Waiting for a director" shows the suspended runs tagged
    `awaiting:director` (docs/architecture.md, "Signing in")."""
    return [{"name": f"Waiting for {label}", "filters": [
        {"object": "flowRun", "property": "state", "type": "", "operation": "", "value": ["Suspended"]},
        {"object": "flowRun", "property": "tag", "type": "", "operation": "", "value": [f"awaiting:{role}"]},
        _RANGE]} for role, label in ROLE_NAMES.items()]


async def keep_role_filters(app) -> None:
    """Create or refresh the saved filters, through Prefect's own API in this process (retried while its
    database is busy)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cwa-server") as client:
        for saved in role_filters():
            for attempt in range(10):
                response = await client.put("/api/saved_searches/", json=saved)
                if response.status_code < 500:
                    break
                await asyncio.sleep(0.5 * (attempt + 1))
            response.raise_for_status()


def build_app():
    """Prefect's application behind the sign-in gate."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.server.api.server import create_app

    cfg = settings()
    wait_briefly_for_sqlite(cfg.prefect_sqlite_busy_seconds)
    proxies = frozenset(a.strip() for a in cfg.sso_proxies.split(",") if a.strip())
    prefect = RetryBusy(create_app(final=True), cfg.busy_retry_seconds)
    return SignInGate(prefect, Verifier(cfg.signin_cache_seconds, cfg.sso_header, proxies),
                      on_startup=keep_role_filters, slow_seconds=cfg.slow_request_seconds)


def serve(host: str, port: int, ssl_keyfile: str | None = None, ssl_certfile: str | None = None) -> None:
    """Serve until stopped; TLS when a key and certificate are given."""
    import uvicorn

    uvicorn.run(build_app(), host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
                log_level="info", timeout_keep_alive=5)
