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
    """The manifest's rows by notice ID, in file order (the order letters were added).

    A last line without its line end (a row being appended, or one torn by a crash) is not a row."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    data = path.read_bytes()
    data = data[:data.rfind(b"\n") + 1]
    rows: dict[int, dict[str, str]] = {}  # cells as written (already _cell-escaped)
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
        with contextlib.suppress(TypeError, ValueError):
            rows[int(row["notice_id"])] = {c: row.get(c) or "" for c in MANIFEST_COLUMNS}
    return rows


def write_manifest(folder: Path, rows: dict[int, dict[str, str]]) -> None:
    """Rewrite the whole manifest atomically, rows in the dict's order (to replace or remove a row)."""
    write_atomic(folder / MANIFEST, _csv(rows.values(), header=True))


def append_row(folder: Path, row: dict[str, str]) -> None:
    """Add one row at the end of the manifest: O(1) whatever the number of letters already in it.

    Call under locked(folder), after the row's PDF is on disk. The line goes in one O_APPEND write and is
    fsynced before returning; a new manifest (header and row) is written atomically. A line torn by a crash
    mid-write is cut off first (repair_manifest): its letter's PDF is on disk without a row, which is how
    add_to_batch recognises a letter to finish when the outbox retries it."""
    path = folder / MANIFEST
    line = _csv([row], header=False)
    if line.count(b"\n") != 1:  # a cell with a line break: keep every row one line, or a torn tail is ambiguous
        raise ValueError(f"a manifest cell contains a line break: {row!r}")
    if not path.is_file():
        write_atomic(path, _csv([row], header=True))
        return
    fd = os.open(path, os.O_RDWR | os.O_APPEND)
    try:
        if _cut_torn_tail(fd) == 0:  # nothing complete was left, not even the header
            line = _csv([row], header=True)
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def repair_manifest(folder: Path) -> None:
    """Cut off a last line left without its line end by a process that stopped mid-append (under the lock)."""
    path = folder / MANIFEST
    if path.is_file():
        fd = os.open(path, os.O_RDWR)
        try:
            size = os.fstat(fd).st_size
            if _cut_torn_tail(fd) != size:
                os.fsync(fd)
        finally:
            os.close(fd)


def _cut_torn_tail(fd: int) -> int:
    """Truncate the file after its last line end (O(1) when it already ends with one); its new size."""
    size = os.fstat(fd).st_size
    if size == 0 or _read_at(fd, size - 1, 1) == b"\n":
        return size
    size = _read_at(fd, 0, size).rfind(b"\n") + 1
    os.ftruncate(fd, size)
    return size


def _read_at(fd: int, offset: int, length: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    chunks = []
    while length > 0 and (chunk := os.read(fd, length)):
        chunks.append(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def _csv(rows, *, header: bool) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS)
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


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
