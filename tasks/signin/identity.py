"""Who is calling: a staff member signed in with `STAFF-ID:password`, a service identity, or a person named by a
trusted single-sign-on proxy (docs/architecture.md, "Signing in").

A verified credential is cached in memory for a short while (argon2 takes about 0.15 s here, on purpose);
concurrent requests with the same credential wait for one verification.
"""

import asyncio
import base64
import binascii
import hashlib
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from anyio import to_thread
from sqlalchemy import func, or_
from sqlmodel import select

from models.access import Caller
from models.tables import Role, ServiceAccount, Staff, StaffCredential, StaffRole
from tasks.context import settings, transaction
from tasks.signin.passwords import matches, record_failure

__all__ = ["Identity", "Unauthorized", "Verifier"]


@dataclass(frozen=True)
class Identity:
    id: str
    caller: Caller
    roles: frozenset[str]
    method: str  # "password", "service" or "sso"
    address: str = ""


class Unauthorized(Exception):
    """No valid credential: 401, with a message the UI can show."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def decode_basic(authorization: str) -> tuple[str, str]:
    """("S-001", "password") from "Basic base64(S-001:password)"; Unauthorized when malformed."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        raise Unauthorized("sign in with your staff ID and password, as STAFF-ID:password")
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthorized("the credential is not valid base64 text") from None
    user, sep, secret = decoded.partition(":")
    if not sep or not user.strip() or not secret or len(user) > 32 or len(secret) > 1024:
        raise Unauthorized("sign in as STAFF-ID:password (your staff ID, a colon, your password)")
    return user.strip(), secret


def _staff_identity(session, staff: Staff, method: str) -> Identity:
    roles = frozenset(session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff.id)).all())
    caller = Caller.admin if Role.admin in roles else Caller.staff
    return Identity(staff.id, caller, roles, method)


def verify_password(user: str, secret: str, address: str) -> Identity:
    """Check a credential against our tables (blocking: argon2 and the database). A failure is recorded, and
    committed, before Unauthorized is raised."""
    with transaction() as session:
        outcome = _check(session, user, secret, address)
    if isinstance(outcome, str):
        raise Unauthorized(outcome)
    return outcome


def _check(session, user: str, secret: str, address: str) -> Identity | str:
    """The identity, or why the credential is refused."""
    cfg = settings()
    account = session.get(ServiceAccount, user)
    if account is not None:
        if account.active and matches(account.secret_hash, secret):
            return Identity(account.id, Caller.service, frozenset(), "service")
        return "the service credential was refused"
    staff, credential = session.get(Staff, user), session.get(StaffCredential, user)
    if staff is None or credential is None:
        matches(_DUMMY_HASH, secret)  # the same time as a real check: no hint that the ID exists
        return "the staff ID or the password is wrong"
    now = datetime.now(timezone.utc)
    if credential.locked_until and _aware(credential.locked_until) > now:
        return f"too many failed sign-ins: the account is locked until {_aware(credential.locked_until):%H:%M} UTC"
    if not matches(credential.password_hash, secret):
        record_failure(session, credential, limit=cfg.signin_max_failures,
                       lock=timedelta(minutes=cfg.signin_lock_minutes), address=address)
        return "the staff ID or the password is wrong"
    if not staff.active:
        return f"{staff.id} is no longer active on the staff roster"
    if credential.failed_signins:
        credential.failed_signins = 0
        session.add(credential)
    return _staff_identity(session, staff, "password")


def sso_identity(user: str) -> Identity:
    """The staff member a trusted proxy names, by staff ID or email (case-insensitive)."""
    with transaction() as session:
        staff = session.exec(select(Staff).where(or_(func.lower(Staff.id) == user.lower(),
                                                     func.lower(Staff.email) == user.lower()))).first()
        identity = _staff_identity(session, staff, "sso") if staff is not None and staff.active else None
    if identity is None:
        raise Unauthorized(f"the single sign-on user {user[:64]!r} is not an active staff member")
    return identity


class Verifier:
    """Authenticates requests; caches verified credentials for `cache_seconds`."""

    def __init__(self, cache_seconds: float, sso_header: str = "", sso_proxies: frozenset[str] = frozenset()):
        self.cache_seconds, self.sso_header, self.sso_proxies = cache_seconds, sso_header.lower(), sso_proxies
        self._cache: dict[str, tuple[Identity, float]] = {}
        self._pending: dict[str, asyncio.Future] = {}

    def single_sign_on(self, headers: dict[str, str], address: str) -> bool:
        """Whether a trusted proxy names the user of this request."""
        return bool(self.sso_header and address in self.sso_proxies and headers.get(self.sso_header))

    async def identify(self, headers: dict[str, str], address: str) -> Identity:
        if self.single_sign_on(headers, address):
            user = headers[self.sso_header].strip()
            identity = await self._cached(f"sso:{user}", lambda: sso_identity(user))
            return replace(identity, address=address)
        authorization = headers.get("authorization")
        if not authorization:
            raise Unauthorized("sign in with your staff ID and password, as STAFF-ID:password")
        user, secret = decode_basic(authorization)
        key = hashlib.sha256(authorization.encode()).hexdigest()
        identity = await self._cached(key, lambda: verify_password(user, secret, address))
        return replace(identity, address=address)

    async def _cached(self, key: str, verify) -> Identity:
        hit = self._cache.get(key)
        if hit and hit[1] > time.monotonic():
            return hit[0]
        if key in self._pending:
            return await asyncio.shield(self._pending[key])
        future = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            identity = await to_thread.run_sync(verify)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiting callers re-raise it
            raise
        finally:
            self._pending.pop(key, None)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (identity, time.monotonic() + self.cache_seconds)
        future.set_result(identity)
        return identity


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$HUhsBanC+p9c49bJckggHA$EAyYj1YvN6qtjEQvNY/4KbIoVydmEt3omDAlfsKqLns"
