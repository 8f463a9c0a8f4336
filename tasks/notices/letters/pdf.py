"""Lay a Letter out as PDF bytes with fpdf2 (see tasks.notices.letters for the layout).

fpdf2's multi_cell measures a line again for every character it adds (quadratic in the line length, ~90 %
of the time of a letter), so paragraphs are wrapped here in one pass with the core font's character
widths and each line is printed with FPDF.text(): about 10 times faster. Page breaks are ours too.
"""

from datetime import datetime, timezone

from fpdf import FPDF
from fpdf.enums import Align

from tasks.notices.letters.page import (ACCENT, ADDRESS_AREA, ADDRESS_SIZES, BODY_LEADING, BODY_SIZE, BULLET_INDENT,
                                        BULLETS, CONTENT_WIDTH, FONT, GREY, HEADING_SIZE, INCH, INK, MARGIN,
                                        MAX_ADDRESS_LINES, MAX_LETTERHEAD_LINES, PAGE_HEIGHT, PAGE_WIDTH, PARAGRAPH_GAP,
                                        SMALL_LEADING, SMALL_SIZE, WINDOW, Letter, LetterLayoutError)
from tasks.notices.letters.text import letter_date, text_width, to_latin1, wrap

_NB = "{nb}"  # fpdf2's total-pages alias: switched on only while a footer is printed (see _LetterPDF.footer)


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
    pdf.set_creator("cwa tasks.notices.letters")
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
