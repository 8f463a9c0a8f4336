"""Render a notice from its Jinja2 templates: subject, plain text and HTML, refused when an element is missing
(docs/architecture.md, "Notices")."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, meta, select_autoescape

import templates
from models.errors import DomainError
from models.notice_types import NOTICE_TYPES, NoticeType, missing_elements
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
        auto_reload=False,  # templates ship with the code: no stat() of the files at every render
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
