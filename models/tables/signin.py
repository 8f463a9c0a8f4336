"""Credentials for signing in to the Prefect UI and API (docs/architecture.md, "Signing in"): staff passwords and
the service identities of the runner, the workers and the command line. Only argon2 hashes are kept."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.tables.core import timestamp, utcnow


class StaffCredential(SQLModel, table=True):
    """A staff member's password hash and the count of failed sign-ins that locks the account."""

    __tablename__ = "staff_credential"
    staff_id: str = Field(foreign_key="staff.id", primary_key=True, max_length=32)
    password_hash: str = Field(max_length=200)
    changed_at: datetime = timestamp(nullable=False, default=utcnow)
    failed_signins: int = 0
    locked_until: datetime | None = timestamp(nullable=True)


class ServiceAccount(SQLModel, table=True):
    """A process that calls the Prefect API: it runs flows, but never answers a human task."""

    __tablename__ = "service_account"
    id: str = Field(primary_key=True, max_length=32)
    secret_hash: str = Field(max_length=200)
    active: bool = True
    changed_at: datetime = timestamp(nullable=False, default=utcnow)
