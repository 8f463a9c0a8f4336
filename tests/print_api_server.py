"""A print-and-mail service on loopback for tests: a real HTTP server imitating ``POST /v1/letters`` and
``GET /v1/letters/{id}`` as tasks/notices/print_api.py expects them (a Lob-like letters API).

    with PrintApiServer() as server:          # port 0: the OS picks a free port; server.url has it
        server.fail_next([500, 500])          # the next two requests get these answers, nothing is created
        server.fail_next([429], retry_after=3)
        server.delay_next(2.0)                # the next request is handled (letter created), answered 2 s late
        ...
        server.letter_count, server.letters, server.requests

What it checks, like the real service: basic auth (401), a multipart form with ``mail_type=usps_first_class``
(400), a ``file`` that is a PDF (starts with ``%PDF``) (400), a ``to`` object with a name, line 1, city,
a US state code and a ZIP code (400). Errors are JSON ``{"error": {"message": ..., "status_code": ...}}``.

Idempotency: a letter is stored under its Idempotency-Key once it passed validation; the same key again
returns that letter (same id, HTTP 200) and never creates a second one. A new letter is HTTP 201.
"""

import base64
import itertools
import json
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "AS", "GU", "MP", "PR", "VI",
})


@dataclass
class ReceivedLetter:
    """A letter the service accepted, with what it received."""

    id: str
    idempotency_key: str
    recipient: dict
    description: str
    mail_type: str
    color: str
    double_sided: str
    pdf: bytes
    filename: str
    pdf_content_type: str
    username: str
    expected_delivery_date: date
    status: str = "processed_for_delivery"


@dataclass
class ReceivedRequest:
    """Every request, answered or not: for asserting on headers and retries."""

    method: str
    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class _Scripted:
    status: int
    retry_after: int | None = None
    message: str = ""
    body: bytes | None = None


@dataclass
class PrintApiServer:
    username: str = "test_key"
    password: str = ""  # Lob style: the API key is the user name, the password is empty
    letters: dict[str, ReceivedLetter] = field(default_factory=dict)
    requests: list[ReceivedRequest] = field(default_factory=list)
    replays: int = 0  # requests answered with an existing letter because the key was seen before

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, str] = {}
        self._failures: deque[_Scripted] = deque()
        self._delays: deque[float] = deque()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- scripting -------------------------------------------------------------------------------------

    def fail_next(self, statuses: list[int], *, retry_after: int | None = None, message: str = "",
                  body: bytes | None = None) -> None:
        """Answer the next requests with these statuses (in order) before doing anything else: nothing is
        created. The answer is the JSON error with ``message``, or ``body`` as it is (for protocol errors)."""
        with self._lock:
            self._failures.extend(_Scripted(s, retry_after, message, body) for s in statuses)

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """Handle the next ``count`` requests normally but send the answer ``seconds`` late."""
        with self._lock:
            self._delays.extend([seconds] * count)

    @property
    def letter_count(self) -> int:
        with self._lock:
            return len(self.letters)

    def letter_for_key(self, key: str) -> ReceivedLetter | None:
        with self._lock:
            letter_id = self._by_key.get(key)
            return self.letters.get(letter_id) if letter_id else None

    def set_status(self, letter_id: str, status: str) -> None:
        with self._lock:
            self.letters[letter_id].status = status

    # ---- lifecycle -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"api": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="print-api-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (the port then refuses connections); delayed answers are released at once."""
        if self._thread is None:  # never started, or stopped already
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.drop_connections()
        self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the service -----------------------------------------------------------------------------------

    def _handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict | bytes, dict]:
        """(status, JSON body or raw bytes, extra headers) for one request."""
        if not self._authorized(headers.get("Authorization", "")):
            return 401, _error(401, "Missing or invalid API key."), {"WWW-Authenticate": 'Basic realm="letters"'}
        with self._lock:
            scripted = self._failures.popleft() if self._failures else None
        if scripted is not None:
            extra = {"Retry-After": str(scripted.retry_after)} if scripted.retry_after is not None else {}
            payload = scripted.body if scripted.body is not None else _error(
                scripted.status, scripted.message or f"scripted {scripted.status}")
            return scripted.status, payload, extra
        if method == "GET" and path.startswith("/v1/letters/"):
            with self._lock:
                letter = self.letters.get(path.removeprefix("/v1/letters/"))
                return (200, _letter_json(letter), {}) if letter else (404, _error(404, "letter not found"), {})
        if method == "POST" and path == "/v1/letters":
            return self._create(headers, body)
        return 404, _error(404, f"no route {method} {path}"), {}

    def _authorized(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return (user, password) == (self.username, self.password)

    def _create(self, headers, body: bytes) -> tuple[int, dict, dict]:
        key = headers.get("Idempotency-Key", "")
        with self._lock:
            if key and key in self._by_key:
                self.replays += 1
                return 200, _letter_json(self.letters[self._by_key[key]]), {}
        try:
            form = _parse_multipart(headers.get("Content-Type", ""), body)
            letter = _validate(form)
        except _Invalid as exc:
            return exc.status, _error(exc.status, str(exc)), {}
        user = base64.b64decode(headers["Authorization"].split(" ", 1)[1]).decode().partition(":")[0]
        with self._lock:
            if key and key in self._by_key:  # a concurrent request with the same key got here first
                self.replays += 1
                return 200, _letter_json(self.letters[self._by_key[key]]), {}
            letter_id = f"ltr_{next(self._ids):016x}"
            self.letters[letter_id] = ReceivedLetter(id=letter_id, idempotency_key=key, username=user,
                                                     expected_delivery_date=date.today() + timedelta(days=4),
                                                     **letter)
            if key:
                self._by_key[key] = letter_id
            return 201, _letter_json(self.letters[letter_id]), {}


class _Invalid(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, bytes]]:
    """name -> (filename, content type, bytes), with the stdlib email parser (cgi is deprecated)."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise _Invalid("Content-Type must be multipart/form-data", 415)
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise _Invalid("malformed multipart body")
    form = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            form[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True) or b"")
    return form


def _validate(form: dict) -> dict:
    def text(name: str, default: str | None = None) -> str:
        if name not in form:
            if default is None:
                raise _Invalid(f"{name} is required")
            return default
        return form[name][2].decode()

    mail_type = text("mail_type")
    if mail_type != "usps_first_class":
        raise _Invalid(f"mail_type must be usps_first_class, not {mail_type!r}")
    if "file" not in form:
        raise _Invalid("file is required")
    filename, content_type, pdf = form["file"]
    if not pdf.startswith(b"%PDF"):
        raise _Invalid("file must be a PDF")
    try:
        recipient = json.loads(text("to"))
    except json.JSONDecodeError:
        raise _Invalid("to must be a JSON address object") from None
    if not isinstance(recipient, dict):
        raise _Invalid("to must be a JSON address object")
    for required in ("name", "address_line1", "address_city", "address_state", "address_zip"):
        if not str(recipient.get(required) or "").strip():
            raise _Invalid(f"to.{required} is required")
    if recipient["address_state"] not in US_STATES:
        raise _Invalid(f"to.address_state must be a 2 letter US state code, not {recipient['address_state']!r}")
    zip_code = str(recipient["address_zip"])
    if not (len(zip_code) in (5, 10) and zip_code[:5].isdigit() and (len(zip_code) == 5 or zip_code[5] == "-")):
        raise _Invalid(f"to.address_zip must be a ZIP or ZIP+4 code, not {zip_code!r}")
    return {"recipient": recipient, "description": text("description", ""), "mail_type": mail_type,
            "color": text("color", "false"), "double_sided": text("double_sided", "true"), "pdf": pdf,
            "filename": filename or "", "pdf_content_type": content_type}


def _letter_json(letter: ReceivedLetter) -> dict:
    return {"id": letter.id, "object": "letter", "description": letter.description, "to": letter.recipient,
            "mail_type": letter.mail_type, "color": letter.color == "true",
            "double_sided": letter.double_sided == "true",
            "expected_delivery_date": letter.expected_delivery_date.isoformat(), "status": letter.status}


def _error(status: int, message: str) -> dict:
    return {"error": {"message": message, "status_code": status}}


class _QuietServer(ThreadingHTTPServer):
    """Keeps its open connections so that stopping drops them too, as a crashed service would."""

    daemon_threads = True

    def __init__(self, *args, **kw) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kw)

    def process_request(self, request, client_address) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self.connections_lock:
            open_now, self.connections = list(self.connections), set()
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:  # a client that timed out and hung up
        pass


class _Handler(BaseHTTPRequestHandler):
    api: PrintApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        record = ReceivedRequest(method, self.path, dict(self.headers.items()))
        with self.api._lock:
            self.api.requests.append(record)
            delay = self.api._delays.popleft() if self.api._delays else 0.0
        status, payload, extra = self.api._handle(method, self.path, self.headers, body)
        record.status = status
        if delay:
            self.api._stopping.wait(delay)
        raw = isinstance(payload, bytes)
        data = payload if raw else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream" if raw else "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
