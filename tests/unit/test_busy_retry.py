"""`cwa server` runs a request again while Prefect answers "busy" (503), instead of leaving the wait to Prefect's
client (2 to 32 s between attempts): tasks/signin/busy.py."""

import asyncio
import time

import httpx
import pytest

from tasks.signin.busy import RetryBusy


class Prefect:
    """Stands in for Prefect's application: answers 503 `busy` times, then 201 with the body it was sent."""

    def __init__(self, busy: int, status: int = 503):
        self.busy, self.status, self.bodies = busy, status, []

    async def __call__(self, scope, receive, send):
        message = await receive()
        self.bodies.append(message["body"])
        refused = len(self.bodies) <= self.busy
        await send({"type": "http.response.start", "status": self.status if refused else 201, "headers": []})
        await send({"type": "http.response.body", "body": b"busy" if refused else message["body"]})


def _post(app, path: str = "/api/flow_runs/") -> httpx.Response:
    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cwa") as client:
            return await client.post(path, json={"flow_id": "F-1"})
    return asyncio.run(call())


def test_a_busy_answer_is_tried_again_with_the_same_body_and_the_client_sees_only_the_last():
    prefect = Prefect(busy=3)
    response = _post(RetryBusy(prefect, seconds=5))
    assert response.status_code == 201 and response.json() == {"flow_id": "F-1"}
    assert prefect.bodies == [b'{"flow_id":"F-1"}'] * 4


def test_still_busy_after_the_time_allowed_it_answers_503_with_retry_after():
    prefect = Prefect(busy=10_000)
    started = time.monotonic()
    response = _post(RetryBusy(prefect, seconds=0.4))
    assert 0.4 <= time.monotonic() - started < 2
    assert response.status_code == 503 and response.headers["retry-after"] == "1" and response.text == "busy"
    assert 3 <= len(prefect.bodies) < 20


@pytest.mark.parametrize("status, path, seconds", [(500, "/api/flow_runs/", 5), (503, "/ui/index.html", 5),
                                                  (503, "/api/flow_runs/", 0)],
                         ids=["another error", "not the API", "retries turned off"])
def test_is_answered_at_once(status, path, seconds):
    prefect = Prefect(busy=1, status=status)
    response = _post(RetryBusy(prefect, seconds=seconds), path)
    assert response.status_code == status and len(prefect.bodies) == 1
    assert "retry-after" not in response.headers
