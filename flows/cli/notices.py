"""Notice administration: previews, dead letters and re-queueing, the mailroom's batches."""

from datetime import date
from pathlib import Path

import typer

from flows.cli.common import fail, out, table
from models.errors import DomainError
from tasks.context import settings, transaction

app = typer.Typer()


@app.command()
def preview(notice_type: str = typer.Argument(..., help="A notice type, or 'all'."),
            folder: Path = typer.Option(Path("data/preview"), "--out", help="Folder for the files.")) -> None:
    """Render a notice type with sample data to HTML, text and (for letters) PDF."""
    from models.notice_types import NOTICE_TYPES
    from tasks.notices.preview import preview as render_preview

    kinds = sorted(NOTICE_TYPES) if notice_type == "all" else [notice_type]
    for kind in kinds:
        if kind not in NOTICE_TYPES:
            fail(f"unknown notice type {kind!r}; one of: {', '.join(sorted(NOTICE_TYPES))}")
        for path in render_preview(kind, folder):
            out.print(f"wrote {path}")


@app.command()
def notices(status: str = typer.Option("failed", help="queued, sending, sent, batched, mailed, failed")) -> None:
    """Notices in one delivery state, e.g. the dead letters (failed) with their reason."""
    from sqlmodel import select

    from models.tables import Notice

    with transaction() as session:
        rows = session.exec(select(Notice).where(Notice.status == status).order_by(Notice.id)).all()
        found = [{"id": n.id, "type": n.notice_type, "to": n.recipient_id, "channel": n.channel,
                  "subject": n.subject_id, "attempts": n.attempts, "error": n.last_error or ""} for n in rows]
    out.print(table(f"{len(found)} notice(s) {status}", found))


@app.command()
def requeue(notice_id: list[int] = typer.Argument(None, help="Notice IDs; none: every failed notice."),
            by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Re-queue dead-letter notices after the cause is fixed (address, mailbox, service)."""
    from tasks.notices.delivery import requeue_failed

    ids = requeue_failed(by, notice_id or None)
    out.print(f"re-queued {len(ids)} notice(s): {', '.join(map(str, ids)) or '-'}")


@app.command("mailroom-batches")
def mailroom_batches() -> None:
    """The mailroom's batch folders: letters in each, and how many are confirmed mailed."""
    from tasks.notices.mailroom import list_batches

    with transaction() as session:
        rows = list_batches(session, Path(settings().mailroom_dir))
    out.print(table("mailroom batches", rows))


@app.command("mailroom-confirm")
def mailroom_confirm(batch_id: str, mailed_on: str = typer.Option(..., help="Date mailed (YYYY-MM-DD)."),
                     by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Record that the mailroom mailed a batch: each letter in it becomes 'mailed' with that date."""
    from tasks.notices.mailroom import confirm_batch

    try:
        with transaction() as session:
            count = confirm_batch(session, root=Path(settings().mailroom_dir), batch_id=batch_id,
                                  mailed_on=date.fromisoformat(mailed_on), actor=by)
    except (DomainError, ValueError) as exc:
        fail(str(exc))
    out.print(f"{count} letter(s) of {batch_id} recorded as mailed on {mailed_on}")
