"""Printed letters: a notice as a one- or several-page PDF for first-class mail (pure rendering, no I/O).

``render_letter(Letter(...))`` lays a letter out on US Letter paper with fpdf2 and a core font
(Helvetica: no font files, nothing embedded), for a standard #10 double-window envelope folded in three:

* 1-inch margins; letterhead at the top (division name in bold, its address lines on the left, the
  contact lines on the right, a rule under them). The letterhead shows through the envelope's upper
  (return address) window.
* The recipient address block inside the envelope's recipient window (WINDOW: 0.875 in from the left,
  2.0 in from the top of the page, 4 x 1.125 in), kept 1/8 in clear of the window's edges so that the
  letter may shift in the envelope; at most 5 lines. A block that cannot fit raises LetterLayoutError
  (a ValueError).
* The notice date and the reference at the top right, beside the address block.
* The subject in bold, the body's paragraphs (blank-line separated; "- " lines are bullets, indented),
  then each section with a bold heading. A heading is never left alone at the foot of a page.
* "Page N of M" in the footer of every page; pages after the first repeat the division name, the date
  and the reference at the top. Short fold marks in the left margin at the thirds of the page.

Text is printed in latin-1 (the core fonts' encoding): typographic quotes, dashes, ellipses, odd spaces
and other characters outside latin-1 are replaced by ASCII equivalents (``to_latin1``), never an error.

The bytes depend on the Letter only: the PDF's creation date is the notice date at midnight UTC, the
metadata are fixed, and the file ID fpdf2 writes is a hash of the content and that date, so rendering
the same Letter twice gives the same bytes and ``letter_hash`` identifies a letter's content.
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from models.errors import DomainError

# Page geometry, in points (72 to the inch).
INCH = 72.0
PAGE_WIDTH, PAGE_HEIGHT = 8.5 * INCH, 11 * INCH
MARGIN = 1.0 * INCH
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class Box:
    """A rectangle on the page: left and top from the page's top-left corner, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def contains(self, other: "Box") -> bool:
        return (self.left <= other.left and self.top <= other.top
                and other.right <= self.right and other.bottom <= self.bottom)


# The recipient window of a standard #10 double-window envelope, where the letter puts it (page top-left).
WINDOW = Box(0.875 * INCH, 2.0 * INCH, 4.0 * INCH, 1.125 * INCH)
WINDOW_CLEARANCE = 0.125 * INCH  # the letter may shift in the envelope: keep the block this far inside
ADDRESS_AREA = Box(WINDOW.left + WINDOW_CLEARANCE, WINDOW.top + WINDOW_CLEARANCE,
                   WINDOW.width - 2 * WINDOW_CLEARANCE, WINDOW.height - 2 * WINDOW_CLEARANCE)
MAX_ADDRESS_LINES = 5
ADDRESS_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)  # font sizes tried, largest first, until every line fits
MAX_LETTERHEAD_LINES = 4  # address lines (left) or contact lines (right) under the division name

FONT = "Helvetica"
BODY_SIZE, BODY_LEADING = 10.5, 14.0
SMALL_SIZE, SMALL_LEADING = 9.0, 11.0
HEADING_SIZE = 11.0
PARAGRAPH_GAP = 6.0
BULLET_INDENT = 20.0
INK, GREY, ACCENT = (26, 26, 26), (90, 90, 90), (31, 58, 95)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
BULLETS = ("- ", "* ")  # "\u2022 " too: to_latin1 turns the bullet into "-"


class LetterLayoutError(DomainError, ValueError):
    """A letter that cannot be printed as the envelope needs it (recipient block of more than 5 lines or
    too wide for the window, letterhead too long). A ValueError; also a DomainError, so that the outbox
    sends the notice to the dead letters at once instead of retrying a layout that cannot change."""


@dataclass(frozen=True)
class Letter:
    """Everything printed on a letter. recipient_lines: name, line1, [line2], "CITY ST ZIP" (at most 5);
    body: paragraphs separated by blank lines, "- " lines are bullets; sections: (heading, text) pairs."""

    division_name: str
    division_address_lines: tuple[str, ...]
    contact_lines: tuple[str, ...]
    notice_date: date
    reference: str
    recipient_lines: tuple[str, ...]
    subject: str
    body: str
    sections: tuple[tuple[str, str], ...] = ()


# ---- text: latin-1 only -------------------------------------------------------------------------------

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\u2014": "--", "\u2015": "--",
    "\u2026": "...", "\u2022": "-", "\u2023": "-", "\u25e6": "-", "\u2043": "-",
    "\u20ac": "EUR", "\u2122": "(TM)", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2192": "->",
    "\u2190": "<-", "\u2248": "~", "\u2116": "No.", "\u0141": "L", "\u0142": "l", "\u0110": "D",
    "\u0111": "d", "\u0152": "OE", "\u0153": "oe", "\u0131": "i", "\t": "    ", "\r": "",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2028": "\n", "\u2029": "\n\n",
}


class _Latin1(dict):
    """str.translate table: latin-1 characters as they are, others by _REPLACEMENTS, by their
    compatibility decomposition without accents (e.g. 'ő' -> 'o', 'ﬁ' -> 'fi'), or '?'. Built lazily."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _REPLACEMENTS:
            value = _REPLACEMENTS[char]
        elif char == "\n" or (code < 256 and char.isprintable()):
            value = char
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"):
            value = ""  # control, format, unassigned characters and stray accents print nothing
        elif unicodedata.category(char) == "Zs":
            value = " "
        else:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char)
                             if not unicodedata.combining(c) and ord(c) < 256 and c.isprintable())
            value = folded or "?"
        self[code] = value
        return value


_LATIN1 = _Latin1()


def to_latin1(text: str) -> str:
    """Text printable in a core font: every character latin-1, none a control character except '\\n'."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # 'e' + combining acute -> 'é'
    return text.translate(_LATIN1)


def letter_date(day: date) -> str:
    """'November 24, 2026' (no locale involved)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def letter_hash(pdf: bytes) -> str:
    """SHA-256 (hex) of a letter's PDF bytes."""
    return hashlib.sha256(pdf).hexdigest()


# ---- layout ---------------------------------------------------------------------------------------------
#
# fpdf2's multi_cell measures a line again for every character it adds (quadratic in the line length, ~90 %
# of the time of a letter), so paragraphs are wrapped here in one pass with the core font's character
# widths and each line is printed with FPDF.text(): about 10 times faster. Page breaks are ours too.

_NB = "{nb}"  # fpdf2's total-pages alias: switched on only while a footer is printed (see _LetterPDF.footer)
_WIDTHS = {style: CORE_FONTS_CHARWIDTHS[f"helvetica{style}"] for style in ("", "B")}


def text_width(text: str, size: float, style: str = "") -> float:
    """Width in points of latin-1 text in Helvetica (style "" or "B") at size points."""
    widths = _WIDTHS[style]
    return sum(widths[c] for c in text) * size / 1000


def wrap(text: str, width: float, size: float, style: str = "") -> list[str]:
    """Greedy word wrap of one line of text to lines at most width wide (a word wider than a line is cut)."""
    widths = _WIDTHS[style]
    limit = width * 1000 / size  # in font units
    space = widths[" "]
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        w = sum(widths[c] for c in word)
        if current and used + space + w <= limit:
            current.append(word)
            used += space + w
            continue
        if current:
            lines.append(" ".join(current))
        while w > limit:  # a word longer than the whole line: cut it
            cut, part = 0, 0.0
            while cut < len(word) and part + widths[word[cut]] <= limit:
                part += widths[word[cut]]
                cut += 1
            cut = max(cut, 1)
            lines.append(word[:cut])
            word = word[cut:]
            w = sum(widths[c] for c in word)
        current, used = ([word], w) if word else ([], 0.0)
    if current:
        lines.append(" ".join(current))
    return lines


def _baseline(top: float, leading: float, size: float) -> float:
    """Baseline of a line of type size set in a line box of height leading whose top is top."""
    return top + (leading + 0.7 * size) / 2


class _LetterPDF(FPDF):
    """fpdf2 document with the letter's running header (pages 2+) and footer (every page)."""

    def __init__(self, running_head: str):
        super().__init__(orientation="portrait", unit="pt", format="letter")
        self.running_head = running_head
        self.alias_nb_pages(None)  # body text is never scanned for the alias (a body may say "{nb}")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_text_color(*INK)

    def header(self) -> None:
        self.alias_nb_pages(None)
        if self.page_no() == 1:
            return
        style, size, color = self.font_style, self.font_size_pt, self.text_color
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        top = 0.55 * INCH
        self.text(MARGIN, _baseline(top, 10, 8.5), self.running_head)
        self.set_draw_color(*GREY)
        self.set_line_width(0.4)
        self.line(MARGIN, top + 14, PAGE_WIDTH - MARGIN, top + 14)
        self.set_font(FONT, style, size)
        self.text_color = color
        self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self.alias_nb_pages(_NB)  # stays on through output(), which substitutes the page count
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, PAGE_HEIGHT - 0.6 * INCH)
        self.cell(CONTENT_WIDTH, 10, f"Page {self.page_no()} of {_NB}", align=Align.C)
        # Fold marks for a #10 envelope (letter folded in three), in the left margin.
        self.set_draw_color(*GREY)
        self.set_line_width(0.5)
        for third in (PAGE_HEIGHT / 3, 2 * PAGE_HEIGHT / 3):
            self.line(0.25 * INCH, third, 0.45 * INCH, third)
        self.set_text_color(*INK)

    def lines(self, lines: list[str], x: float, leading: float, *, right: float | None = None) -> None:
        """Print lines from the current y down, a new page whenever one would cross the bottom margin;
        right-aligned to right if given, else from x."""
        size = self.font_size_pt
        style = "B" if "B" in self.font_style else ""
        for line in lines:
            if self.y + leading > self.page_break_trigger:
                self.add_page()
            left = x if right is None else right - text_width(line, size, style)
            self.text(left, _baseline(self.y, leading, size), line)
            self.y += leading


def _fit_size(lines: tuple[str, ...], style: str, sizes: tuple[float, ...], width: float, what: str) -> float:
    """The largest font size of sizes at which every line is at most width wide; LetterLayoutError if none."""
    for size in sizes:
        if all(text_width(line, size, style) <= width for line in lines):
            return size
    widest = max(lines, key=lambda line: text_width(line, sizes[-1], style))
    raise LetterLayoutError(f"{what} line {widest!r} is too wide to print "
                            f"({text_width(widest, sizes[-1], style):.0f} pt at {sizes[-1]} pt type; "
                            f"at most {width:.0f} pt)")


def _check_recipient(lines: tuple[str, ...]) -> None:
    if not lines:
        raise LetterLayoutError("the recipient address block is empty")
    if len(lines) > MAX_ADDRESS_LINES:
        raise LetterLayoutError(f"the recipient address block has {len(lines)} lines; "
                                f"at most {MAX_ADDRESS_LINES} fit in the envelope window")
    if any(not line.strip() for line in lines):
        raise LetterLayoutError("the recipient address block has a blank line")
    if any("\n" in line for line in lines):
        raise LetterLayoutError("a recipient address line contains a line break")


def _letterhead(pdf: _LetterPDF, letter: Letter) -> None:
    name = to_latin1(letter.division_name)
    left = [to_latin1(line) for line in letter.division_address_lines]
    right = [to_latin1(line) for line in letter.contact_lines]
    if len(left) > MAX_LETTERHEAD_LINES or len(right) > MAX_LETTERHEAD_LINES:
        raise LetterLayoutError(f"the letterhead takes at most {MAX_LETTERHEAD_LINES} address and "
                                f"{MAX_LETTERHEAD_LINES} contact lines")
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", _fit_size((name,), "B", (15.0, 14.0, 13.0, 12.0), CONTENT_WIDTH, "division name"))
    pdf.set_y(MARGIN)
    pdf.lines([name], MARGIN, 18)
    pdf.set_text_color(*INK)
    column = CONTENT_WIDTH / 2 - 6
    top = MARGIN + 20
    for lines, align_right in ((left, None), (right, PAGE_WIDTH - MARGIN)):
        if lines:
            pdf.set_font(FONT, "", _fit_size(tuple(lines), "", (SMALL_SIZE, 8.5, 8.0), column, "letterhead"))
            pdf.set_y(top)
            pdf.lines(lines, MARGIN, SMALL_LEADING, right=align_right)
    rule = top + max(len(left), len(right)) * SMALL_LEADING + 3
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)


def address_layout(lines: tuple[str, ...]) -> tuple[float, float]:
    """(font size, leading) of the recipient block: the largest size at which every line fits the window."""
    size = _fit_size(lines, "", ADDRESS_SIZES, ADDRESS_AREA.width, "recipient address")
    return size, min(size * 1.2, ADDRESS_AREA.height / len(lines))


def _address_and_date(pdf: _LetterPDF, letter: Letter, recipient: tuple[str, ...]) -> float:
    """Print the address block in the window and the date and reference beside it; returns the y below."""
    size, leading = address_layout(recipient)
    pdf.set_font(FONT, "", size)
    pdf.set_y(ADDRESS_AREA.top)
    pdf.lines(list(recipient), ADDRESS_AREA.left, leading)

    column_left = WINDOW.right + 0.375 * INCH
    column = PAGE_WIDTH - MARGIN - column_left
    size = SMALL_SIZE + 0.5
    pdf.set_font(FONT, "", size)
    pdf.set_y(ADDRESS_AREA.top)
    pdf.lines([letter_date(letter.notice_date)] + wrap(f"Reference: {to_latin1(letter.reference)}", column, size),
              column_left, SMALL_LEADING + 1, right=PAGE_WIDTH - MARGIN)
    return max(pdf.get_y(), WINDOW.bottom) + 0.3 * INCH


def _room_for(pdf: FPDF, height: float) -> None:
    """Start a new page unless height fits above the bottom margin."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs (blank-line separated) as lists of their non-blank lines."""
    paragraphs, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _paragraphs(pdf: _LetterPDF, text: str) -> None:
    """Body text: each paragraph wrapped, its line breaks kept; bullet lines ("- ") indented with a dot."""
    pdf.set_font(FONT, "", BODY_SIZE)
    for block in _blocks(to_latin1(text)):
        for line in block:
            if line.startswith(BULLETS):
                _room_for(pdf, BODY_LEADING)
                pdf.set_fill_color(*INK)
                pdf.circle(MARGIN + BULLET_INDENT / 2, pdf.get_y() + BODY_LEADING / 2, 1.6, style="F")
                pdf.lines(wrap(line[2:], CONTENT_WIDTH - BULLET_INDENT, BODY_SIZE), MARGIN + BULLET_INDENT,
                          BODY_LEADING)
            else:
                pdf.lines(wrap(line, CONTENT_WIDTH, BODY_SIZE), MARGIN, BODY_LEADING)
        pdf.y += PARAGRAPH_GAP


def render_letter(letter: Letter) -> bytes:
    """The letter as PDF bytes (US Letter; the same bytes for the same Letter). LetterLayoutError (a
    ValueError) if the recipient block or the letterhead cannot be printed where the envelope needs them."""
    recipient = tuple(to_latin1(line).strip() for line in letter.recipient_lines)
    _check_recipient(recipient)
    when = letter_date(letter.notice_date)
    reference = to_latin1(letter.reference)
    pdf = _LetterPDF(f"{to_latin1(letter.division_name)}  |  {when}  |  Reference: {reference}")
    pdf.set_creation_date(datetime(letter.notice_date.year, letter.notice_date.month, letter.notice_date.day,
                                   tzinfo=timezone.utc))
    pdf.set_title(to_latin1(letter.subject))
    pdf.set_author(to_latin1(letter.division_name))
    pdf.set_creator("cwa tasks.letters")
    pdf.set_producer("fpdf2")
    pdf.set_lang("en-US")
    pdf.add_page()
    _letterhead(pdf, letter)
    pdf.set_y(_address_and_date(pdf, letter, recipient))

    subject_size = HEADING_SIZE + 0.5
    pdf.set_font(FONT, "B", subject_size)
    pdf.lines(wrap(to_latin1(letter.subject), CONTENT_WIDTH, subject_size, "B"), MARGIN, 15)
    pdf.y += PARAGRAPH_GAP + 2
    _paragraphs(pdf, letter.body)
    for heading, text in letter.sections:
        pdf.y += 2
        _room_for(pdf, 17 + 2 * BODY_LEADING)  # a heading and two lines of its text stay together
        pdf.set_font(FONT, "B", HEADING_SIZE)
        pdf.set_text_color(*ACCENT)
        pdf.lines(wrap(to_latin1(heading), CONTENT_WIDTH, HEADING_SIZE, "B"), MARGIN, 16)
        pdf.set_text_color(*INK)
        pdf.y += 1
        _paragraphs(pdf, text)
    return bytes(pdf.output())
