"""The outbox end to end: channel policy, letters to the mailroom or the print-and-mail API, email copies
with the letter attached, dead letters, and recovery after a process stopped mid-delivery (docs/architecture.md,
"The outbox")."""

import io
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from models.address import AddressError
from models.migrate import upgrade
from models.tables import Notice
from tasks.context import settings, transaction
from tasks.notices.delivery import deliver_due, recover_stale, requeue_failed
from tasks.notices.outbox import Recipient, notify
from tasks.notices.render import MissingNoticeFields
from tests.print_api_server import PrintApiServer
from tests.stack import SmtpSink, free_port

ADDRESS = {"name": "Gateway Family Partners", "line1": "1200 Market St", "line2": "Suite 400",
           "city": "St. Louis", "state": "MO", "zip_code": "63103-2814"}
DECISION = {"division_name": "Missouri Children's Division", "notice_date": "2026-11-24", "review_id": "HR-OUT",
            "prospect_id": "P-OUT", "decision": "may not provide case management",
            "reasons": "Findings relevant to the duties.", "decision_date": "2026-11-24",
            "review_right": "You may request an administrative review in writing with your reasons.",
            "request_deadline": "2026-12-24"}


@pytest.fixture(autouse=True)
def database():
    upgrade(settings().database_url)


@pytest.fixture
def smtp(monkeypatch):
    port = free_port()
    monkeypatch.setattr(settings(), "smtp_port", port)
    sink = SmtpSink(port).start()
    yield sink
    sink.stop()


@pytest.fixture
def mailroom(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(settings(), "mail_transport", "mailroom")
    monkeypatch.setattr(settings(), "mailroom_dir", str(tmp_path / "mailroom"))
    return tmp_path / "mailroom"


@pytest.fixture
def print_api(monkeypatch):
    with PrintApiServer() as server:
        for name, value in (("mail_transport", "print-api"), ("print_api_url", server.url),
                            ("print_api_username", server.username), ("print_api_password", server.password),
                            ("print_api_timeout", 2.0)):
            monkeypatch.setattr(settings(), name, value)
        yield server


def decide(opt_in: bool = True, postal: dict | None = ADDRESS, **context) -> str:
    """Queue a designee decision to a contractor, as a decision's transaction does; returns its key."""
    key = f"designee-decision:HR-OUT:{uuid.uuid4()}"
    recipient = Recipient(type="contractor", id="C-001", name="Gateway Family Partners",
                          email="intake@gateway-family.example", email_opt_in=opt_in, postal=postal)
    with transaction() as session:
        notify(session, notice_type="designee-decision", key=key, recipient=recipient,
               subject_type="hiring_review", subject_id="HR-OUT", context={**DECISION, **context})
    return key


def rows(key: str) -> dict[str, Notice]:
    with transaction() as session:
        found = session.exec(select(Notice).where(Notice.idempotency_key.startswith(key))).all()
        return {n.channel: n for n in found}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_contractor_decision_is_a_letter_and_an_email_copy_with_the_letter_attached(smtp, mailroom):
    key = decide()
    deliver_due()
    notices = rows(key)
    assert set(notices) == {"mail", "email"}
    assert (notices["mail"].status, notices["email"].status) == ("batched", "sent")
    letter = next(mailroom.rglob(f"{notices['mail'].id:08d}.pdf")).read_bytes()
    text = pdf_text(letter)
    for element in ("HR-OUT", "may not provide case management", "Findings relevant to the duties.",
                    "administrative review", "2026-12-24", "ST. LOUIS MO 63103-2814", "Page 1 of"):
        assert element in text, element
    [mail] = [m for m in smtp.messages if (m["X-Notice-Key"] or "").strip() == f"{key}:email"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == letter  # the same bytes: rendering again is identical


def test_without_opt_in_only_the_letter_goes(smtp, mailroom):
    key = decide(opt_in=False)
    deliver_due()
    assert set(rows(key)) == {"mail"} and rows(key)["mail"].status == "batched"


def test_a_letter_notice_without_a_mailable_address_is_refused_before_anything_is_queued():
    bad = {**ADDRESS, "state": "XX", "zip_code": "123"}
    with pytest.raises(AddressError) as refused:
        decide(postal=bad)
    assert set(refused.value.fields) == {"state", "zip_code"}
    with pytest.raises(AddressError):
        decide(postal=None)


def test_a_notice_missing_legal_elements_is_refused_naming_every_one():
    with pytest.raises(MissingNoticeFields) as refused:
        decide(review_right="", request_deadline=None)
    assert refused.value.names == ["review_right", "request_deadline"]


def test_print_api_500_500_201_creates_one_letter(smtp, print_api):
    print_api.fail_next([500, 500])
    key = decide(opt_in=False)
    for _ in range(3):
        deliver_due()
    notice = rows(key)["mail"]
    assert notice.status == "sent" and notice.attempts == 3
    letter = print_api.letter_for_key(f"{key}:mail")
    assert letter is not None and print_api.letter_count == 1
    assert notice.provider_id == letter.id and notice.letter_hash


def test_print_api_400_goes_to_the_dead_letters_without_retry_and_can_be_requeued(smtp, print_api):
    print_api.fail_next([400], message="address undeliverable")
    key = decide(opt_in=False)
    deliver_due()
    notice = rows(key)["mail"]
    assert notice.status == "failed" and "address undeliverable" in notice.last_error
    deliver_due()
    assert rows(key)["mail"].attempts == 1 and print_api.letter_count == 0
    assert requeue_failed("S-005", [notice.id]) == [notice.id]
    deliver_due()
    assert rows(key)["mail"].status == "sent" and print_api.letter_count == 1


def test_a_letter_accepted_before_the_process_died_is_not_mailed_twice(smtp, print_api):
    key = decide(opt_in=False)
    notice = rows(key)["mail"]
    with transaction() as session:  # the API accepted it, then the process died before our commit
        row = session.get(Notice, notice.id)
        row.status, row.attempts = "sending", 1
        row.claimed_at = datetime.now(timezone.utc) - timedelta(hours=1)
        session.add(row)
    from tasks.notices.delivery import _send_letter

    with transaction() as session:
        _send_letter(session, session.get(Notice, notice.id), settings(), date(2026, 11, 24))
        session.rollback()
    assert print_api.letter_count == 1
    assert recover_stale()["letters re-queued"] >= 1
    deliver_due()
    after = rows(key)["mail"]
    assert after.status == "sent" and print_api.letter_count == 1
    assert after.provider_id == print_api.letter_for_key(f"{key}:mail").id


def test_an_email_left_mid_send_goes_to_the_dead_letters_for_staff_to_check(smtp, mailroom):
    key = decide()
    email = rows(key)["email"]
    with transaction() as session:
        row = session.get(Notice, email.id)
        row.status, row.claimed_at = "sending", datetime.now(timezone.utc) - timedelta(hours=1)
        session.add(row)
    recover_stale()
    assert rows(key)["email"].status == "failed"
    assert "check before re-queueing" in rows(key)["email"].last_error


def test_letters_the_service_reports_delivered_are_recorded(smtp, print_api):
    from tasks.notices.delivery import refresh_letters

    key = decide(opt_in=False)
    deliver_due()
    sent = rows(key)["mail"]
    assert refresh_letters(date(2026, 11, 27)) == 0 and rows(key)["mail"].status == "sent"
    print_api.set_status(sent.provider_id, "delivered")
    assert refresh_letters(date(2026, 11, 28)) >= 1
    after = rows(key)["mail"]
    assert (after.status, after.delivered_on) == ("delivered", date(2026, 11, 28))
