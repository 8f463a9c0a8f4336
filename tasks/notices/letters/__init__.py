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

from tasks.notices.letters.page import (ADDRESS_AREA, CONTENT_WIDTH, INCH, MARGIN, MAX_ADDRESS_LINES, PAGE_HEIGHT,
                                        PAGE_WIDTH, WINDOW, Box, Letter, LetterLayoutError)
from tasks.notices.letters.pdf import address_layout, render_letter
from tasks.notices.letters.text import letter_date, letter_hash, text_width, to_latin1, wrap

__all__ = ["ADDRESS_AREA", "CONTENT_WIDTH", "INCH", "MARGIN", "MAX_ADDRESS_LINES", "PAGE_HEIGHT", "PAGE_WIDTH",
           "WINDOW", "Box", "Letter", "LetterLayoutError", "address_layout", "letter_date", "letter_hash",
           "render_letter", "text_width", "to_latin1", "wrap"]
