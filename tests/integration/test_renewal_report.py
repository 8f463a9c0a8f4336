"""The renewal report (tasks/renewal/report.py) written from a complete sample of the figures, read back as text
(pypdf) and looked at as pictures (pdftoppm).

Keeps the report and a picture of every PDF page at test-output/renewal-report/ (report.pdf, report.html,
chart-*.png, page-N.png at 100 dpi): look at them after a change to the layout or the charts.

The page pictures need poppler-utils; that test is skipped without it, unless CWA_REQUIRE_BROWSER=1 (CI installs
poppler-utils and sets it): then a missing tool is a failure.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tasks.context import settings
from tasks.renewal.report import ReportFiles, artifact_markdown, report_dir, write_report
from tests.renewal_figures import CHILD_IDS, sample_figures

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "renewal-report"
DPI = 100


@pytest.fixture(scope="module")
def poppler() -> None:
    if shutil.which("pdftoppm") is None:
        reason = ("poppler-utils is not installed (no pdftoppm on PATH): apt-get install poppler-utils to look at "
                  "the renewal report's pages")
        if os.environ.get("CWA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CWA_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def figures() -> dict:
    return sample_figures()


@pytest.fixture(scope="module")
def report(figures) -> ReportFiles:
    shutil.rmtree(OUT, ignore_errors=True)
    return write_report(figures, OUT)


@pytest.fixture(scope="module")
def pdf_text(report) -> list[str]:
    return [page.extract_text() for page in PdfReader(report.pdf).pages]


def money(value: str) -> str:
    return f"${float(value):,.2f}"


def expected_strings(figures: dict) -> list[str]:
    """What both files must show: each outcome's percent and target, the incentive payment, the funding totals,
    the payments total and every import's SHA-256."""
    found = [f"{o['percent']}%" for o in figures["outcomes"]] + [f"{o['target']}%" for o in figures["outcomes"]]
    found += [money(figures["incentive"]["payment"]), money(figures["payments_total"])]
    found += [money(figures["funding_total"][key]) for key in ("amount", "state", "federal")]
    found += [i["sha256"] for i in figures["inputs"]["imports"]]
    return found


def test_the_pdf_holds_every_figure_on_numbered_letter_pages(report, pdf_text, figures):
    reader = PdfReader(report.pdf)
    pages = len(reader.pages)
    assert 4 <= pages <= 8, pages
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)  # US Letter
    for number, text in enumerate(pdf_text, start=1):
        assert f"Page {number} of {pages}" in text
        assert figures["renewal_id"] in text and "No personal data" in text
    text = "\n".join(pdf_text)
    missing = [value for value in expected_strings(figures) if value not in text]
    assert missing == []
    assert settings().division_name in pdf_text[0]
    for heading in ("Outcomes, 13 CSR 35-32.020 (13)(A)-(C)", "Monitored measures", "Incentive, 13 CSR 35-32.030 "
                    "(6)(B)", "Payments", "State and federal split", "Corrections", "Inputs and traceability",
                    "Average length of placement (Texas method)", "Residential maintenance rates"):
        assert heading in text
    assert "MISSED" in text and "Meets the permanency standard" in text
    assert reader.metadata.title == f"Contract renewal report, final outcomes, {figures['renewal_id']}"


def test_the_html_holds_the_same_figures_and_the_four_charts(report, figures):
    html = report.html.read_text(encoding="utf-8")
    missing = [value for value in expected_strings(figures) if value not in html]
    assert missing == []
    assert html.count('<img src="data:image/png;base64,') == 4
    for correction in figures["corrections"]:
        assert correction["description"] in html
    assert "Residential maintenance rates" in html and "Texas DFPS FY2011 Attachment F, Output #3" in html
    assert settings().division_name.replace("'", "&#39;") in html


def test_each_chart_is_a_real_picture_of_print_size(report):
    assert [p.name for p in report.pngs] == ["chart-outcomes.png", "chart-permanency.png", "chart-incentive.png",
                                            "chart-funding.png"]
    for path in report.pngs:
        with Image.open(path) as image:
            assert image.format == "PNG"
            width, height = image.size
            assert width >= 800 and 300 <= height <= width, (path.name, image.size)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert len(colours) > 50, f"{path.name} looks blank: {len(colours)} colours"
            white = max(colours)[0] / (width * height)
            assert white < 0.9, f"{path.name} is {white:.0%} one colour"


def test_the_pages_as_pictures(poppler, report):
    """The pictures to look at: every page of the PDF at 100 dpi, kept in test-output/renewal-report/."""
    for old in OUT.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(report.pdf), str(OUT / "page")], check=True,
                   capture_output=True)
    pictures = sorted(OUT.glob("page-*.png"), key=lambda p: int(re.search(r"(\d+)", p.stem).group(1)))
    assert len(pictures) == len(PdfReader(report.pdf).pages)
    for picture in pictures:
        with Image.open(picture) as image:
            assert image.size == (850, 1100)  # US Letter at 100 dpi
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # text and charts, not blank


def test_the_same_figures_give_the_same_files(report, figures, tmp_path):
    again = write_report(figures, tmp_path)
    assert again.pdf.read_bytes() == report.pdf.read_bytes()
    assert again.html.read_bytes() == report.html.read_bytes()
    assert [p.read_bytes() for p in again.pngs] == [p.read_bytes() for p in report.pngs]
    assert not list(tmp_path.glob("*.partial"))


def test_the_method_sections_appear_only_with_their_data(tmp_path):
    files = write_report(sample_figures(version="preliminary", texas=False, residential=False), tmp_path)
    text = "\n".join(page.extract_text() for page in PdfReader(files.pdf).pages)
    html = files.html.read_text(encoding="utf-8")
    for heading in ("Texas", "Residential maintenance rates"):
        assert heading not in text and heading not in html
    assert "Contract renewal report, preliminary outcomes" in text


def test_the_artifact_links_the_files_with_ids_and_counts_only(report, figures):
    markdown = artifact_markdown(figures["renewal_id"], report, "final")
    assert figures["renewal_id"] in markdown and "(final)" in markdown
    for path in (report.html, report.pdf, *report.pngs):
        assert f"({path.resolve().as_uri()})" in markdown
    assert markdown.count("file://") == 7  # the folder, the two reports and four charts
    assert CHILD_IDS[1] in report.html.read_text(encoding="utf-8")  # a correction names a child by ID
    assert not any(child in markdown for child in CHILD_IDS)
    assert not re.search(r"CH-\d", markdown)
    assert "S-005" not in markdown  # the staff on the corrections stay in the report


def test_reports_are_stored_by_renewal_id_under_the_reports_directory():
    assert report_dir("RN-K-001-2025-10-01") == Path(settings().reports_dir) / "renewals" / "RN-K-001-2025-10-01"
    for bad in ("../etc", "RN/1", ""):
        with pytest.raises(ValueError):
            report_dir(bad)


def test_a_year_without_data_still_renders(tmp_path):
    """No children served: no percent, no result, nothing paid, no appropriation, no imports, no corrections."""
    figures = sample_figures(texas=False, residential=False)
    for outcome in figures["outcomes"]:
        outcome.update(numerator=0, denominator=0, percent=None, met=None)
    incentive = figures["incentive"]
    for month in incentive["months"]:
        month.update(achieved=0, difference=f"-{month['expected']}")
    incentive.update(sum_of_differences="-129.96", children_paid=0, amount="0.00", appropriation=None,
                     payment="0.00", meets_standard=False)
    figures.update(corrections=[], inputs={"imports": [], "children": 0, "events": 0})
    files = write_report(figures, tmp_path)
    text = "\n".join(page.extract_text() for page in PdfReader(files.pdf).pages)
    assert "No corrections were recorded." in text and "MISSED" not in text
    assert "Appropriation n/a" in text and "-129.96" in text
