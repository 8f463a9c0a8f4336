"""Every notice template against its golden text, and every letter's PDF carries its legal elements."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from models.notice_types import LETTER, NOTICE_TYPES
from tasks.notices.preview import preview, sample_for
from tasks.notices.render import render_notice

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "notices"
TYPES = sorted(NOTICE_TYPES)
LETTERS = sorted(t for t in TYPES if NOTICE_TYPES[t].delivery == LETTER)
COMMON = {"division_name", "notice_date", "recipient_name"}


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_text_matches_the_golden_file(notice_type):
    expected = (GOLDEN / f"{notice_type}.txt").read_text()
    assert render_notice(notice_type, sample_for(notice_type)).text == expected


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("notice_type", LETTERS, ids=LETTERS)
def test_the_letter_pdf_carries_every_legal_element(notice_type, tmp_path):
    pdf = next(p for p in preview(notice_type, tmp_path) if p.suffix == ".pdf")
    text = _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages))
    for element in NOTICE_TYPES[notice_type].required:
        if element not in COMMON:
            assert _words(str(sample_for(notice_type)[element])) in text, element
    assert NOTICE_TYPES[notice_type].rule in text
