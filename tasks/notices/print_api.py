"""Client of the print-and-mail service: one letter, sent by USPS first-class mail (docs/architecture.md,
"Notices").

The API is in the style of the common letters APIs (Lob's ``POST /v1/letters`` is the model):
HTTP basic auth; a multipart form with the PDF as ``file`` and the recipient as a JSON ``to`` object
(name, address_line1, address_line2, address_city, address_state, address_zip); the response is the
letter as JSON with ``id``, ``expected_delivery_date`` and ``status``. ``GET /v1/letters/{id}`` reads it back.

Exactly once: every request carries the notice's idempotency key in an ``Idempotency-Key`` header
(IETF draft-ietf-httpapi-idempotency-key-header), so a retry after a timeout, or after the process died
between the API accepting the letter and our commit, returns the letter created the first time rather
than mailing a second one. Providers keep keys for a limited time (Lob: 24 hours).

No retries here: the outbox loop retries with backoff. Failures map onto the hierarchy of tasks.notices.errors:
  TransientDeliveryError  5xx, 429, 408, 409 (same key still in flight), timeouts, connection errors;
                          ``retry_after`` (seconds, from a Retry-After header) and ``status`` are attributes.
  PermanentDeliveryError  any other 4xx (the API's error message), a 2xx that is not a letter (protocol error).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx

from tasks.notices.errors import PermanentDeliveryError, TransientDeliveryError

LETTERS_PATH = "/v1/letters"
TRANSIENT_4XX = {408, 409, 429}  # request timeout; key in use by a request still running; rate limited
ERROR_TEXT_LIMIT = 300


@dataclass(frozen=True)
class PrintApiConfig:
    base_url: str
    username: str
    password: str
    timeout: float = 10.0


@dataclass(frozen=True)
class LetterReceipt:
    provider_id: str
    expected_delivery: date | None
    status: str


def send_letter(client: httpx.Client, cfg: PrintApiConfig, *, pdf: bytes, recipient: dict,
                idempotency_key: str, description: str) -> LetterReceipt:
    """Ask the service to print and mail one letter; the same key always means the same letter."""
    key = _wire_key(idempotency_key)
    files = {"file": (f"{_safe_name(idempotency_key)}.pdf", pdf, "application/pdf")}
    data = {"to": json.dumps(recipient, ensure_ascii=False), "mail_type": "usps_first_class",
            "color": "false", "double_sided": "false", "description": description}
    return _call(client, cfg, "POST", LETTERS_PATH, headers={"Idempotency-Key": key}, data=data, files=files)


def get_letter(client: httpx.Client, cfg: PrintApiConfig, provider_id: str) -> LetterReceipt:
    """Read a letter back, to refresh its status and expected delivery date."""
    return _call(client, cfg, "GET", f"{LETTERS_PATH}/{quote(provider_id, safe='')}")


def _call(client: httpx.Client, cfg: PrintApiConfig, method: str, path: str, **kw) -> LetterReceipt:
    url = cfg.base_url.rstrip("/") + path
    try:
        response = client.request(method, url, auth=(cfg.username, cfg.password), timeout=cfg.timeout, **kw)
    except httpx.TimeoutException as exc:
        raise _transient(f"print API {method} {path}: timeout ({type(exc).__name__})") from exc
    except httpx.UnsupportedProtocol as exc:  # a base_url without http(s)://: a settings error
        raise PermanentDeliveryError(f"print API {method} {path}: {exc}") from exc
    except httpx.TransportError as exc:  # refused, reset, DNS, protocol errors: the letter may not exist
        raise _transient(f"print API {method} {path}: {type(exc).__name__}: {exc}") from exc
    status = response.status_code
    if status >= 500 or status in TRANSIENT_4XX:
        raise _transient(f"print API HTTP {status}: {_error_message(response)}", status,
                         _retry_after(response.headers.get("Retry-After")))
    if status >= 400:
        exc = PermanentDeliveryError(f"print API HTTP {status}: {_error_message(response)}")
        exc.status = status
        raise exc
    if not 200 <= status < 300:  # a redirect: base_url is wrong (http for https, a moved host)
        raise PermanentDeliveryError(f"print API HTTP {status}: unexpected response (check the base URL)")
    try:
        body = response.json()
        provider_id = body["id"] if isinstance(body, dict) else None
        if not isinstance(provider_id, str) or not provider_id:
            raise ValueError("no letter id")
        expected = body.get("expected_delivery_date")
        return LetterReceipt(provider_id=provider_id,
                             expected_delivery=date.fromisoformat(expected) if expected else None,
                             status=str(body.get("status") or ""))
    except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise PermanentDeliveryError(f"print API HTTP {status}: protocol error ({exc}): "
                                     f"{response.text[:ERROR_TEXT_LIMIT]!r}") from exc


def _transient(message: str, status: int | None = None, retry_after: float | None = None) -> TransientDeliveryError:
    exc = TransientDeliveryError(message)
    exc.status, exc.retry_after = status, retry_after
    return exc


def _error_message(response: httpx.Response) -> str:
    """The API's ``{"error": {"message": ...}}``, else the start of the body."""
    try:
        message = response.json()["error"]["message"]
        if isinstance(message, str) and message:
            return message[:ERROR_TEXT_LIMIT]
    except (ValueError, KeyError, TypeError):
        pass
    text = " ".join(response.text.split())
    return (text[:ERROR_TEXT_LIMIT] + "…" if len(text) > ERROR_TEXT_LIMIT else text) or response.reason_phrase


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _wire_key(key: str) -> str:
    """The key as sent: itself when it is a short printable-ASCII header value, else a stable digest of it."""
    if 0 < len(key) <= 255 and re.fullmatch(r"[\x21-\x7e]+", key):
        return key
    return "sha256-" + hashlib.sha256(key.encode()).hexdigest()


def _safe_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._")[:100] or "letter"
