"""The mail transports fail and come back (docs/architecture.md, "The outbox"): SMTP down for a whole delivery
run and the print-and-mail API answering 500 before 201; once they are back each notice goes out exactly once."""

import uuid
from collections import Counter

import pytest
from sqlmodel import select

from models.migrate import upgrade
from models.tables import Notice
from tasks.context import settings, transaction
from tasks.notices.delivery import deliver_due
from tasks.notices.outbox import Recipient, notify
from tests.print_api_server import PrintApiServer
from tests.stack import SmtpSink, free_port

NOTICES = 30
DECISION = {"division_name": "Missouri Children's Division", "notice_date": "2026-11-24", "review_id": "HR-FAULT",
            "prospect_id": "P-FAULT", "decision": "may not provide case management", "reasons": "Relevant findings.",
            "decision_date": "2026-11-24", "review_right": "You may request an administrative review in writing.",
            "request_deadline": "2026-12-24"}
ADDRESS = {"name": "Gateway Family Partners", "line1": "1200 Market St", "line2": "", "city": "St. Louis",
           "state": "MO", "zip_code": "63103"}


@pytest.fixture
def transports(monkeypatch):
    """SMTP on a port where nothing listens yet; the print API up, its answers scripted by the test."""
    upgrade(settings().database_url)
    port = free_port()
    with PrintApiServer() as api:
        for name, value in (("smtp_port", port), ("smtp_timeout", 2.0), ("mail_transport", "print-api"),
                            ("print_api_url", api.url), ("print_api_username", api.username),
                            ("print_api_password", api.password), ("print_api_timeout", 2.0),
                            ("delivery_backoff_seconds", 0.0), ("delivery_max_attempts", 5)):
            monkeypatch.setattr(settings(), name, value)
        yield port, api


def queue(batch: str) -> list[str]:
    """Decisions to a contractor who opted in: a letter and an email copy each."""
    keys = [f"designee-decision:{batch}:{n}" for n in range(NOTICES)]
    recipient = Recipient(type="contractor", id="C-001", name="Gateway Family Partners",
                          email="intake@gateway-family.example", email_opt_in=True, postal=ADDRESS)
    with transaction() as session:
        for key in keys:
            notify(session, notice_type="designee-decision", key=key, recipient=recipient,
                   subject_type="hiring_review", subject_id="HR-FAULT", context=DECISION)
    return keys


def statuses(batch: str) -> Counter:
    with transaction() as session:
        return Counter((n.channel, n.status) for n in session.exec(
            select(Notice).where(Notice.idempotency_key.startswith(f"designee-decision:{batch}:"))).all())


def test_each_notice_goes_out_once_after_smtp_and_the_print_api_come_back(transports):
    port, api = transports
    batch = uuid.uuid4().hex[:8]
    keys = queue(batch)
    api.fail_next([500] * 12)  # the first twelve letters meet a failing service
    deliver_due()  # SMTP is down for the whole run
    first = statuses(batch)
    assert first[("email", "queued")] == NOTICES and first[("mail", "sent")] == NOTICES - 12
    assert first[("mail", "queued")] == 12 and not first[("email", "failed")] + first[("mail", "failed")]

    sink = SmtpSink(port).start()  # SMTP is back; the print API answers 201 again
    try:
        deliver_due()
        deliver_due()  # a second run finds nothing left to send
        emails = Counter((m["X-Notice-Key"] or "").strip() for m in sink.messages)
    finally:
        sink.stop()
    assert statuses(batch) == Counter({("email", "sent"): NOTICES, ("mail", "sent"): NOTICES})
    assert all(emails[f"{key}:email"] == 1 for key in keys)
    assert api.letter_count == NOTICES and all(api.letter_for_key(f"{key}:mail") for key in keys)
