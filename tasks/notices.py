"""Render notices from Jinja2 templates and write them to the outbox (DESIGN.md §7)."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, meta, select_autoescape
from sqlmodel import Session, select

import templates
from models.errors import DomainError
from models.notice_types import NOTICE_TYPES, NoticeType, missing_elements
from models.tables import Notice

TEMPLATE_DIR = Path(templates.__file__).parent


class MissingNoticeFields(DomainError):
    """A notice cannot be queued: these elements or template fields are missing."""

    def __init__(self, notice_type: str, names: list[str]):
        self.names = names
        super().__init__(f"notice {notice_type!r} is missing: {', '.join(names)}")


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
    )


def _undeclared(template_name: str) -> set[str]:
    env = _env()
    source = env.loader.get_source(env, template_name)[0]
    return meta.find_undeclared_variables(env.parse(source))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    content_hash: str


def render_notice(notice_type: str, context: dict[str, Any]) -> Rendered:
    """Render text and HTML; raise MissingNoticeFields naming every missing element first."""
    kind: NoticeType = NOTICE_TYPES[notice_type]
    body_name = f"{notice_type}.txt.j2"
    missing = missing_elements(kind, context)
    missing += sorted(_undeclared(body_name) - set(context) - set(missing))
    if missing:
        raise MissingNoticeFields(notice_type, missing)
    env = _env()
    subject = kind.subject.format(**context)
    body = env.get_template(body_name).render(context).strip()
    frame = {**context, "body": body, "subject": subject, "rule": kind.rule,
             "reference": context.get("reference", context.get("review_id", ""))}
    text = env.get_template("layout.txt.j2").render(frame)
    html = env.get_template("layout.html.j2").render(frame)
    digest = hashlib.sha256((subject + "\0" + text + "\0" + html).encode()).hexdigest()
    return Rendered(subject, text, html, digest)


def queue_notice(
    session: Session,
    *,
    notice_type: str,
    key: str,
    recipient_type: str,
    recipient_id: str,
    address: str,
    subject_type: str,
    subject_id: str,
    context: dict[str, Any],
    channel: str = "email",
) -> Notice | None:
    """Add an outbox row to the caller's transaction; None if this idempotency key was queued before."""
    if session.exec(select(Notice.id).where(Notice.idempotency_key == key)).first() is not None:
        return None
    rendered = render_notice(notice_type, context)
    kind = NOTICE_TYPES[notice_type]
    notice = Notice(
        notice_type=notice_type,
        recipient_type=recipient_type,
        recipient_id=recipient_id,
        address=address,
        subject_type=subject_type,
        subject_id=subject_id,
        template=notice_type,
        template_version=kind.version,
        subject_line=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        content_hash=rendered.content_hash,
        channel=channel,
        idempotency_key=key,
    )
    session.add(notice)
    return notice
