"""Render notices from Jinja2 templates and write them to the outbox (DESIGN.md §7)."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, meta, select_autoescape
from sqlmodel import Session, select

import templates
from models.address import PostalAddress, validate_address
from models.errors import DomainError
from models.notice_types import EMAIL, NOTICE_TYPES, NoticeType, missing_elements
from models.tables import Channel, Notice
from tasks.context import settings

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


@lru_cache(maxsize=64)
def _undeclared(template_name: str) -> frozenset[str]:
    env = _env()
    source = env.loader.get_source(env, template_name)[0]
    return frozenset(meta.find_undeclared_variables(env.parse(source)))


def split_sections(body: str) -> tuple[list[str], list[tuple[str, str]]]:
    """A body's opening paragraphs, then its '## Heading' sections as (heading, text)."""
    intro: list[str] = []
    sections: list[tuple[str, str]] = []
    for block in body.split("\n## "):
        if sections or block.startswith("## ") or intro:
            heading, _, text = block.removeprefix("## ").partition("\n")
            sections.append((heading.strip(), text.strip()))
        else:
            intro = [p.strip() for p in block.split("\n\n") if p.strip()]
    return intro, sections


def contact_text() -> str:
    """How to reach the division, on every notice."""
    cfg = settings()
    address = ", ".join(line.strip() for line in cfg.division_address.split(";"))
    return f"{cfg.division_name}, {address}. Telephone {cfg.division_phone}; email {cfg.division_email}."


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    content_hash: str
    body: str


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
    intro, sections = split_sections(body)
    frame = {**context, "body": body, "intro": intro, "sections": sections, "subject": subject,
             "rule": kind.rule, "contact": contact_text(),
             "reference": context.get("reference", context.get("review_id", ""))}
    text = env.get_template("layout.txt.j2").render(frame)
    html = css_inline.inline(env.get_template("layout.html.j2").render(frame))
    digest = hashlib.sha256((subject + "\0" + text + "\0" + html).encode()).hexdigest()
    return Rendered(subject, text, html, digest, body)


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
    postal_address: dict | None = None,
) -> Notice | None:
    """Add an outbox row to the caller's transaction; None if this idempotency key was queued before."""
    pending = session.info.setdefault("queued_notice_keys", set())
    with session.no_autoflush:  # one flush per transaction, not one per notice
        if key in pending or session.exec(select(Notice.id).where(Notice.idempotency_key == key)).first():
            return None
    pending.add(key)
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
        postal_address=postal_address,
        letter_body=rendered.body,
    )
    session.add(notice)
    return notice


@dataclass(frozen=True)
class Recipient:
    """Who a notice goes to: IDs, the email address if any, the postal address if any."""

    type: str
    id: str
    name: str
    email: str | None
    email_opt_in: bool
    postal: dict | None


def notify(session: Session, *, notice_type: str, key: str, recipient: Recipient, subject_type: str,
           subject_id: str, context: dict[str, Any]) -> list[Notice]:
    """Queue a notice by its channel policy (DESIGN.md §7): a type that goes by first-class mail is
    always a letter, with an email copy only for a recipient who opted in; a staff notice is email."""
    kind = NOTICE_TYPES[notice_type]
    common = dict(notice_type=notice_type, recipient_type=recipient.type, recipient_id=recipient.id,
                  subject_type=subject_type, subject_id=subject_id,
                  context={"recipient_name": recipient.name, **context})
    if kind.delivery == EMAIL:
        rows = [queue_notice(session, key=key, address=recipient.email or "", **common)]
    else:
        postal = validate_address(recipient.postal or {}).model_dump()
        lines = PostalAddress(**postal).lines()
        rows = [queue_notice(session, key=f"{key}:mail", address=" / ".join(lines), channel=Channel.mail,
                             postal_address=postal, **common)]
        if recipient.email and recipient.email_opt_in:
            rows.append(queue_notice(session, key=f"{key}:email", address=recipient.email,
                                     postal_address=postal, **common))
    return [row for row in rows if row is not None]
