"""The letter and its page: US Letter, 1-inch margins, the #10 double-window envelope's recipient window."""

from dataclasses import dataclass
from datetime import date

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


