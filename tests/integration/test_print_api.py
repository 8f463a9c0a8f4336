"""tasks/notices/print_api.py against a real HTTP server on loopback (tests/print_api_server.py) over httpx.

Each test starts its own server on a free port and stops it afterwards. Where a test needs the caller's
retries, `deliver` below plays the outbox loop: it calls send_letter again with the same idempotency key
after a transient error and gives up at once on a permanent one (the real loop waits between attempts).
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest

from tasks.notices.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from tasks.notices.print_api import LetterReceipt, PrintApiConfig, get_letter, send_letter
from tests.print_api_server import PrintApiServer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RECIPIENT = {
    "name": "José Núñez, Acme Care",
    "address_line1": "221 W High St",
    "address_line2": "Suite 400",
    "address_city": "Jefferson City",
    "address_state": "MO",
    "address_zip": "65101-1234",
}


@pytest.fixture
def server():
    with PrintApiServer() as running:
        yield running


@pytest.fixture
def cfg(server: PrintApiServer) -> PrintApiConfig:
    return PrintApiConfig(server.url, server.username, server.password, timeout=2.0)


@pytest.fixture
def client():
    with httpx.Client() as http:
        yield http


def new_key() -> str:
    return f"hiring_review_decision:HR-{uuid.uuid4().hex[:8]}:decision:mail"


def send(client: httpx.Client, cfg: PrintApiConfig, key: str, *, pdf: bytes = PDF,
         recipient: dict | None = None) -> LetterReceipt:
    return send_letter(client, cfg, pdf=pdf, recipient=recipient or RECIPIENT, idempotency_key=key,
                       description="hiring_review_decision HR-0001")


@dataclass
class Delivery:
    receipt: LetterReceipt | None = None
    errors: list[DeliveryError] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        return len(self.errors) + (self.receipt is not None)


def deliver(client: httpx.Client, cfg: PrintApiConfig, key: str, *, max_attempts: int = 5, **kw) -> Delivery:
    """The delivery loop in small: retry transient errors with the same key, stop on a permanent one."""
    outcome = Delivery()
    for _ in range(max_attempts):
        try:
            outcome.receipt = send(client, cfg, key, **kw)
            return outcome
        except TransientDeliveryError as exc:
            outcome.errors.append(exc)
        except PermanentDeliveryError as exc:
            outcome.errors.append(exc)
            return outcome
    return outcome


# ---- the happy path -----------------------------------------------------------------------------------


def test_a_letter_is_sent_with_pdf_recipient_first_class_auth_and_key(server, cfg, client):
    key = new_key()
    receipt = send(client, cfg, key)

    letter = server.letters[receipt.provider_id]
    assert receipt.provider_id.startswith("ltr_")
    assert receipt.expected_delivery == letter.expected_delivery_date and isinstance(receipt.expected_delivery, date)
    assert receipt.status == "processed_for_delivery"
    assert letter.pdf == PDF and letter.pdf_content_type == "application/pdf"
    assert letter.filename == f"{key.replace(':', '_')}.pdf"
    assert letter.recipient == RECIPIENT
    assert (letter.mail_type, letter.color, letter.double_sided) == ("usps_first_class", "false", "false")
    assert letter.description == "hiring_review_decision HR-0001"
    assert letter.username == server.username
    assert letter.idempotency_key == key
    request = server.requests[-1]
    assert (request.method, request.path, request.status) == ("POST", "/v1/letters", 201)
    assert request.headers["Idempotency-Key"] == key
    assert request.headers["Authorization"].startswith("Basic ")
    assert server.letter_count == 1


def test_different_keys_make_different_letters(server, cfg, client):
    first, second = send(client, cfg, new_key()), send(client, cfg, new_key())
    assert first.provider_id != second.provider_id
    assert server.letter_count == 2


def test_get_letter_reads_the_status_back(server, cfg, client):
    sent = send(client, cfg, new_key())
    server.set_status(sent.provider_id, "in_transit")

    refreshed = get_letter(client, cfg, sent.provider_id)

    assert refreshed == LetterReceipt(sent.provider_id, sent.expected_delivery, "in_transit")
    assert server.requests[-1].path == f"/v1/letters/{sent.provider_id}"


def test_get_letter_of_an_unknown_id_is_permanent(cfg, client):
    with pytest.raises(PermanentDeliveryError, match="404.*letter not found"):
        get_letter(client, cfg, "ltr_doesnotexist")


# ---- transient failures: the caller retries with the same key, one letter in the end -------------------

TRANSIENT_SCRIPTS = [
    ("500-500-then-201", [500, 500]),
    ("502-then-201", [502]),
    ("503-504-then-201", [503, 504]),
    ("429-then-201", [429]),
    ("409-key-in-flight-then-201", [409]),
]


@pytest.mark.parametrize("statuses", [s for _, s in TRANSIENT_SCRIPTS], ids=[i for i, _ in TRANSIENT_SCRIPTS])
def test_transient_errors_are_retried_into_exactly_one_letter(server, cfg, client, statuses):
    server.fail_next(statuses)
    key = new_key()

    outcome = deliver(client, cfg, key)

    assert outcome.receipt is not None and outcome.attempts == len(statuses) + 1
    assert all(type(e) is TransientDeliveryError for e in outcome.errors)
    assert [e.status for e in outcome.errors] == statuses
    assert server.letter_count == 1
    assert server.letter_for_key(key).id == outcome.receipt.provider_id


def test_429_exposes_retry_after_seconds(server, cfg, client):
    server.fail_next([429], retry_after=3, message="Too many requests")

    with pytest.raises(TransientDeliveryError, match="429: Too many requests") as caught:
        send(client, cfg, new_key())

    assert caught.value.retry_after == 3 and caught.value.status == 429
    assert server.letter_count == 0


def test_a_5xx_without_retry_after_has_none(server, cfg, client):
    server.fail_next([503])
    with pytest.raises(TransientDeliveryError) as caught:
        send(client, cfg, new_key())
    assert caught.value.retry_after is None


def test_a_5xx_html_body_is_quoted_short(server, cfg, client):
    server.fail_next([502], body=b"<html><body><h1>502 Bad Gateway</h1>" + b"x" * 2000 + b"</body></html>")
    with pytest.raises(TransientDeliveryError, match="502: <html><body><h1>502 Bad Gateway") as caught:
        send(client, cfg, new_key())
    assert len(str(caught.value)) < 400


def test_a_timeout_is_transient_and_the_retry_returns_the_letter_already_created(server, cfg, client):
    server.delay_next(3.0)  # the service creates the letter but answers after our timeout
    fast = PrintApiConfig(cfg.base_url, cfg.username, cfg.password, timeout=0.3)
    key = new_key()

    outcome = deliver(client, fast, key)

    assert len(outcome.errors) == 1 and type(outcome.errors[0]) is TransientDeliveryError
    assert "timeout" in str(outcome.errors[0])
    assert outcome.receipt.provider_id == server.letter_for_key(key).id
    assert server.letter_count == 1 and server.replays == 1


def test_process_killed_after_the_api_accepted_and_before_our_commit(server, cfg, client):
    key = new_key()
    send(client, cfg, key)  # accepted by the service; the receipt dies with the process, nothing committed

    after_restart = send(client, cfg, key)  # the notice is still due: the outbox sends it again

    assert after_restart.provider_id == server.letter_for_key(key).id
    assert server.letter_count == 1
    assert [r.status for r in server.requests] == [201, 200]


@pytest.mark.parametrize("pooled", [False, True], ids=["fresh-client", "pooled-connection"])
def test_connection_refused_when_the_service_is_down_is_transient(server, cfg, client, pooled):
    if pooled:
        send(client, cfg, new_key())  # leaves a keep-alive connection in the client's pool
    server.stop()

    with pytest.raises(TransientDeliveryError, match="ConnectError") as caught:
        send(client, cfg, new_key())

    assert caught.value.status is None and caught.value.retry_after is None


# ---- permanent failures: no retry, no letter -----------------------------------------------------------

PERMANENT = [
    # (id, what is wrong, HTTP status, text in the error)
    ("bad-state-code", {"recipient": {**RECIPIENT, "address_state": "XX"}}, 400, "address_state"),
    ("bad-zip", {"recipient": {**RECIPIENT, "address_zip": "6510"}}, 400, "address_zip"),
    ("no-street", {"recipient": {**RECIPIENT, "address_line1": ""}}, 400, "address_line1 is required"),
    ("not-a-pdf", {"pdf": b"<html>letter</html>"}, 400, "file must be a PDF"),
    ("wrong-password", {"password": "wrong"}, 401, "invalid API key"),
    ("scripted-403", {"script": (403, "account suspended")}, 403, "account suspended"),
    ("scripted-422", {"script": (422, "address undeliverable")}, 422, "address undeliverable"),
]


@pytest.mark.parametrize("wrong, status, text", [p[1:] for p in PERMANENT], ids=[p[0] for p in PERMANENT])
def test_client_errors_are_permanent_and_not_retried(server, cfg, client, wrong, status, text):
    wrong = dict(wrong)
    if "password" in wrong:
        cfg = PrintApiConfig(cfg.base_url, cfg.username, wrong.pop("password"), cfg.timeout)
    if "script" in wrong:
        code, message = wrong.pop("script")
        server.fail_next([code], message=message)

    outcome = deliver(client, cfg, new_key(), **wrong)

    assert outcome.receipt is None and outcome.attempts == 1
    assert type(outcome.errors[0]) is PermanentDeliveryError
    assert f"HTTP {status}" in str(outcome.errors[0]) and text in str(outcome.errors[0])
    assert outcome.errors[0].status == status
    assert len(server.requests) == 1 and server.letter_count == 0


PROTOCOL_ERRORS = [
    ("200-without-id", 200, b'{"status": "ok"}'),
    ("201-not-json", 201, b"Created"),
    ("200-json-list", 200, b"[]"),
    ("200-bad-date", 200, b'{"id": "ltr_1", "expected_delivery_date": "next week"}'),
]


@pytest.mark.parametrize("status, body", [p[1:] for p in PROTOCOL_ERRORS], ids=[p[0] for p in PROTOCOL_ERRORS])
def test_a_2xx_that_is_not_a_letter_is_a_permanent_protocol_error(server, cfg, client, status, body):
    server.fail_next([status], body=body)
    with pytest.raises(PermanentDeliveryError, match=f"HTTP {status}: protocol error"):
        send(client, cfg, new_key())


def test_the_service_rejects_a_wrong_mail_type(server, cfg):
    """The imitation checks what the real service checks (send_letter itself always asks for first class)."""
    response = httpx.post(f"{server.url}/v1/letters", auth=(cfg.username, cfg.password),
                          headers={"Idempotency-Key": new_key()},
                          data={"to": json.dumps(RECIPIENT), "mail_type": "usps_standard"},
                          files={"file": ("a.pdf", PDF, "application/pdf")})
    assert response.status_code == 400
    assert "usps_first_class" in response.json()["error"]["message"]
    assert server.letter_count == 0
