"""`cwa server` logs an API request slower than CWA_SLOW_REQUEST_SECONDS: its method and path, never its query."""

import asyncio
import logging

import httpx

from tasks.signin.gate import SignInGate
from tasks.signin.identity import Verifier


async def _prefect(scope, receive, send):
    """Stands in for Prefect's application: /api/health answers after 50 ms, the rest at once."""
    if scope["path"] == "/api/health":
        await asyncio.sleep(0.05)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def _get(gate: SignInGate, path: str) -> int:
    async def call() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gate), base_url="http://cwa") as client:
            return (await client.get(path)).status_code
    return asyncio.run(call())


def test_a_slow_request_is_logged_with_its_path_and_not_its_query(caplog):
    gate = SignInGate(_prefect, Verifier(60, "", frozenset()), slow_seconds=0.03)
    with caplog.at_level(logging.WARNING, logger="cwa.server"):
        assert _get(gate, "/api/health?participant=P-1") == 200
        assert _get(gate, "/ui/index.html") == 200
    assert [r.getMessage().split(" took ")[0] for r in caplog.records] == ["slow request: GET /api/health"]
    assert "participant" not in caplog.text


def test_no_request_is_logged_when_the_threshold_is_zero(caplog):
    gate = SignInGate(_prefect, Verifier(60, "", frozenset()), slow_seconds=0)
    with caplog.at_level(logging.WARNING, logger="cwa.server"):
        assert _get(gate, "/api/health") == 200
    assert not caplog.records
