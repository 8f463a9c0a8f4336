"""The sign-in layer in front of Prefect's server application (docs/architecture.md, "Signing in").

Every API request must carry a credential (or come through the trusted single-sign-on proxy); the allowlist
of models.access decides what the caller may do; a resume is bound to the staff member who signed in. The UI's
pages and its health checks stay open, and the UI is told to show its login page (auth "BASIC").
"""

import asyncio
import base64
import json
import logging
import time
from collections.abc import Awaitable, Callable

from anyio import to_thread

from models.access import RESUME, Caller, refusal
from tasks.context import transaction
from tasks.human.audit import audit
from tasks.signin.binding import claim_task, release_claim
from tasks.signin.identity import Identity, Unauthorized, Verifier

__all__ = ["SignInGate"]

OPEN_PATHS = frozenset({"/api/health", "/api/ready"})
MAX_BODY = 1_000_000
logger = logging.getLogger("cwa.server")

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


async def _json(send: Send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _audit_refusal(identity: Identity, method: str, path: str, reason: str) -> None:
    with transaction() as session:
        audit(session, actor=identity.id, action="signin.refused", subject_type="api", subject_id=path[:64],
              detail={"method": method, "path": path[:300], "reason": reason, "signed_in_via": identity.method,
                      "address": identity.address})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _address(scope: Scope) -> str:
    return (scope.get("client") or ("", 0))[0]


class SignInGate:
    """ASGI middleware: authenticate, authorize, bind resumes; everything else is Prefect's."""

    def __init__(self, app, verifier: Verifier, on_startup: Callable[[object], Awaitable[None]] | None = None,
                 slow_seconds: float = 0.0):
        self.app, self.verifier, self.on_startup = app, verifier, on_startup
        self.slow_seconds = slow_seconds  # an HTTP request slower than this is logged (0: none)
        self._startup_task: asyncio.Task | None = None  # kept referenced while it runs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.slow_seconds:
            return await self._dispatch(scope, receive, send)
        started = time.monotonic()
        try:
            await self._dispatch(scope, receive, send)
        finally:
            seconds = time.monotonic() - started
            if seconds >= self.slow_seconds:  # the path holds IDs only; the query string is left out
                logger.warning("slow request: %s %s took %.1f s", scope.get("method"), scope["path"], seconds)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, self._after_startup(send))
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope["path"]
        if scope["type"] == "http" and path.endswith("/ui-settings"):
            return await self._ui_settings(scope, receive, send)
        if not path.startswith("/api") or path in OPEN_PATHS:
            return await self.app(scope, receive, send)
        headers, address = _headers(scope), _address(scope)
        if scope["type"] == "websocket" and "authorization" not in headers and not self.verifier.single_sign_on(
                headers, address):
            return await self.app(scope, self._signed_in_by_first_message(scope, receive, send, address), send)
        try:
            identity = await self.verifier.identify(headers, address)
        except Unauthorized as exc:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008, "reason": str(exc)[:120]})
            return await _json(send, 401, {"exception_message": str(exc), "detail": str(exc)})
        method = scope.get("method", "GET")
        if scope["type"] == "websocket" and identity.caller is Caller.staff:
            return await send({"type": "websocket.close", "code": 1008, "reason": "staff use the UI, not sockets"})
        reason = refusal(identity.caller, method, path, scope.get("query_string", b"").decode("latin-1"))
        if reason:
            await to_thread.run_sync(_audit_refusal, identity, method, path, reason)
            return await _json(send, 403, {"detail": reason, "exception_message": reason})
        if scope["type"] == "http" and method == "POST" and RESUME.fullmatch(path):
            return await self._resume(scope, receive, send, identity)
        return await self.app(scope, receive, send)

    def _signed_in_by_first_message(self, scope: Scope, receive: Receive, send: Send, address: str) -> Receive:
        """Prefect's event subscribers (a worker's cancellation and suspension observers) open their socket
        without a header and sign in with its first message, {"type": "auth", "token": "<id>:<secret>"}: the
        token is checked here before Prefect reads the message; a bad one, or staff, closes the socket."""
        checked = False

        async def checked_receive() -> dict:
            nonlocal checked
            message = await receive()
            if checked or message["type"] != "websocket.receive":
                return message
            checked = True
            try:
                token = json.loads(message.get("text") or message.get("bytes") or b"{}")["token"]
                basic = "Basic " + base64.b64encode(str(token).encode()).decode()
                identity = await self.verifier.identify({"authorization": basic}, address)
                reason = ("staff use the UI, not sockets" if identity.caller is Caller.staff
                          else refusal(identity.caller, "GET", scope["path"], ""))
                if reason:
                    raise Unauthorized(reason)
            except (ValueError, TypeError, KeyError, Unauthorized) as exc:
                await send({"type": "websocket.close", "code": 1008, "reason": str(exc)[:120]})
                return {"type": "websocket.disconnect", "code": 1008}
            return message

        return checked_receive

    def _after_startup(self, send: Send) -> Send:
        """Start on_startup, in a task of its own, once Prefect's application has started (its database is
        migrated): a request made from the lifespan itself would wait for the lifespan."""
        async def relay(message: dict) -> None:
            await send(message)
            if message["type"] == "lifespan.startup.complete" and self.on_startup:
                self._startup_task = asyncio.get_running_loop().create_task(self.on_startup(self.app))
        return relay

    async def _resume(self, scope: Scope, receive: Receive, send: Send, identity: Identity) -> None:
        """Claim the task for the signed-in person, strip any `decided_by`, pass on; release if Prefect refuses."""
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                return await _json(send, 413, {"detail": "the answer is too large"})
        try:
            payload = json.loads(body or b"{}")
            run_input = payload.get("run_input") if isinstance(payload, dict) else None
        except ValueError:
            return await _json(send, 422, {"detail": "the resume body is not JSON"})
        if run_input is not None and not isinstance(run_input, dict):
            return await _json(send, 422, {"detail": "run_input must be an object of the form's fields"})
        flow_run_id = scope["path"].split("/")[3]
        claimed = run_input.pop("decided_by", None) if run_input else None
        reason = await to_thread.run_sync(claim_task, flow_run_id, identity, claimed)
        if reason:
            return await _json(send, 403, {"detail": reason, "exception_message": reason})
        new_body = json.dumps(payload).encode()
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"]
                                     if k.lower() not in (b"content-length", b"accept-encoding")]
                     + [(b"content-length", str(len(new_body)).encode())])
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": new_body, "more_body": False}

        status, chunks = 500, []

        async def capture(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay, capture)
        try:
            accepted = status < 300 and json.loads(b"".join(chunks) or b"{}").get("status") == "ACCEPT"
        except ValueError:
            accepted = False
        if not accepted:
            await to_thread.run_sync(release_claim, flow_run_id, identity)

    async def _ui_settings(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Prefect's UI settings, saying auth "BASIC" so that the UI shows its login page; behind the single
        sign-on proxy there is no login page."""
        auth = None if self.verifier.single_sign_on(_headers(scope), _address(scope)) else "BASIC"
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start, chunks = None, []

        async def capture(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        try:
            body = json.dumps(json.loads(body) | {"auth": auth}).encode()
        except (ValueError, TypeError):
            pass
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        await send(dict(start, headers=headers + [(b"content-length", str(len(body)).encode())]))
        await send({"type": "http.response.body", "body": body})
