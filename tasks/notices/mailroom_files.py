"""The mailroom's batch folder on disk: the manifest, atomic writes and the folder lock (see tasks.notices.mailroom)."""

import contextlib
import csv
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX; elsewhere writers rely on the outbox claiming each notice once
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

MANIFEST = "manifest.csv"
LOCK = ".lock"
MANIFEST_COLUMNS = ("notice_id", "idempotency_key", "file", "pages", "recipient_name", "city", "state", "zip",
                    "notice_type", "letter_hash")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def read_manifest(folder: Path) -> dict[int, dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    rows: dict[int, dict[str, str]] = {}  # cells as written (already _cell-escaped)
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            with contextlib.suppress(TypeError, ValueError):
                rows[int(row["notice_id"])] = {c: row.get(c) or "" for c in MANIFEST_COLUMNS}
    return rows


def write_manifest(folder: Path, rows: dict[int, dict[str, str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS)
    writer.writeheader()
    for notice_id in sorted(rows):
        writer.writerow(rows[notice_id])
    write_atomic(folder / MANIFEST, buffer.getvalue().encode("utf-8"))


def cell(value: str) -> str:
    """A manifest cell that a spreadsheet shows as text (no formula injection from a recipient name)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_atomic(path: Path, data: bytes) -> None:
    """Write a temp file in the same folder, fsync it, then os.replace: readers see old or new, never half."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask decides who may read
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Exclusive lock on a batch folder (its .lock file) while its files are rewritten."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(folder / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
