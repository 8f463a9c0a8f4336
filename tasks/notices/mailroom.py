"""The embedded mail transport (settings.mail_transport = "mailroom"): a batch folder per mailing day.

The agency's mailroom prints and mails the letters of a day from one folder:

    <root>/2026-11-24/00000012.pdf      one PDF per letter, named by notice ID
    <root>/2026-11-24/manifest.csv      one row per letter, in the order added (MANIFEST_COLUMNS)
    <root>/2026-11-24/MAILED            written by confirm_batch: date, count and IDs of each confirmation

The batch ID of that folder is "MR-2026-11-24" (Notice.batch_id). A letter goes through
queued -> sending (outbox claim) -> batched (add_to_batch) -> mailed (confirm_batch, by staff).

Files are written under a per-folder lock file (.lock, flock on POSIX), so two workers adding letters to
the same day do not lose manifest rows. A PDF is written atomically (temp file in the same folder, fsync,
os.replace), so the mailroom never sees half a letter; then its manifest row is appended as one line and
fsynced. Adding a letter costs the same whatever the size of the day's batch: a new letter (no PDF of that
name in the folder) has no row yet, because a row is only ever written after its PDF and removed before it.
A process that stops between the two leaves a PDF without a row; the outbox retries the notice (recover_stale),
and a letter whose PDF is already there is checked against the whole manifest: its row is appended if
missing, replaced (atomic rewrite) if different, left alone if the same. A line torn by a crash mid-append is
cut off by the next writer (a reader ignores a last line without its line end).

Database changes (notice fields, audit rows) go into the caller's transaction: files are written before it
commits, so a letter whose transaction rolled back can leave its PDF behind; when that notice is added
again on a later day, its stale copy is removed from the unconfirmed folder (or, if that folder was already
confirmed mailed, add_to_batch refuses, so that no letter is mailed twice without staff checking).
"""

import contextlib
import hashlib
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from models.address import validate_address
from models.errors import DomainError
from models.tables import Channel, Notice, NoticeStatus
from tasks.human.audit import audit
from tasks.notices.mailroom_files import (append_row, cell, locked, read_manifest, repair_manifest, write_atomic,
                                          write_manifest)

BATCH_PREFIX = "MR-"
MARKER = "MAILED"
ACTOR = "system"
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # page objects, not the /Pages tree
# Statuses from which a letter may (still) be put into a batch; sent/mailed/delivered never again.
_ADDABLE = {NoticeStatus.queued, NoticeStatus.sending, NoticeStatus.batched, NoticeStatus.failed}


class MailroomError(DomainError):
    """A mailroom batch operation that cannot be done (bad batch ID, letter already mailed, ...)."""


def batch_id_for(day: date) -> str:
    """The batch ID of a mailing day: MR-YYYY-MM-DD."""
    return f"{BATCH_PREFIX}{day.isoformat()}"


def day_of(batch_id: str) -> date:
    """The mailing day of a batch ID; MailroomError if it is not MR-YYYY-MM-DD."""
    try:
        if not batch_id.startswith(BATCH_PREFIX):
            raise ValueError
        return date.fromisoformat(batch_id.removeprefix(BATCH_PREFIX))
    except ValueError:
        raise MailroomError(f"{batch_id!r} is not a mailroom batch ID (MR-YYYY-MM-DD)") from None


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF, counted from its '/Type /Page' objects (no PDF library at run time).

    Exact for PDFs without compressed object streams, such as those fpdf2 writes."""
    return len(_PAGE.findall(pdf))


def letter_file(notice_id: int) -> str:
    return f"{notice_id:08d}.pdf"


def add_to_batch(session: Session, *, root: Path, day: date, notice: Notice, pdf: bytes) -> str:
    """Put a letter into the day's batch folder and mark the notice 'batched'; returns the batch ID.

    Writes root/<day>/<notice id:08d>.pdf and its manifest row, sets notice.status, batch_id and
    letter_hash (SHA-256 of the PDF), and adds an audit row ("mailroom.batched") to the caller's
    transaction. Idempotent: adding the same letter again leaves one file and one manifest row, and
    changes nothing in the database. Raises MailroomError for a notice that is not a letter, is already
    sent or mailed, or has no valid postal address (AddressError names the bad fields).
    """
    if notice.channel != Channel.mail:
        raise MailroomError(f"notice {notice.id} goes by {notice.channel}, not by mail")
    if notice.status not in _ADDABLE:
        raise MailroomError(f"notice {notice.id} is already {notice.status}: not adding its letter to a batch again")
    if not pdf.startswith(b"%PDF-"):
        raise MailroomError(f"the letter of notice {notice.id} is not a PDF")
    address = validate_address(notice.postal_address or {})
    if notice.id is None:
        session.add(notice)
        session.flush()

    batch_id, folder = batch_id_for(day), Path(root) / day.isoformat()
    name, digest, pages = letter_file(notice.id), hashlib.sha256(pdf).hexdigest(), count_pages(pdf)
    moved_from = _remove_stale_copies(Path(root), folder, notice.id)
    row = {c: cell(v) for c, v in {
        "notice_id": str(notice.id), "idempotency_key": notice.idempotency_key, "file": name, "pages": str(pages),
        "recipient_name": address.name, "city": address.city.upper(), "state": address.state,
        "zip": address.zip_code, "notice_type": notice.notice_type, "letter_hash": digest,
    }.items()}
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        repair_manifest(folder)
        path = folder / name
        if not path.is_file():  # a new letter: no PDF, so no row (rows are written after their PDF)
            write_atomic(path, pdf)
            append_row(folder, row)
        else:  # added before, or left without its row by a process that stopped: the manifest tells
            if path.read_bytes() != pdf:
                write_atomic(path, pdf)
            rows = read_manifest(folder)
            if notice.id not in rows:
                append_row(folder, row)
            elif rows[notice.id] != row:
                rows[notice.id] = row
                write_manifest(folder, rows)

    if (notice.status, notice.batch_id, notice.letter_hash) != (NoticeStatus.batched, batch_id, digest):
        replaced = notice.batch_id == batch_id and notice.status == NoticeStatus.batched
        notice.status, notice.batch_id, notice.letter_hash = NoticeStatus.batched, batch_id, digest
        session.add(notice)
        detail = {"batch_id": batch_id, "file": name, "pages": pages, "letter_hash": digest}
        if moved_from:
            detail["moved_from"] = moved_from
        if replaced:
            detail["replaced"] = True
        audit(session, actor=ACTOR, action="mailroom.batched", subject_type="notice", subject_id=str(notice.id),
              detail=detail)
    return batch_id


def confirm_batch(session: Session, *, root: Path, batch_id: str, mailed_on: date, actor: str) -> int:
    """Record that the mailroom mailed a batch: each of its letters still 'batched' becomes 'mailed'.

    Sets mailed_on, appends a line to the folder's MAILED marker (date, count, notice IDs, actor) and
    adds one audit row "mailroom.confirmed" for the batch; returns the number of letters confirmed.
    Confirming again changes nothing and returns 0 (letters added to the folder after a confirmation
    are confirmed by the next one). MailroomError for a malformed or unknown batch ID, or a mailing
    date before the batch's day.
    """
    day = day_of(batch_id)
    folder = Path(root) / day.isoformat()
    if mailed_on < day:
        raise MailroomError(f"batch {batch_id} cannot have been mailed on {mailed_on.isoformat()}, "
                            f"before its letters were batched")
    notices = session.exec(
        select(Notice).where(Notice.batch_id == batch_id, Notice.status == NoticeStatus.batched).order_by(Notice.id)
    ).all()
    if not notices:
        known = folder.is_dir() or session.exec(select(Notice.id).where(Notice.batch_id == batch_id)).first()
        if not known:
            raise MailroomError(f"unknown mailroom batch {batch_id}: no folder {folder} and no letters in it")
        return 0
    ids = [n.id for n in notices]
    for notice in notices:
        notice.status, notice.mailed_on = NoticeStatus.mailed, mailed_on
        session.add(notice)
    session.flush()  # database errors before the marker is written
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        marker = folder / MARKER
        before = marker.read_bytes() if marker.is_file() else b""
        line = (f"mailed_on={mailed_on.isoformat()} count={len(ids)} confirmed_by={actor} "
                f"notice_ids={','.join(map(str, ids))}\n")
        write_atomic(marker, before + line.encode())
    audit(session, actor=actor, action="mailroom.confirmed", subject_type="mailroom_batch", subject_id=batch_id,
          detail={"mailed_on": mailed_on.isoformat(), "count": len(ids), "notice_ids": ids})
    return len(ids)


def list_batches(session: Session, root: Path) -> list[dict]:
    """Every batch, by day: its folder's letters (manifest rows) and its notices batched or mailed.

    A batch appears if it has a folder under root or notices in the database, so a folder whose
    letters were never recorded (letters > batched + mailed) or a lost folder (letters 0) shows up."""
    counts: dict[str, dict[str, int]] = {}
    rows = session.exec(
        select(Notice.batch_id, Notice.status, func.count())
        .where(Notice.batch_id.is_not(None), Notice.batch_id.like(f"{BATCH_PREFIX}%"))
        .group_by(Notice.batch_id, Notice.status)
    ).all()
    for batch_id, status, n in rows:
        counts.setdefault(batch_id, {})[status] = n
    folders = {}
    if Path(root).is_dir():
        for entry in Path(root).iterdir():
            day = _folder_day(entry)
            if day is not None:
                folders[batch_id_for(day)] = entry
    batches = []
    for batch_id in set(counts) | set(folders):
        try:
            day = day_of(batch_id)
        except MailroomError:
            continue
        folder = folders.get(batch_id)
        by_status = counts.get(batch_id, {})
        batches.append({
            "batch_id": batch_id,
            "day": day,
            "letters": len(read_manifest(folder)) if folder else 0,
            "batched": by_status.get(NoticeStatus.batched, 0),
            "mailed": by_status.get(NoticeStatus.mailed, 0),
        })
    return sorted(batches, key=lambda b: b["day"])


def _folder_day(path: Path) -> date | None:
    if not path.is_dir():
        return None
    try:
        day = date.fromisoformat(path.name)
    except ValueError:
        return None
    return day if path.name == day.isoformat() else None


def _remove_stale_copies(root: Path, folder: Path, notice_id: int) -> list[str]:
    """Take this letter out of other, unconfirmed batch folders (left by a rolled-back transaction)."""
    name, moved = letter_file(notice_id), []
    if not root.is_dir():
        return moved
    for other in sorted(root.iterdir()):
        if other == folder or _folder_day(other) is None:
            continue
        if not (other / name).exists():
            continue
        other_id = batch_id_for(_folder_day(other))
        if (other / MARKER).exists():
            raise MailroomError(
                f"the letter of notice {notice_id} is still in batch {other_id}, which the mailroom confirmed "
                f"as mailed: ask the mailroom whether it went out, remove {other / name} if not, and re-queue")
        with locked(other):
            repair_manifest(other)
            rows = read_manifest(other)
            if rows.pop(notice_id, None) is not None:
                write_manifest(other, rows)
            with contextlib.suppress(FileNotFoundError):
                (other / name).unlink()
        moved.append(other_id)
    return moved
