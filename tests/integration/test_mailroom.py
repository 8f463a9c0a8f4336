"""The mailroom transport (tasks.notices.mailroom) against the session's test SQLite database and a tmp_path root.

The database is shared with other tests (tests/conftest.py), and batch IDs are per day, not per root:
every test uses its own far-future mailing days (unique_day) and its own uuid idempotency keys, and
asserts only on its own notices and batches.
"""

import csv
import hashlib
import itertools
import random
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from fpdf import FPDF
from sqlmodel import select

from models.address import AddressError
from models.errors import DomainError
from models.migrate import upgrade
from models.tables import AuditEvent, Notice
from tasks.context import settings, transaction
from tasks.notices.mailroom import (MARKER, MailroomError, add_to_batch, batch_id_for, confirm_batch, count_pages,
                                    list_batches)
from tasks.notices import mailroom as mailroom_module
from tasks.notices.mailroom_files import MANIFEST, MANIFEST_COLUMNS, read_manifest

ADDRESS = {"name": "Gateway Family Partners", "line1": "1200 Market St", "line2": "Suite 400",
           "city": "St. Louis", "state": "MO", "zip_code": "63103-2814"}
_DAYS = itertools.count(random.randrange(0, 50_000, 100))


@pytest.fixture(scope="module", autouse=True)
def schema():
    upgrade(settings().database_url)


@pytest.fixture
def day():
    """A mailing day no other test (or test run on this database) uses; the next days are free too."""
    return date(2100, 1, 1) + timedelta(days=next(_DAYS) * 3)


def pdf_bytes(pages: int = 1, text: str = "letter") -> bytes:
    doc = FPDF()
    doc.set_font("helvetica", size=12)
    for n in range(pages):
        doc.add_page()
        doc.cell(text=f"{text} page {n + 1}")
    return bytes(doc.output())


def make_notice(channel: str = "mail", postal: dict | None = None, status: str = "queued") -> int:
    key = f"test-mailroom:{uuid.uuid4()}"
    with transaction() as s:
        notice = Notice(
            notice_type="designee-decision", recipient_type="contractor", recipient_id="C-TEST",
            address="Gateway Family Partners / 1200 Market St", subject_type="hiring_review",
            subject_id="HR-TEST", template="designee-decision", template_version="1",
            subject_line="Hiring review HR-TEST", body_text="text", body_html="<p>text</p>",
            content_hash="0" * 64, channel=channel, idempotency_key=key, status=status,
            postal_address=ADDRESS if postal is None else postal,
        )
        s.add(notice)
        s.flush()
        return notice.id


def add(root: Path, day: date, notice_id: int, pdf: bytes) -> str:
    with transaction() as s:
        return add_to_batch(s, root=root, day=day, notice=s.get(Notice, notice_id), pdf=pdf)


def confirm(root: Path, batch_id: str, mailed_on: date, actor: str = "S-MAIL") -> int:
    with transaction() as s:
        return confirm_batch(s, root=root, batch_id=batch_id, mailed_on=mailed_on, actor=actor)


def get(notice_id: int) -> Notice:
    with transaction() as s:
        return s.get(Notice, notice_id)


def manifest(folder: Path) -> list[dict]:
    with (folder / MANIFEST).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == MANIFEST_COLUMNS
        return list(reader)


def audits(action: str, subject_id: str) -> list[AuditEvent]:
    with transaction() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action,
                                                    AuditEvent.subject_id == subject_id)))


def batch_rows(root: Path, *batch_ids: str) -> list[dict]:
    with transaction() as s:
        return [b for b in list_batches(s, root) if b["batch_id"] in batch_ids]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_add_writes_the_letter_and_its_manifest_row_and_marks_the_notice_batched(tmp_path, day):
    notice_id, pdf = make_notice(), pdf_bytes(pages=2)

    batch_id = add(tmp_path, day, notice_id, pdf)

    folder = tmp_path / day.isoformat()
    assert batch_id == f"MR-{day.isoformat()}" == batch_id_for(day)
    assert (folder / f"{notice_id:08d}.pdf").read_bytes() == pdf
    notice = get(notice_id)
    digest = hashlib.sha256(pdf).hexdigest()
    assert (notice.status, notice.batch_id, notice.letter_hash, notice.mailed_on) == ("batched", batch_id, digest, None)
    assert manifest(folder) == [{
        "notice_id": str(notice_id), "idempotency_key": notice.idempotency_key, "file": f"{notice_id:08d}.pdf",
        "pages": "2", "recipient_name": "Gateway Family Partners", "city": "ST. LOUIS", "state": "MO",
        "zip": "63103-2814", "notice_type": "designee-decision", "letter_hash": digest,
    }]
    [event] = audits("mailroom.batched", str(notice_id))
    assert event.subject_type == "notice"
    assert event.detail == {"batch_id": batch_id, "file": f"{notice_id:08d}.pdf", "pages": 2, "letter_hash": digest}
    assert leftovers(folder) == []


@pytest.mark.parametrize("pages", [1, 3, 7], ids=["one-page", "three-pages", "seven-pages"])
def test_page_count_matches_pypdf(pages):
    pypdf = pytest.importorskip("pypdf")
    import io

    pdf = pdf_bytes(pages)
    assert count_pages(pdf) == len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == pages


def test_adding_the_same_letter_twice_leaves_one_file_one_row_one_audit(tmp_path, day):
    notice_id, pdf = make_notice(), pdf_bytes()

    first = add(tmp_path, day, notice_id, pdf)
    before = get(notice_id)
    second = add(tmp_path, day, notice_id, pdf)

    folder = tmp_path / day.isoformat()
    assert first == second
    assert sorted(p.name for p in folder.glob("*.pdf")) == [f"{notice_id:08d}.pdf"]
    assert [r["notice_id"] for r in manifest(folder)] == [str(notice_id)]
    assert len(audits("mailroom.batched", str(notice_id))) == 1
    after = get(notice_id)
    assert (after.status, after.batch_id, after.letter_hash) == (before.status, before.batch_id, before.letter_hash)
    assert leftovers(folder) == []


def test_manifest_keeps_every_letter_of_the_day_once_in_the_order_added(tmp_path, day):
    ids = [make_notice() for _ in range(5)]
    pages = {notice_id: n % 3 + 1 for n, notice_id in enumerate(ids)}
    order = [ids[3], ids[0], ids[4], ids[1], ids[2]]  # not in ID order
    for notice_id in order:
        add(tmp_path, day, notice_id, pdf_bytes(pages[notice_id], text=str(notice_id)))
    add(tmp_path, day, ids[0], pdf_bytes(pages[ids[0]], text=str(ids[0])))  # again: still one row, in its place

    folder = tmp_path / day.isoformat()
    rows = manifest(folder)
    assert [int(r["notice_id"]) for r in rows] == order
    assert {int(r["notice_id"]): int(r["pages"]) for r in rows} == pages
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(f"{i:08d}.pdf" for i in ids)
    assert batch_rows(tmp_path, batch_id_for(day)) == [
        {"batch_id": batch_id_for(day), "day": day, "letters": 5, "batched": 5, "mailed": 0}]
    assert leftovers(folder) == []


def test_two_days_make_two_batches(tmp_path, day):
    other_day = day + timedelta(days=1)
    a, b, c = make_notice(), make_notice(), make_notice()
    add(tmp_path, day, a, pdf_bytes())
    add(tmp_path, other_day, b, pdf_bytes())
    add(tmp_path, other_day, c, pdf_bytes())

    assert {get(a).batch_id, get(b).batch_id, get(c).batch_id} == {batch_id_for(day), batch_id_for(other_day)}
    assert [int(r["notice_id"]) for r in manifest(tmp_path / day.isoformat())] == [a]
    assert [int(r["notice_id"]) for r in manifest(tmp_path / other_day.isoformat())] == [b, c]
    assert batch_rows(tmp_path, batch_id_for(day), batch_id_for(other_day)) == [
        {"batch_id": batch_id_for(day), "day": day, "letters": 1, "batched": 1, "mailed": 0},
        {"batch_id": batch_id_for(other_day), "day": other_day, "letters": 2, "batched": 2, "mailed": 0},
    ]


def test_confirm_marks_the_batch_mailed_once(tmp_path, day):
    ids = [make_notice() for _ in range(3)]
    for notice_id in ids:
        add(tmp_path, day, notice_id, pdf_bytes())
    other = make_notice()  # another day's batch is not touched
    add(tmp_path, day + timedelta(days=1), other, pdf_bytes())
    batch_id, mailed_on = batch_id_for(day), day + timedelta(days=1)

    assert confirm(tmp_path, batch_id, mailed_on) == 3

    for notice_id in ids:
        notice = get(notice_id)
        assert (notice.status, notice.mailed_on) == ("mailed", mailed_on)
    assert get(other).status == "batched"
    marker = tmp_path / day.isoformat() / MARKER
    text = marker.read_text()
    assert f"mailed_on={mailed_on.isoformat()} count=3 " in text
    assert f"notice_ids={','.join(map(str, ids))}" in text
    [event] = audits("mailroom.confirmed", batch_id)
    assert (event.actor, event.subject_type) == ("S-MAIL", "mailroom_batch")
    assert event.detail == {"mailed_on": mailed_on.isoformat(), "count": 3, "notice_ids": ids}
    assert batch_rows(tmp_path, batch_id) == [
        {"batch_id": batch_id, "day": day, "letters": 3, "batched": 0, "mailed": 3}]

    # again, even with another date: nothing changes
    assert confirm(tmp_path, batch_id, mailed_on + timedelta(days=1)) == 0
    assert marker.read_text() == text
    assert len(audits("mailroom.confirmed", batch_id)) == 1
    assert {get(i).mailed_on for i in ids} == {mailed_on}


def test_letters_added_after_a_confirmation_are_confirmed_by_the_next(tmp_path, day):
    first, late = make_notice(), make_notice()
    add(tmp_path, day, first, pdf_bytes())
    assert confirm(tmp_path, batch_id_for(day), day) == 1
    add(tmp_path, day, late, pdf_bytes())

    assert confirm(tmp_path, batch_id_for(day), day + timedelta(days=1)) == 1

    assert (get(first).mailed_on, get(late).mailed_on) == (day, day + timedelta(days=1))
    assert len((tmp_path / day.isoformat() / MARKER).read_text().splitlines()) == 2
    assert len(audits("mailroom.confirmed", batch_id_for(day))) == 2


@pytest.mark.parametrize("batch_id, message", [
    ("MR-2099-02-30", "not a mailroom batch ID"),
    ("2099-01-01", "not a mailroom batch ID"),
    ("MR-tomorrow", "not a mailroom batch ID"),
], ids=["bad-date", "no-prefix", "not-a-date"])
def test_confirm_a_malformed_batch_id(tmp_path, batch_id, message):
    with pytest.raises(MailroomError, match=message):
        confirm(tmp_path, batch_id, date(2099, 3, 1))


def test_confirm_an_unknown_batch(tmp_path, day):
    batch_id = batch_id_for(day)
    with pytest.raises(DomainError, match=f"unknown mailroom batch {batch_id}"):
        confirm(tmp_path, batch_id, day)
    assert not (tmp_path / day.isoformat()).exists()
    assert audits("mailroom.confirmed", batch_id) == []


def test_confirm_refuses_a_mailing_date_before_the_batch(tmp_path, day):
    notice_id = make_notice()
    add(tmp_path, day, notice_id, pdf_bytes())
    with pytest.raises(MailroomError, match="before its letters were batched"):
        confirm(tmp_path, batch_id_for(day), day - timedelta(days=1))
    assert get(notice_id).status == "batched"
    assert not (tmp_path / day.isoformat() / MARKER).exists()


def test_a_letter_left_behind_by_a_rolled_back_transaction_moves_to_the_new_day(tmp_path, day):
    notice_id, pdf = make_notice(), pdf_bytes()
    with pytest.raises(RuntimeError), transaction() as s:
        add_to_batch(s, root=tmp_path, day=day, notice=s.get(Notice, notice_id), pdf=pdf)
        raise RuntimeError("commit failed")
    old = tmp_path / day.isoformat()
    assert (old / f"{notice_id:08d}.pdf").exists() and get(notice_id).status == "queued"

    next_day = day + timedelta(days=1)
    add(tmp_path, next_day, notice_id, pdf)

    assert not (old / f"{notice_id:08d}.pdf").exists()
    assert manifest(old) == []
    assert [int(r["notice_id"]) for r in manifest(tmp_path / next_day.isoformat())] == [notice_id]
    [event] = audits("mailroom.batched", str(notice_id))
    assert event.detail["moved_from"] == [batch_id_for(day)]


def test_a_letter_left_behind_in_a_confirmed_batch_is_not_mailed_again(tmp_path, day):
    orphan, mailed = make_notice(), make_notice()
    add(tmp_path, day, mailed, pdf_bytes())
    with pytest.raises(RuntimeError), transaction() as s:
        add_to_batch(s, root=tmp_path, day=day, notice=s.get(Notice, orphan), pdf=pdf_bytes())
        raise RuntimeError("commit failed")
    confirm(tmp_path, batch_id_for(day), day)

    with pytest.raises(MailroomError, match="confirmed as mailed"):
        add(tmp_path, day + timedelta(days=1), orphan, pdf_bytes())
    assert get(orphan).status == "queued"
    assert not (tmp_path / (day + timedelta(days=1)).isoformat() / f"{orphan:08d}.pdf").exists()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"postal": {**ADDRESS, "state": "XX", "zip_code": "1234"}}, AddressError, "state 'XX'.*zip_code '1234'"),
    ({"postal": {}}, AddressError, "name is missing"),
    ({"channel": "email"}, MailroomError, "goes by email, not by mail"),
    ({"status": "mailed"}, MailroomError, "already mailed"),
    ({"status": "sent"}, MailroomError, "already sent"),
], ids=["bad-address", "no-address", "email-notice", "already-mailed", "already-sent"])
def test_refused_letters_write_nothing(tmp_path, day, kwargs, error, message):
    notice_id = make_notice(**kwargs)
    with pytest.raises(error, match=message):
        add(tmp_path, day, notice_id, pdf_bytes())
    assert not (tmp_path / day.isoformat()).exists()
    assert get(notice_id).batch_id is None


def test_not_a_pdf(tmp_path, day):
    with pytest.raises(MailroomError, match="not a PDF"):
        add(tmp_path, day, make_notice(), b"<html>letter</html>")


def test_manifest_cells_cannot_become_spreadsheet_formulas(tmp_path, day):
    notice_id = make_notice(postal={**ADDRESS, "name": '=HYPERLINK("http://x","y")'})
    add(tmp_path, day, notice_id, pdf_bytes())
    add(tmp_path, day, notice_id, pdf_bytes())
    [row] = manifest(tmp_path / day.isoformat())
    assert row["recipient_name"] == '\'=HYPERLINK("http://x","y")'


def test_list_batches_shows_a_folder_without_database_rows(tmp_path, day):
    folder = tmp_path / day.isoformat()
    folder.mkdir()
    (tmp_path / "not-a-day").mkdir()
    assert batch_rows(tmp_path, batch_id_for(day)) == [
        {"batch_id": batch_id_for(day), "day": day, "letters": 0, "batched": 0, "mailed": 0}]


def test_a_batch_of_many_letters_has_each_letter_once_in_its_manifest(tmp_path, day):
    ids = [make_notice() for _ in range(400)]
    pdf = pdf_bytes()
    for notice_id in ids:
        add(tmp_path, day, notice_id, pdf)
    for notice_id in ids[::37]:  # the outbox retrying some of them: no second row
        add(tmp_path, day, notice_id, pdf)

    folder = tmp_path / day.isoformat()
    rows = manifest(folder)
    assert [int(r["notice_id"]) for r in rows] == ids
    assert {r["file"] for r in rows} == {p.name for p in folder.glob("*.pdf")} == {f"{i:08d}.pdf" for i in ids}
    assert (folder / MANIFEST).read_bytes().count(b"\n") == len(ids) + 1  # header, then one line per letter
    assert batch_rows(tmp_path, batch_id_for(day)) == [
        {"batch_id": batch_id_for(day), "day": day, "letters": 400, "batched": 400, "mailed": 0}]
    assert leftovers(folder) == []


class Stopped(BaseException):
    """The process dying: not an Exception, so nothing on the way up handles it."""


def stop_before_the_manifest_line(monkeypatch):
    def die(folder, row):
        raise Stopped("killed between the PDF and its manifest line")
    monkeypatch.setattr(mailroom_module, "append_row", die)


@pytest.mark.parametrize("retry_on", ["same day", "next day"])
def test_a_crash_between_the_pdf_and_its_manifest_line_is_recovered_by_the_retry(tmp_path, day, monkeypatch,
                                                                                 retry_on):
    before, crashed, after = make_notice(), make_notice(), make_notice()
    pdf = pdf_bytes()
    add(tmp_path, day, before, pdf)
    with monkeypatch.context() as m:
        stop_before_the_manifest_line(m)
        with pytest.raises(Stopped):
            add(tmp_path, day, crashed, pdf)
    folder = tmp_path / day.isoformat()
    assert (folder / f"{crashed:08d}.pdf").read_bytes() == pdf  # the PDF is there, its row is not
    assert [int(r["notice_id"]) for r in manifest(folder)] == [before]
    assert get(crashed).status == "queued" and get(crashed).batch_id is None  # the transaction never committed
    add(tmp_path, day, after, pdf)  # other letters go on meanwhile

    retry_day = day if retry_on == "same day" else day + timedelta(days=1)
    add(tmp_path, retry_day, crashed, pdf)  # the outbox retries the notice (recover_stale)

    if retry_on == "same day":
        assert [int(r["notice_id"]) for r in manifest(folder)] == [before, after, crashed]
    else:
        assert [int(r["notice_id"]) for r in manifest(folder)] == [before, after]
        assert not (folder / f"{crashed:08d}.pdf").exists()
        assert [int(r["notice_id"]) for r in manifest(tmp_path / retry_day.isoformat())] == [crashed]
    assert len(list(tmp_path.rglob(f"{crashed:08d}.pdf"))) == 1
    notice = get(crashed)
    assert (notice.status, notice.batch_id) == ("batched", batch_id_for(retry_day))
    assert len(audits("mailroom.batched", str(crashed))) == 1


def test_a_manifest_line_torn_by_a_crash_is_cut_off_and_written_again(tmp_path, day):
    first, torn, later = make_notice(), make_notice(), make_notice()
    pdf = pdf_bytes()
    add(tmp_path, day, first, pdf)
    folder = tmp_path / day.isoformat()
    # the process died mid-append: its PDF is on disk, half its line in the manifest, nothing in the database
    (folder / f"{torn:08d}.pdf").write_bytes(pdf)
    with (folder / MANIFEST).open("ab") as f:
        f.write(f"{torn},test-mailroom:".encode())
    assert [int(r["notice_id"]) for r in read_manifest(folder).values()] == [first]  # readers skip the torn line

    add(tmp_path, day, later, pdf)
    assert [int(r["notice_id"]) for r in manifest(folder)] == [first, later]
    add(tmp_path, day, torn, pdf)  # the retry

    rows = manifest(folder)
    assert [int(r["notice_id"]) for r in rows] == [first, later, torn]
    assert rows[-1]["idempotency_key"] == get(torn).idempotency_key
    assert rows[-1]["letter_hash"] == hashlib.sha256(pdf).hexdigest()

