"""The outbox: one row per notice and channel, delivered exactly once (docs/architecture.md, "The outbox")."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.tables.core import timestamp, utcnow


class NoticeStatus(StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"  # email accepted by the SMTP server; letter accepted by the print-and-mail service
    batched = "batched"  # letter in a mailroom batch, waiting for the mailroom to confirm it was mailed
    mailed = "mailed"
    delivered = "delivered"
    failed = "failed"  # dead letter: staff fix the cause and re-queue


class Channel(StrEnum):
    email = "email"
    mail = "mail"


class Notice(SQLModel, table=True):
    """The outbox : written with the decision, delivered exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    notice_type: str = Field(max_length=64)
    recipient_type: str = Field(max_length=32)
    recipient_id: str = Field(max_length=64)
    address: str = Field(max_length=254)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64, index=True)
    template: str = Field(max_length=100)
    template_version: str = Field(max_length=16)
    subject_line: str = Field(max_length=300)
    body_text: str
    body_html: str
    content_hash: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    idempotency_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=NoticeStatus.queued, max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = timestamp(nullable=True)
    claimed_at: datetime | None = timestamp(nullable=True)
    last_error: str | None = None
    created_at: datetime = timestamp(nullable=False, default=utcnow)
    sent_at: datetime | None = timestamp(nullable=True)
    postal_address: dict | None = Field(default=None, sa_column=Column(JSON))
    letter_body: str | None = None  # the notice's own text, before the email layout: what a letter prints
    letter_hash: str | None = Field(default=None, max_length=64)
    provider_id: str | None = Field(default=None, max_length=100)
    batch_id: str | None = Field(default=None, max_length=32, index=True)
    mailed_on: date | None = None
    expected_delivery: date | None = None
    delivered_on: date | None = None
    mail_by: date | None = Field(default=None, index=True)  # a letter the rule says must be mailed by this day
