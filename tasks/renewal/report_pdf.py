"""The renewal report as a PDF with fpdf2: US Letter, 0.75-inch margins so that the 7-inch charts print at their
own size (no type under 9 pt), tables that repeat their headings across pages, the renewal ID and "no personal
data" on every page, "Page N of M". The same content gives the same bytes (dated by the caller)."""

from collections.abc import Sequence
from datetime import date, datetime, timezone
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import FontFace

from tasks.notices.letters.text import to_latin1

MARGIN = 54.0
INK, GREY, ACCENT = (26, 26, 26), (90, 90, 90), (31, 58, 95)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 242))


class _ReportPDF(FPDF):
    def __init__(self, running_head: str, running_foot: str):
        super().__init__(orientation="portrait", unit="pt", format="letter")
        self.running_head, self.running_foot = to_latin1(running_head), to_latin1(running_foot)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.alias_nb_pages("{nb}")

    def _small(self, y: float, value: str, align: Align) -> None:
        self.set_font("Helvetica", "", 8.5)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, y)
        self.cell(self.epw, 10, value, align=align)
        self.set_text_color(*INK)

    def header(self) -> None:
        if self.page_no() > 1:
            self._small(30, self.running_head, Align.L)
            self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self._small(self.h - 40, f"{self.running_foot}  |  Page {self.page_no()} of {{nb}}", Align.C)

    def paragraph(self, value: str, size: float = 10, style: str = "", color=INK) -> None:
        self.set_font("Helvetica", style, size)
        self.set_text_color(*color)
        self.multi_cell(self.epw, size * 1.35, to_latin1(value), align=Align.L, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(4)

    def grid(self, columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             numeric: Sequence[int]) -> None:
        self.set_font("Helvetica", "", 9)
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(columns)))
        with self.table(col_widths=tuple(widths), text_align=align, line_height=12, padding=(2, 3),
                        borders_layout="HORIZONTAL_LINES", headings_style=HEADINGS, width=self.epw) as table:
            for row in [columns, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell(to_latin1(value))
        self.ln(8)

    def chart(self, png: bytes, title: str) -> None:
        """The chart at the full text width (its own size: 7 inches), on the next page if it does not fit."""
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        shown = self.epw * height / width
        if self.get_y() + shown > self.page_break_trigger:
            self.add_page()
        self.image(BytesIO(png), x=MARGIN, y=self.get_y(), w=self.epw, h=shown, title=title, alt_text=title)
        self.set_y(self.get_y() + shown + 8)


def report_pdf(*, division: tuple[str, list[str]], title: str, renewal_id: str, intro: str, dated: date,
               sections: Sequence, images: dict[str, bytes], titles: dict[str, str]) -> bytes:
    """The PDF of the report's sections (tasks.renewal.report.Section: heading, intro, tables, charts, notes)."""
    name, lines = division
    pdf = _ReportPDF(f"{name}  |  {title}  |  {renewal_id}", f"Renewal {renewal_id}  |  No personal data: IDs only")
    pdf.set_creation_date(datetime(dated.year, dated.month, dated.day, tzinfo=timezone.utc))
    pdf.set_title(to_latin1(f"{title}, {renewal_id}"))
    pdf.set_author(to_latin1(name))
    pdf.set_creator("cwa tasks.renewal.report")
    pdf.set_producer("fpdf2")
    pdf.set_lang("en-US")
    pdf.add_page()
    pdf.paragraph(name, 15, "B", ACCENT)
    pdf.paragraph("\n".join(lines), 9)
    pdf.paragraph(title, 14, "B")
    pdf.paragraph(intro)
    for section in sections:
        if pdf.get_y() + 80 > pdf.page_break_trigger:  # a heading keeps a few lines of its section with it
            pdf.add_page()
        pdf.paragraph(section.heading, 12.5, "B", ACCENT)
        for value in section.intro:
            pdf.paragraph(value)
        for table in section.tables:
            pdf.grid(table.columns, table.rows, table.widths, table.numeric)
        for key in section.charts:
            pdf.chart(images[key], titles[key])
        for note in section.notes:
            pdf.paragraph(note, 9)
    return bytes(pdf.output())
