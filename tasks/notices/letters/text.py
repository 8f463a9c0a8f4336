"""Text on a letter: latin-1 only (the core fonts' encoding), measured and wrapped in Helvetica."""

import hashlib
import unicodedata
from datetime import date

from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from tasks.notices.letters.page import MONTHS


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


