"""Passwords and service secrets, hashed with argon2 (argon2-cffi); failed sign-ins lock an account for a while
(docs/architecture.md, "Signing in")."""

from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from models.errors import DomainError, NotFound
from models.tables import ServiceAccount, Staff, StaffCredential
from tasks.human.audit import audit

MIN_LENGTH = 12
_HASHER = PasswordHasher()


class WeakPassword(DomainError):
    """A password that the division's policy refuses."""


def check_strength(staff_id: str, password: str) -> None:
    """At least 12 characters, not the staff ID, not all one character."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if staff_id.lower() in password.lower() or len(set(password)) < 4:
        raise WeakPassword("a password may not contain the staff ID or repeat a few characters")


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def matches(secret_hash: str, secret: str) -> bool:
    """Whether secret is the one hashed (constant time in argon2)."""
    try:
        return _HASHER.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, *, staff_id: str, password: str, actor: str) -> None:
    """Store a staff member's new password (hashed), unlock the account, audit the change."""
    if session.get(Staff, staff_id) is None:
        raise NotFound(f"no staff member {staff_id!r}")
    check_strength(staff_id, password)
    credential = session.get(StaffCredential, staff_id) or StaffCredential(staff_id=staff_id, password_hash="")
    credential.password_hash, credential.failed_signins, credential.locked_until = hash_secret(password), 0, None
    credential.changed_at = datetime.now(timezone.utc)
    session.add(credential)
    audit(session, actor=actor, action="signin.password_set", subject_type="staff", subject_id=staff_id)


def set_service_secret(session: Session, *, account_id: str, secret: str, actor: str) -> None:
    """Create or re-key a service identity (the runner, a worker, the command line)."""
    if len(secret) < 24:
        raise WeakPassword("a service secret needs at least 24 characters")
    account = session.get(ServiceAccount, account_id) or ServiceAccount(id=account_id, secret_hash="")
    account.secret_hash, account.active, account.changed_at = hash_secret(secret), True, datetime.now(timezone.utc)
    session.add(account)
    audit(session, actor=actor, action="signin.service_secret_set", subject_type="service", subject_id=account_id)


def record_failure(session: Session, credential: StaffCredential, *, limit: int, lock: timedelta,
                   address: str) -> None:
    """One more failed sign-in; the limit-th locks the account for `lock`, audited."""
    credential.failed_signins += 1
    if credential.failed_signins >= limit:
        credential.locked_until = datetime.now(timezone.utc) + lock
        credential.failed_signins = 0
        audit(session, actor=credential.staff_id, action="signin.locked", subject_type="staff",
              subject_id=credential.staff_id,
              detail={"until": credential.locked_until.isoformat(), "address": address, "failures": limit})
    session.add(credential)
