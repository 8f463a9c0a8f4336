"""A rendered letter as the mailroom's printer sees it (poppler: pdftoppm, pdftotext).

Keeps a picture of the sample letter's first page at test-output/letters/first-page.png (look at it after
a layout change), and checks with pdftotext's word boxes that the recipient address block lies inside the
#10 double-window envelope's recipient window and that nothing else on the page shows through it.

Skipped when poppler-utils is not installed, unless CWA_REQUIRE_BROWSER=1 (CI installs poppler-utils and
sets it): then a missing tool is a failure.
"""

import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from tasks.notices.letters import ADDRESS_AREA, PAGE_HEIGHT, PAGE_WIDTH, WINDOW, Box, render_letter
from tests.unit.test_letters import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "letters"
DPI = 80
XHTML = "{http://www.w3.org/1999/xhtml}"

FIVE_LINES = replace(SAMPLE, recipient_lines=(
    "Gateway Family Partners", "Attn: Contract Compliance Office", "1200 Market St", "Suite 400",
    "ST. LOUIS MO 63103-2814"))


@pytest.fixture(scope="module")
def poppler() -> None:
    missing = [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]
    if missing:
        reason = (f"poppler-utils is not installed (no {', '.join(missing)} on PATH): "
                  f"apt-get install poppler-utils to render and measure letters")
        if os.environ.get("CWA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CWA_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def first_page_lines(pdf_path: Path) -> list[tuple[str, Box]]:
    """Every text line on page 1 with its box (points from the page's top-left), from pdftotext -bbox-layout."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = []
    for line in ET.fromstring(html).iter(f"{XHTML}line"):
        text = " ".join(word.text for word in line.iter(f"{XHTML}word"))
        x0, y0, x1, y1 = (float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
        lines.append((text, Box(x0, y0, x1 - x0, y1 - y0)))
    return lines


def overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def test_first_page_picture(poppler):
    """The picture to look at: the sample letter's first page at 80 dpi."""
    OUT.mkdir(parents=True, exist_ok=True)
    pdf_path = OUT / "sample.pdf"
    pdf_path.write_bytes(render_letter(SAMPLE))
    png = OUT / "first-page.png"
    png.unlink(missing_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(OUT / "first-page")], check=True, capture_output=True)
    assert png.is_file()
    assert png_size(png) == (round(PAGE_WIDTH / 72 * DPI), round(PAGE_HEIGHT / 72 * DPI))  # 680 x 880: US Letter
    assert 10_000 < png.stat().st_size < 1_000_000  # text on white: neither blank nor noise


@pytest.mark.parametrize("letter", [SAMPLE, FIVE_LINES], ids=["four-line-address", "five-line-address"])
def test_the_address_block_shows_in_the_envelope_window_and_nothing_else_does(poppler, tmp_path, letter):
    pdf_path = tmp_path / "letter.pdf"
    pdf_path.write_bytes(render_letter(letter))
    lines = first_page_lines(pdf_path)
    address = [(text, box) for text, box in lines if text in letter.recipient_lines]
    assert [text for text, _ in address] == list(letter.recipient_lines)
    for text, box in address:
        assert ADDRESS_AREA.contains(box), f"{text!r} at {box} is not 1/8 in inside the window {WINDOW}"
    others = [(text, box) for text, box in lines if text not in letter.recipient_lines]
    assert any(text == "November 24, 2026" for text, _ in others)
    shows = [text for text, box in others if overlaps(box, WINDOW)]
    assert not shows, f"these lines would show through the envelope window: {shows}"
