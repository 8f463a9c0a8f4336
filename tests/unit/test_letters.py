"""Printed letters (tasks.notices.letters): what a rendered PDF says, where it says it, and that it is the same
bytes every time.

Pure rendering, no database: the PDFs are read back with pypdf (text, text positions, metadata).
tests/golden/letters/sample.txt holds the text of SAMPLE, two-pages.txt that of a two-page letter, as
checked by eye against their pictures (see tests/integration/test_letter_pictures.py); a layout change that
alters the text, the line breaks or the page breaks fails test_golden_text.
"""

import difflib
import hashlib
import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from models.errors import DomainError
from tasks.notices.letters import (ADDRESS_AREA, CONTENT_WIDTH, INCH, MARGIN, MAX_ADDRESS_LINES, PAGE_HEIGHT, WINDOW,
                                   Box, Letter, LetterLayoutError, letter_hash, render_letter, text_width, to_latin1,
                                   wrap)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "letters"

SAMPLE = Letter(
    division_name="Missouri Children's Division",
    division_address_lines=("P.O. Box 88", "Jefferson City, MO 65103-0088"),
    contact_lines=("Telephone (573) 522-8024", "Email contracts@dss.mo.example",
                   "Office hours Monday-Friday, 8:00 a.m. to 5:00 p.m."),
    notice_date=date(2026, 11, 24),
    reference="HR-0001 / notice 12",
    recipient_lines=("Gateway Family Partners", "1200 Market St", "Suite 400", "ST. LOUIS MO 63103-2814"),
    subject="Hiring review HR-0001: decision of the designee",
    body=(
        "The Children's Division designee has reviewed your written request of hiring review HR-0001 for "
        "prospective employee P-0001.\n\n"
        "Decision (2026-11-24): the individual may not provide case management services under the contract.\n\n"
        "Reasons: The findings bear directly on the duties of a case manager. The designee considered:\n"
        "- the nature of the findings and how long ago they occurred;\n"
        "- the duties of the position, which include unsupervised contact with children in their homes and "
        "transporting them to appointments;\n"
        "- the information you sent with your request."
    ),
    sections=(
        ("What you must do and by when",
         "If you dispute this decision you may request an administrative review, in writing, setting out your "
         "reasons, no later than thirty days from the date of this decision. The last day to ask is 2026-12-24."),
        ("Your rights",
         "You may be represented at the review. You may see the records the decision is based on."),
        ("Contact",
         "Missouri Children's Division, P.O. Box 88, Jefferson City, MO 65103-0088. Telephone (573) 522-8024; "
         "email contracts@dss.mo.example."),
    ),
)

FILLER = "The designee weighed the record as a whole, the dates of the findings and the duties of the position."


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed: the text as a reader sees it, whatever the line breaks."""
    return " ".join(text.split())


def words(text: str, n: int = 6) -> str:
    return " ".join(text.split()[:n])


class Placed(NamedTuple):
    """A string shown on a page: x and baseline from the page's top-left corner, in points."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool

    @property
    def box(self) -> Box:
        """The glyphs' box, from the ascender (0.75 em above the baseline) to the descender (0.22 em below)."""
        width = text_width(self.text, self.size, "B" if self.bold else "")
        return Box(self.x, self.baseline - 0.75 * self.size, width, 0.97 * self.size)


def placed_text(pdf: bytes, page: int = 0) -> list[Placed]:
    """Every string shown on a page, where and how (from pypdf's text visitor)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            bold = font is not None and "Bold" in str(font.get("/BaseFont", ""))
            found.append(Placed(text, x, PAGE_HEIGHT - y, size * tm[0] * cm[0], bold))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def long_letter(paragraphs: int) -> Letter:
    return replace(SAMPLE, body="\n\n".join(f"Paragraph {n}. " + " ".join([FILLER] * 4)
                                            for n in range(1, paragraphs + 1)))


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_letter(SAMPLE)


@pytest.fixture(scope="module")
def sample_text(sample_pdf) -> str:
    return flat("\n".join(pages_text(sample_pdf)))


# ---- every element is printed ----------------------------------------------------------------------------

ELEMENTS = (
    [("division name", SAMPLE.division_name), ("notice date", "November 24, 2026"),
     ("reference", f"Reference: {SAMPLE.reference}"), ("subject", SAMPLE.subject), ("page", "Page 1 of 1")]
    + [(f"division address {n}", line) for n, line in enumerate(SAMPLE.division_address_lines, 1)]
    + [(f"contact {n}", line) for n, line in enumerate(SAMPLE.contact_lines, 1)]
    + [(f"recipient {n}", line) for n, line in enumerate(SAMPLE.recipient_lines, 1)]
    + [(f"paragraph {n}", words(p)) for n, p in enumerate(SAMPLE.body.split("\n\n"), 1)]
    + [(f"bullet {n}", flat(line[2:])) for n, line in enumerate(SAMPLE.body.splitlines(), 1) if line.startswith("- ")]
    + [(f"heading {heading}", heading) for heading, _ in SAMPLE.sections]
    + [(f"text of {heading}", flat(text)) for heading, text in SAMPLE.sections]
)


@pytest.mark.parametrize("needle", [text for _, text in ELEMENTS], ids=[name for name, _ in ELEMENTS])
def test_every_element_is_printed(sample_text, needle):
    assert needle in sample_text


def test_elements_come_in_reading_order(sample_text):
    order = [SAMPLE.division_name, SAMPLE.recipient_lines[0], SAMPLE.subject, words(SAMPLE.body)] + [
        heading for heading, _ in SAMPLE.sections] + ["Page 1 of 1"]
    positions = [sample_text.index(needle) for needle in order]
    assert positions == sorted(positions)


def test_the_whole_body_is_printed_word_for_word(sample_text):
    """Wrapping only breaks lines at spaces: no word is lost, split or hyphenated."""
    body = flat(SAMPLE.body.replace("\n- ", "\n"))
    assert body in sample_text


def test_bullets_are_indented_and_paragraphs_start_at_the_margin(sample_pdf):
    placed = placed_text(sample_pdf)
    bullet_starts = [p.x for p in placed if p.text.startswith(("the nature", "the duties", "the information"))]
    paragraph_starts = [p.x for p in placed if p.text.startswith(("The Children's", "Decision (", "Reasons:"))]
    assert len(bullet_starts) == 3 and len(paragraph_starts) == 3
    assert all(x == pytest.approx(MARGIN) for x in paragraph_starts)
    assert all(x >= MARGIN + 0.2 * INCH for x in bullet_starts)


def test_the_date_and_reference_are_at_the_top_right(sample_pdf):
    placed = {p.text: p for p in placed_text(sample_pdf)}
    for text in ("November 24, 2026", f"Reference: {SAMPLE.reference}"):
        box = placed[text].box
        assert box.right == pytest.approx(MARGIN + CONTENT_WIDTH, abs=0.5)  # right-aligned at the margin
        assert box.left > WINDOW.right and WINDOW.top <= box.top and box.bottom <= WINDOW.bottom  # beside the block


def test_the_recipient_block_is_inside_the_envelope_window(sample_pdf):
    """Glyph boxes (ascender to descender) of the address lines, with 1/8 in to spare on every side."""
    placed = [p for p in placed_text(sample_pdf) if p.text in SAMPLE.recipient_lines]
    assert [p.text for p in placed] == list(SAMPLE.recipient_lines)
    for p in placed:
        assert ADDRESS_AREA.contains(p.box) and WINDOW.contains(p.box), p
        assert p.size == 10 and not p.bold


@pytest.mark.parametrize("lines", [
    pytest.param(("GATEWAY FAMILY PARTNERS AND ASSOCIATES LL", "M" * 40, "ATTN MARGARET WASHINGTON-MCALLISTER",
                  "12000 NORTHWEST MAPLEWOOD BOULEVARD", "SAINT LOUIS MO 63103-2814"), id="five-lines-40-wide-caps"),
    pytest.param(("Jo", "1 A St", "KC MO 64101"), id="three-short-lines"),
])
def test_a_full_or_short_block_stays_in_the_window(lines):
    letter = replace(SAMPLE, recipient_lines=lines)
    placed = [p for p in placed_text(render_letter(letter)) if p.text in lines]
    assert [p.text for p in placed] == list(lines)
    for p in placed:
        assert ADDRESS_AREA.contains(p.box), p
        assert p.size >= 8


# ---- several pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("paragraphs, at_least", [(12, 2), (30, 3), (60, 5)], ids=["2-pages", "3-pages", "5-pages"])
def test_a_long_letter_runs_over_pages_numbered_n_of_m(paragraphs, at_least):
    pdf = render_letter(long_letter(paragraphs))
    texts = pages_text(pdf)
    total = len(texts)
    assert total >= at_least
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {total}" in text
        if n > 1:  # the running head: who wrote, when, which matter
            assert f"Reference: {SAMPLE.reference}" in text.splitlines()[0]
    # Without the page furniture (running head, footer) the text reads on across the page breaks.
    everything = flat("\n".join("\n".join(text.splitlines()[1 if n else 0:-1]) for n, text in enumerate(texts)))
    starts = [everything.index(f"Paragraph {n}. ") for n in range(1, paragraphs + 1)]
    assert starts == sorted(starts)
    assert everything.count(FILLER) == 4 * paragraphs  # nothing lost at a page break
    assert all(heading in everything for heading, _ in SAMPLE.sections)


def test_text_stays_within_the_margins_on_every_page():
    pdf = render_letter(long_letter(20))
    for page in range(len(PdfReader(io.BytesIO(pdf)).pages)):
        for p in placed_text(pdf, page):
            if p.text.startswith("Page "):
                assert p.baseline > PAGE_HEIGHT - MARGIN  # the footer, in the bottom margin
                continue
            if page > 0 and p.text.startswith(f"{SAMPLE.division_name}  |"):
                assert p.baseline < MARGIN  # the running head, in the top margin
                continue
            assert MARGIN - 0.01 <= p.box.left and p.box.right <= MARGIN + CONTENT_WIDTH + 0.01, p
            assert MARGIN <= p.box.top and p.box.bottom <= PAGE_HEIGHT - MARGIN, p


def test_a_heading_is_never_the_last_line_of_a_page():
    headings = {heading for heading, _ in SAMPLE.sections}
    # Line by line, these move the three sections across the foot of page 1, then of page 2.
    for filler_lines in [*range(18, 31), *range(64, 77)]:
        letter = replace(SAMPLE, body="\n".join(f"Line {n}." for n in range(filler_lines)))
        texts = pages_text(render_letter(letter))
        for text in texts[:-1]:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert lines[-2] not in headings, (filler_lines, lines[-3:])  # lines[-1] is "Page n of m"


def test_a_body_that_mentions_the_page_count_alias_prints_it_as_is():
    text = flat("\n".join(pages_text(render_letter(replace(SAMPLE, body="Placeholders like {nb} stay.")))))
    assert "Placeholders like {nb} stay." in text and "Page 1 of 1" in text


# ---- the same bytes every time ----------------------------------------------------------------------------

def test_rendering_twice_gives_the_same_bytes(sample_pdf):
    assert render_letter(SAMPLE) == sample_pdf
    assert letter_hash(render_letter(SAMPLE)) == letter_hash(sample_pdf)


def test_another_process_in_another_time_zone_gives_the_same_bytes(sample_pdf):
    code = ("import sys; from tests.unit.test_letters import SAMPLE; from tasks.notices.letters import render_letter, "
            "letter_hash; print(letter_hash(render_letter(SAMPLE)))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Auckland"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == letter_hash(sample_pdf)


def test_metadata_are_fixed_and_dated_the_notice_date(sample_pdf):
    meta = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta.creation_date == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert meta.title == SAMPLE.subject and meta.author == SAMPLE.division_name
    assert meta.producer == "fpdf2" and meta.modification_date is None
    assert b"/ModDate" not in sample_pdf
    # The file ID is derived from the content, the same for the same letter.
    ids = re.findall(rb"/ID \[<([0-9A-F]{32})><([0-9A-F]{32})>\]", sample_pdf)
    assert len(ids) == 1 and ids[0][0] == ids[0][1]


def test_letter_hash_is_the_sha256_of_the_bytes(sample_pdf):
    assert letter_hash(sample_pdf) == hashlib.sha256(sample_pdf).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", letter_hash(sample_pdf))


@pytest.mark.parametrize("change", [
    pytest.param({"notice_date": date(2026, 11, 25)}, id="date"),
    pytest.param({"reference": "HR-0001 / notice 13"}, id="reference"),
    pytest.param({"recipient_lines": SAMPLE.recipient_lines[:2] + SAMPLE.recipient_lines[3:]}, id="recipient"),
    pytest.param({"subject": SAMPLE.subject + "."}, id="subject"),
    pytest.param({"body": SAMPLE.body.replace("2026-11-24", "2026-11-23")}, id="body"),
    pytest.param({"sections": SAMPLE.sections[:-1]}, id="sections"),
    pytest.param({"contact_lines": SAMPLE.contact_lines[:2]}, id="contact"),
])
def test_different_content_gives_a_different_hash(sample_pdf, change):
    assert letter_hash(render_letter(replace(SAMPLE, **change))) != letter_hash(sample_pdf)


# ---- characters outside latin-1 --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, printed", [
    pytest.param("the \u201cdesignee\u2019s\u201d decision", "the \"designee's\" decision", id="curly-quotes"),
    pytest.param("2026\u20132027", "2026-2027", id="en-dash"),
    pytest.param("review\u2014in writing", "review--in writing", id="em-dash"),
    pytest.param("and so on\u2026", "and so on...", id="ellipsis"),
    pytest.param("Jos\u00e9 Nu\u00f1ez, Stra\u00dfe", "Jos\u00e9 Nu\u00f1ez, Stra\u00dfe", id="latin-1-kept"),
    pytest.param("Jose\u0301", "Jos\u00e9", id="combining-accent-composed"),
    pytest.param("\u0141\u00f3d\u017a, Dvo\u0159\u00e1k", "L\u00f3dz, Dvor\u00e1k", id="accents-outside-latin-1"),
    pytest.param("\ufb01le \u20ac5 \u2122", "file EUR5 (TM)", id="ligature-euro-trademark"),
    pytest.param("a\u00a0b\u2009c\u200bd\u00ade", "a b cde", id="odd-spaces"),
    pytest.param("smile \U0001f600 \u4e2d", "smile ? ?", id="emoji-cjk"),
    pytest.param("bell\x07 \x85nel", "bell nel", id="control-characters"),
])
def test_non_latin1_text_is_replaced_not_fatal(raw, printed):
    assert flat(to_latin1(raw)) == printed
    letter = replace(SAMPLE, division_name=f"Division {raw}", subject=f"Subject {raw}", body=f"Body {raw}",
                     recipient_lines=(f"Name {raw}"[:30], "1 Main St", "JEFFERSON CITY MO 65101"),
                     reference=f"R {raw}", sections=((f"Heading {raw}", f"Text {raw}"),))
    text = flat("\n".join(pages_text(render_letter(letter))))
    for label in ("Division", "Subject", "Body", "R", "Heading", "Text"):
        assert f"{label} {printed}" in text


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_to_latin1_always_gives_printable_latin1(raw):
    out = to_latin1(raw)
    out.encode("latin-1")
    assert all(c == "\n" or c.isprintable() or c == "\xa0" for c in out)


@given(body=st.text(max_size=400), subject=st.text(max_size=80), recipient=st.text(min_size=1, max_size=25))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_renders(body, subject, recipient):
    name = to_latin1(recipient).replace("\n", " ").strip()[:25] or "X"
    pdf = render_letter(replace(SAMPLE, body=body, subject=subject, recipient_lines=(name, "1 Main St", "KC MO 64101")))
    assert pdf.startswith(b"%PDF-")


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f\xa0\xad"),
               max_size=300),
       st.floats(min_value=30, max_value=468))
@settings(max_examples=200, deadline=None)
def test_wrap_keeps_every_character_and_every_line_fits(text, width):
    text = "".join(c for c in text if c.isprintable())
    lines = wrap(text, width, 10.5)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert all(text_width(line, 10.5) <= width + 1e-6 or len(line) == 1 for line in lines)


# ---- what cannot be printed -------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, message", [
    pytest.param(tuple(f"Line {n}" for n in range(1, 7)), r"6 lines; at most 5 fit in the envelope window",
                 id="six-lines"),
    pytest.param(tuple(f"Line {n}" for n in range(1, 9)), r"8 lines; at most 5", id="eight-lines"),
    pytest.param((), r"address block is empty", id="empty"),
    pytest.param(("Name", "  ", "KC MO 64101"), r"blank line", id="blank-line"),
    pytest.param(("Name", "1 Main St\nApt 2", "KC MO 64101"), r"line break", id="line-break"),
    pytest.param(("W" * 60, "1 Main St", "KC MO 64101"), r"recipient address line 'WWW.*' is too wide",
                 id="too-wide"),
])
def test_a_recipient_block_that_does_not_fit_is_refused(lines, message):
    assert MAX_ADDRESS_LINES == 5
    with pytest.raises(ValueError, match=message) as refused:
        render_letter(replace(SAMPLE, recipient_lines=lines))
    # A DomainError too: the outbox dead-letters the notice at once rather than retrying it.
    assert isinstance(refused.value, LetterLayoutError) and isinstance(refused.value, DomainError)


def test_too_many_letterhead_lines_are_refused():
    with pytest.raises(ValueError, match="letterhead takes at most 4"):
        render_letter(replace(SAMPLE, contact_lines=tuple(f"Line {n}" for n in range(5))))


# ---- golden text --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, letter", [("sample", SAMPLE), ("two-pages", long_letter(12))],
                         ids=["sample", "two-pages"])
def test_golden_text(name, letter):
    """A fixed letter's text, page by page (pages separated by form feeds), as stored."""
    text = "\f\n".join(pages_text(render_letter(letter))) + "\n"
    golden = GOLDEN / f"{name}.txt"
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(golden), "rendered"))
    assert text == expected, f"the text of the {name} letter changed:\n{diff}"
