"""Outbox delivery over real SMTP: tasks.notices.outbox.queue_notice + tasks.notices.delivery.deliver_due.

The database is the session's test SQLite file (tests/conftest.py), shared with other tests: every test
queues notices under its own uuid idempotency keys and asserts only on those. deliver_due_emails() sends
every due notice in that database, so each test leaves its notices in a final state (sent or failed).

The SMTP server is a real aiosmtpd SmtpSink on CWA_SMTP_PORT, started and stopped per test (never left running).
"""

import os
import socket
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlmodel import select

from models.migrate import upgrade
from models.tables import Notice, NoticeStatus
from tasks.context import settings, transaction
from tasks.notices.delivery import deliver_due as deliver_due_emails
from tasks.notices.errors import PermanentDeliveryError, TransientDeliveryError
from tasks.notices.outbox import queue_notice
from tasks.notices.smtp import build_email, send_email
from tests.stack import SmtpSink, free_port

CONTEXT = {
    "division_name": "Missouri Children's Division",
    "notice_date": "March 4, 2025",
    "recipient_name": "José Núñez, Acme Care",
    "review_id": "HR-0001",
    "prospect_id": "P-0001",
    "decision": "may not perform",
    "reasons": "Recent conviction <b>and</b> no evidence of rehabilitation.",
    "decision_date": "March 3, 2025",
    "review_right": "The contractor may ask for an administrative review in writing.",
    "request_deadline": "March 18, 2025",
}

# (id, SMTP reply to DATA or None for "nothing listening", text expected in last_error)
TRANSIENT = [
    ("server-down", None, "ConnectionRefusedError"),
    ("451-try-later", "451 4.3.0 try later", "SMTP 451"),
    ("452-no-storage", "452 4.3.1 insufficient system storage", "SMTP 452"),
]
PERMANENT = [
    ("550-no-such-user", "550 5.1.1 no such user", "SMTP 550", "no such user"),
    ("554-rejected", "554 5.7.1 message rejected", "SMTP 554", "message rejected"),
]


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class Smtp:
    """The SMTP server our settings point at. up() starts a fresh SmtpSink (a stopped aiosmtpd
    Controller cannot be restarted), down() stops it; messages from every sink are kept."""

    def __init__(self, port: int):
        self.port = port
        self.sink: SmtpSink | None = None
        self.received: list = []

    def up(self, reply: str | None = None) -> SmtpSink:
        self.down()
        self.sink = SmtpSink(self.port).start()
        self.sink.reply = reply
        return self.sink

    def down(self) -> None:
        if self.sink is not None:
            self.sink.stop()
            self.received += self.sink.messages
            self.sink = None

    def refuse(self, reply: str | None) -> None:
        """Answer DATA with `reply` (None: stop the server, so that nothing listens)."""
        if reply is None:
            self.down()
        elif self.sink is None:
            self.up(reply)
        else:
            self.sink.reply = reply

    def messages(self, key: str) -> list:
        everything = self.received + (self.sink.messages if self.sink else [])
        # a long key is folded onto a continuation line; the parsed value then starts with a space
        return [m for m in everything if (m["X-Notice-Key"] or "").strip() == key]


@pytest.fixture(scope="module")
def database():
    url = settings().database_url
    assert url.startswith("sqlite:///") and "cwa-test-" in url, f"not the test database: {url}"
    upgrade(url)
    return url


@pytest.fixture
def smtp(database, monkeypatch):
    """Nothing listens until the test calls smtp.up(); whatever runs is stopped at teardown."""
    port = int(os.environ["CWA_SMTP_PORT"])
    assert settings().smtp_port == port
    if not _port_is_free(port):
        # In a single `pytest tests` run, tests/flows' session-scoped `stack` keeps its own SmtpSink on
        # CWA_SMTP_PORT until the session ends. Use a private port for this test process instead.
        port = free_port()
        monkeypatch.setattr(settings(), "smtp_port", port)
    server = Smtp(port)
    yield server
    server.down()


def new_key(label: str) -> str:
    return f"test-delivery:{label}:{uuid.uuid4()}"


def queue(key: str, **context) -> Notice | None:
    with transaction() as session:
        return queue_notice(
            session, notice_type="designee-decision", key=key, recipient_type="contractor",
            recipient_id="C-001", address="office@acme.example", subject_type="hiring_review",
            subject_id="HR-0001", context={**CONTEXT, **context},
        )


def notice(key: str) -> Notice:
    with transaction() as session:
        return session.exec(select(Notice).where(Notice.idempotency_key == key)).one()


def rows(key: str) -> int:
    with transaction() as session:
        return len(session.exec(select(Notice.id).where(Notice.idempotency_key == key)).all())


def make_due_now(key: str) -> None:
    with transaction() as session:
        session.exec(update(Notice).where(Notice.idempotency_key == key)
                     .values(next_attempt_at=datetime.now(timezone.utc) - timedelta(seconds=1)))


def unix(text: str) -> str:
    """Message bodies arrive with SMTP's CRLF line ends."""
    return text.replace("\r\n", "\n")


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# --- exactly once -------------------------------------------------------------------------------------


def test_notice_is_sent_exactly_once_across_delivery_runs(smtp):
    smtp.up()
    key = new_key("once")
    queue(key)

    deliver_due_emails()
    deliver_due_emails()

    assert len(smtp.messages(key)) == 1
    sent = notice(key)
    assert (sent.status, sent.attempts, sent.last_error) == (NoticeStatus.sent, 1, None)
    assert sent.sent_at is not None


def test_queueing_a_delivered_key_again_sends_nothing_more(smtp):
    smtp.up()
    key = new_key("requeue-after-send")
    queue(key)
    deliver_due_emails()

    assert queue(key) is None
    deliver_due_emails()

    assert len(smtp.messages(key)) == 1
    assert rows(key) == 1


def test_concurrent_delivery_runs_send_each_notice_once(smtp):
    smtp.up()
    keys = [new_key(f"concurrent-{i}") for i in range(6)]
    for key in keys:
        queue(key)
    errors: list[BaseException] = []

    def run():
        try:
            deliver_due_emails()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)

    assert errors == []
    assert [len(smtp.messages(k)) for k in keys] == [1] * len(keys)
    assert {(notice(k).status, notice(k).attempts) for k in keys} == {(NoticeStatus.sent, 1)}


@pytest.mark.parametrize("same_transaction", [False, True], ids=["separate-transactions", "same-transaction"])
def test_queueing_the_same_key_twice_creates_one_row(database, same_transaction):
    key = new_key("dup")
    if same_transaction:
        with transaction() as session:
            args = dict(notice_type="designee-decision", key=key, recipient_type="contractor",
                        recipient_id="C-001", address="office@acme.example", subject_type="hiring_review",
                        subject_id="HR-0001", context=CONTEXT)
            first, second = queue_notice(session, **args), queue_notice(session, **args)
    else:
        first, second = queue(key), queue(key, reasons="a different text")

    assert first is not None and second is None
    assert rows(key) == 1
    assert "a different text" not in notice(key).body_text
    with transaction() as session:  # leave nothing queued for other tests' deliveries
        session.exec(update(Notice).where(Notice.idempotency_key == key).values(status=NoticeStatus.failed))


# --- transient failures: retried ------------------------------------------------------------------------


@pytest.mark.parametrize("reply, error", [t[1:] for t in TRANSIENT], ids=[t[0] for t in TRANSIENT])
def test_transient_failure_keeps_notice_queued_then_delivers_once(smtp, reply, error):
    smtp.refuse(reply)
    key = new_key("transient")
    queue(key)

    deliver_due_emails()

    waiting = notice(key)
    assert (waiting.status, waiting.attempts) == (NoticeStatus.queued, 1)
    assert error in waiting.last_error
    assert waiting.next_attempt_at is not None and waiting.sent_at is None
    assert smtp.messages(key) == []

    smtp.up()  # a fresh server, answering 250
    deliver_due_emails()
    deliver_due_emails()

    delivered = notice(key)
    assert (delivered.status, delivered.attempts, delivered.last_error) == (NoticeStatus.sent, 2, None)
    assert len(smtp.messages(key)) == 1


def test_transient_failure_waits_for_its_backoff_which_doubles(smtp, monkeypatch):
    monkeypatch.setattr(settings(), "delivery_backoff_seconds", 600.0)
    smtp.up(reply="451 4.3.0 try later")
    key = new_key("backoff")
    queue(key)

    before = datetime.now(timezone.utc)
    deliver_due_emails()
    first = notice(key)
    assert timedelta(seconds=599) <= utc(first.next_attempt_at) - before <= timedelta(seconds=610)

    deliver_due_emails()  # not due yet: no attempt
    assert notice(key).attempts == 1

    make_due_now(key)
    before = datetime.now(timezone.utc)
    deliver_due_emails()
    second = notice(key)
    assert second.attempts == 2
    assert timedelta(seconds=1199) <= utc(second.next_attempt_at) - before <= timedelta(seconds=1210)

    smtp.sink.reply = None
    make_due_now(key)
    deliver_due_emails()
    assert (notice(key).status, len(smtp.messages(key))) == (NoticeStatus.sent, 1)


@pytest.mark.parametrize("reply, error", [t[1:] for t in TRANSIENT], ids=[t[0] for t in TRANSIENT])
def test_notice_fails_after_max_attempts_of_transient_failures(smtp, reply, error):
    max_attempts = settings().delivery_max_attempts
    smtp.refuse(reply)
    key = new_key("max-attempts")
    queue(key)

    for attempt in range(1, max_attempts):
        deliver_due_emails()
        assert (notice(key).status, notice(key).attempts) == (NoticeStatus.queued, attempt)

    deliver_due_emails()
    dead = notice(key)
    assert (dead.status, dead.attempts) == (NoticeStatus.failed, max_attempts)
    assert error in dead.last_error

    smtp.up()  # the server is fine again: a failed notice stays failed
    deliver_due_emails()
    assert (notice(key).status, notice(key).attempts) == (NoticeStatus.failed, max_attempts)
    assert smtp.messages(key) == []


# --- permanent failures: dead letter ---------------------------------------------------------------------


@pytest.mark.parametrize("reply, code, reason", [p[1:] for p in PERMANENT], ids=[p[0] for p in PERMANENT])
def test_permanent_failure_dead_letters_the_notice_without_retry(smtp, reply, code, reason):
    smtp.up(reply=reply)
    key = new_key("permanent")
    queue(key)

    deliver_due_emails()

    dead = notice(key)
    assert (dead.status, dead.attempts) == (NoticeStatus.failed, 1)
    assert code in dead.last_error and reason in dead.last_error
    assert dead.sent_at is None

    smtp.sink.reply = None
    deliver_due_emails()

    assert (notice(key).status, notice(key).attempts) == (NoticeStatus.failed, 1)
    assert smtp.messages(key) == []


# (id, RCPT reply, expected error class)
RCPT_REFUSALS = [
    ("rcpt-450-mailbox-busy", "450 4.2.1 mailbox busy", TransientDeliveryError),
    ("rcpt-550-no-such-user", "550 5.1.1 no such user", PermanentDeliveryError),
]


@pytest.mark.parametrize("reply, expected", [r[1:] for r in RCPT_REFUSALS], ids=[r[0] for r in RCPT_REFUSALS])
def test_refused_recipient_is_classified_by_its_reply_code(database, reply, expected):
    class RefuseRecipient:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return reply

    port = free_port()
    controller = Controller(RefuseRecipient(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        key = new_key("rcpt")
        msg = build_email(Notice(idempotency_key=key, address="office@acme.example", subject_line="s",
                                 body_text="text", body_html="<p>html</p>"), settings())
        with pytest.raises(expected, match="recipient refused"):
            send_email(msg, settings().model_copy(update={"smtp_port": port}))
    finally:
        controller.stop()


# --- the message ----------------------------------------------------------------------------------------


def test_email_has_plain_text_and_html_alternative_and_headers(smtp):
    smtp.up()
    key = new_key("mime")
    queue(key)
    deliver_due_emails()

    [msg] = smtp.messages(key)
    row = notice(key)
    cfg = settings()

    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    plain, html = (unix(p.get_content()) for p in msg.iter_parts())
    assert plain.rstrip("\n") == row.body_text.rstrip("\n")
    assert html.rstrip("\n") == row.body_html.rstrip("\n")
    assert "José Núñez" in plain and "José Núñez" in html
    assert "&lt;b&gt;and&lt;/b&gt;" in html
    assert (msg["From"], msg["To"], msg["Subject"]) == (cfg.smtp_from, "office@acme.example", row.subject_line)
    assert msg["Date"]
    assert msg["Message-ID"] == build_email(row, cfg)["Message-ID"]


def test_message_id_is_stable_for_a_key_and_differs_between_keys(database):
    cfg = settings()
    key, other = new_key("msgid"), new_key("msgid")

    def msg_id(k: str, text: str = "text") -> str:
        return build_email(Notice(idempotency_key=k, address="office@acme.example", subject_line="s",
                                  body_text=text, body_html=f"<p>{text}</p>"), cfg)["Message-ID"]

    assert msg_id(key) == msg_id(key) == msg_id(key, "another body")
    assert msg_id(key) != msg_id(other)
    assert msg_id(key).startswith("<") and msg_id(key).endswith("@cwa.notices>")


def test_retried_delivery_reuses_the_message_id(smtp):
    smtp.up(reply="451 4.3.0 try later")
    key = new_key("msgid-retry")
    queue(key)
    deliver_due_emails()
    expected = build_email(notice(key), settings())["Message-ID"]

    smtp.sink.reply = None
    deliver_due_emails()

    [msg] = smtp.messages(key)
    assert msg["Message-ID"] == expected


def test_longest_allowed_key_is_delivered_and_identifiable(smtp):
    smtp.up()
    key = new_key("long").ljust(200, "x")  # Notice.idempotency_key holds at most 200 characters
    queue(key)
    deliver_due_emails()

    [msg] = smtp.messages(key)
    assert notice(key).status == NoticeStatus.sent
    assert len(msg["Message-ID"]) < 80
