"""The renewal report: HTML and PDF with the four charts, stored under CWA_REPORTS_DIR, and the Prefect artifact
that links them (docs/architecture.md, "Notices": letters are fpdf2 too).

The report reads only the figures dict (tasks/renewal/figures.py, "The figures of a renewal"). Both files are
drawn from one list of sections, so the HTML and the PDF say the same thing: every figure in a table with its
paragraph and definition, the imports with their SHA-256 and what each figure is computed from, the
corrections, and a Texas or residential section when figures["sections"] has one. A section there is
{"title", "paragraph", "definition", "columns": [...], "rows": [[...]], "notes": [...]}. Children, staff and
contractors appear by ID only. The same figures give the same bytes (the PDF is dated figures["computed_on"]).
"""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

import templates
from tasks.context import settings
from tasks.renewal.charts import CHARTS, charts
from tasks.renewal.report_pdf import report_pdf

NO_PERSONAL_DATA = "No personal data: children, staff and contractors appear by ID only."
# Figure -> the kinds of case data it is computed from (the imports of those kinds are listed beside it).
TRACE = {"permanency": ("referrals", "exits"), "safety": ("referrals", "exits", "reports"),
         "no_reentry": ("exits", "reentries"), "placement_settings": ("referrals", "placement_changes"),
         "residential_days": ("referrals", "residential_days"), "older_youth_permanency": ("referrals", "exits"),
         "resource_homes": ("resource_homes",), "funding": ("referrals",),
         "payments": ("reentries", "adjustments")}


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pdf: Path
    pngs: list[Path]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: tuple[float, ...] = ()  # relative column widths; () = by the longest value of each column
    numeric: tuple[int, ...] | None = None  # columns aligned right; None: those whose every value is a number

    def __post_init__(self):
        if not self.widths:
            self.widths = tuple(min(40, max(6, *(len(row[i]) for row in [self.columns, *self.rows])))
                                for i in range(len(self.columns)))
        if self.numeric is None:
            number = re.compile(r"-?\$?[\d,]+(\.\d+)?%?|n/a|")
            self.numeric = tuple(i for i in range(len(self.columns)) if self.rows
                                 and all(number.fullmatch(row[i]) for row in self.rows))


@dataclass
class Section:
    heading: str
    intro: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def money(value) -> str:
    return "n/a" if value is None else f"${Decimal(value):,.2f}"


def pct(value) -> str:
    return "n/a" if value is None else f"{value}%"


def text(value) -> str:
    return "" if value is None else f"{value:,}" if type(value) is int else str(value)


def cases(n: int) -> str:
    return f"{n:,} case" + ("" if n == 1 else "s")


def _trace(figures: dict, name: str) -> str:
    imports = figures["inputs"]["imports"]
    return ", ".join([i["id"] for i in imports if i["kind"] in TRACE.get(name, ())] or [i["id"] for i in imports])


def _summary(figures: dict) -> Section:
    inc, total = figures["incentive"], figures["funding_total"]
    missed = "; ".join(o["label"] for o in figures["outcomes"] if o["met"] is False) or "none"
    pairs = [("Renewal", figures["renewal_id"]), ("Version", figures["version"]),
             ("Contract", figures["contract_id"]), ("Computed on", figures["computed_on"]),
             ("Contractor", figures["contractor_id"]), ("Children served", text(figures["inputs"]["children"])),
             ("Region", figures["region"]), ("Incentive payment", money(inc["payment"])),
             ("Contract year", f"{figures['year_start']} to {figures['year_end']}"),
             ("Payments for the year", money(figures["payments_total"])), ("Outcomes missed", missed),
             ("State / federal", f"{money(total['state'])} / {money(total['federal'])}")]
    rows = [[*pairs[i], *pairs[i + 1]] for i in range(0, len(pairs), 2)]
    return Section("Summary", [NO_PERSONAL_DATA], [Table(["Figure", "Value", "Figure", "Value"], rows,
                                                         (1.1, 1.6, 1.3, 1.8), ())])


def _outcomes(figures: dict) -> list[Section]:
    outcomes, monitored = figures["outcomes"], figures["monitored"]
    result = {True: "met", False: "MISSED", None: "n/a"}
    return [Section("Outcomes, 13 CSR 35-32.020 (13)(A)-(C)", [], [Table(
        ["Outcome", "Paragraph", "Numerator", "Denominator", "Percent", "Target", "Result"],
        [[o["label"], o["paragraph"], text(o["numerator"]), text(o["denominator"]), pct(o["percent"]),
          pct(o["target"]), result[o["met"]]] for o in outcomes], (2.6, 2.7, 1.1, 1.3, 0.95, 0.95, 0.95))],
        ["outcomes"],
        [f"{o['label']} ({o['paragraph']}): {o['definition']}" for o in outcomes]),
        Section("Monitored measures, 13 CSR 35-32.020 (13)(D)", [], [Table(
            ["Measure", "Numerator", "Denominator", "Value"],
            [[m["label"], text(m["numerator"]), text(m["denominator"]), text(m["percent"]) or "n/a"]
             for m in monitored], (4, 1.3, 1.3, 1))], [], [f"{m['label']}: {m['definition']}" for m in monitored])]


def _incentive(inc: dict) -> Section:
    running, months = Decimal(0), []
    for m in inc["months"]:
        running += Decimal(m["difference"])
        months.append([m["month"], m["expected"], text(m["achieved"]), m["difference"], str(running)])
    figures = [["Method", inc["method"]], ["Expected permanency", pct(inc["expected_percent"])],
               ["Sum of monthly differences", inc["sum_of_differences"]],
               ["Children paid for", text(inc["children_paid"])],
               ["Monthly amount per case", money(inc["monthly_rate"])],
               ["Amount", money(inc["amount"])], ["Appropriation", money(inc["appropriation"])],
               ["Incentive payment", money(inc["payment"])],
               ["Meets the permanency standard, (6)(B)5", "yes" if inc["meets_standard"] else "no"]]
    return Section(f"Incentive, {inc['paragraph']}", [
        f"Expected permanency is {pct(inc['expected_percent'])}: {inc['expected_basis']}. Each month's expected "
        "number is compared with the children who achieved permanency; the positive sum of the differences, in "
        "whole children, is paid once at the monthly amount per case, up to the appropriation."], [
        Table(["Figure", "Value"], figures, (1, 1), ()),
        Table(["Month", "Expected", "Achieved", "Difference", "Cumulative"], months, (1, 1, 1, 1, 1))],
        ["permanency", "incentive"])


def _payments(figures: dict) -> list[Section]:
    reasons, rows = {}, []
    for line in figures["payments"]:
        reasons.update((r["reason"], r["paragraph"]) for r in line["reductions"])
        rows.append([line["month"], text(line.get("cases")), money(line["base"]), "; ".join(
            f"{r['reason']}: {cases(r['cases'])}, {money(r['amount'])}" for r in line["reductions"]) or "none",
            money(line["paid"])])
    rows.append(["Total", "", "", "", money(figures["payments_total"])])
    shares, total = figures["funding"], figures["funding_total"]
    return [Section("Payments, 13 CSR 35-32.030 (5) and (6)(B)3", [
        "The contractor is paid monthly for the cases awarded, less the reductions of (6)(B)3.A-F."], [Table(
            ["Month", "Cases", "Base", "Reductions", "Paid"], rows, (1, 0.8, 1.5, 3, 1.5), (1, 2, 4))], [],
        [f"Reduction {reason}: {paragraph}" for reason, paragraph in sorted(reasons.items())]),
        Section("State and federal split", [
            "Each payment is split: Title IV-E children at the FMAP of the fiscal year, HDN children 100% state, "
            "IV-E administration 50/50, IV-E training 25% state and 75% federal."], [Table(
                ["Category", "Amount", "State", "Federal", "Federal rate"],
                [[s["category"], money(s["amount"]), money(s["state"]), money(s["federal"]), s["federal_rate"]]
                 for s in shares] + [["Total", money(total["amount"]), money(total["state"]), money(total["federal"]),
                                      ""]], (2, 1.6, 1.6, 1.6, 1), (1, 2, 3, 4))],
            ["funding"], [s["source"] if s["source"].startswith(s["category"]) else f"{s['category']}: {s['source']}"
                          for s in shares])]


def sections(figures: dict) -> list[Section]:
    """The report's content, in order, as headings, paragraphs and tables of strings."""
    fixes = figures["corrections"]
    corrections = Section("Corrections", [] if fixes else ["No corrections were recorded."], [Table(
        ["On", "Kind", "By", "Description"],
        [[c["on"], c["kind"].replace("_", " "), c["by"], c["description"]] for c in fixes], (1, 1.3, 0.8, 5))]
        if fixes else [])
    extra = [Section(f"{s['title']}, {s['paragraph']}", [s["definition"]] if s.get("definition") else [],
                     [Table(list(s["columns"]), [[text(v) or "n/a" for v in row] for row in s["rows"]])], [],
                     list(s.get("notes", [])))
             for key in ("texas", "residential") if (s := (figures.get("sections") or {}).get(key))]
    inputs, inc = figures["inputs"], figures["incentive"]
    traced = [[m["label"], m["paragraph"], _trace(figures, m["name"])]
              for m in [*figures["outcomes"], *figures["monitored"]]]
    traced += [["Incentive", inc["paragraph"], _trace(figures, "permanency") + "; contract terms"],
               ["Payments", "13 CSR 35-32.030 (5), (6)(B)3", _trace(figures, "payments") + "; contract terms"],
               ["State and federal split", "13 CSR 35-32.030 (5)",
                f"payments; {_trace(figures, 'funding')} (each child's funding); FMAP setting"]]
    trace = Section("Inputs and traceability", [
        f"{text(inputs['children'])} children and {text(inputs['events'])} events, from these imports. "
        "The SHA-256 identifies each imported file's exact content."], [
        Table(["Import", "Kind", "Rows", "SHA-256"], [[i["id"], i["kind"], text(i["rows"]), i["sha256"]]
                                                      for i in inputs["imports"]], (52, 88, 44, 320), (2,)),
        Table(["Figure", "Rule", "Computed from"], traced, (2.2, 2, 2.6))])
    return [_summary(figures), *_outcomes(figures), _incentive(inc), *_payments(figures), corrections, *extra, trace]


def report_dir(renewal_id: str) -> Path:
    """Where a renewal's report is stored: CWA_REPORTS_DIR/renewals/<renewal ID>/."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", renewal_id):
        raise ValueError(f"not a renewal ID: {renewal_id!r}")
    return Path(settings().reports_dir) / "renewals" / renewal_id


def _header() -> tuple[str, list[str]]:
    s = settings()
    lines = [line.strip() for line in s.division_address.split(";") if line.strip()]
    return s.division_name, [*lines, f"{s.division_phone}  |  {s.division_email}"]


def _title(figures: dict) -> str:
    return f"Contract renewal report, {figures['version']} outcomes"


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def render_html(figures: dict, images: dict[str, bytes]) -> str:
    env = Environment(loader=FileSystemLoader(Path(templates.__file__).parent), undefined=StrictUndefined,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",)), trim_blocks=True,
                      lstrip_blocks=True)
    name, lines = _header()
    titles = {key: title for key, title, _ in CHARTS}
    uris = {key: "data:image/png;base64," + base64.b64encode(png).decode() for key, png in images.items()}
    return env.get_template("renewal/report.html.j2").render(
        figures=figures, title=_title(figures), division_name=name, division_lines=lines, sections=sections(figures),
        chart_uris=uris, chart_titles=titles, no_personal_data=NO_PERSONAL_DATA)


def render_pdf(figures: dict, images: dict[str, bytes]) -> bytes:
    name, lines = _header()
    intro = (f"Renewal {figures['renewal_id']}, contract {figures['contract_id']}, contractor "
             f"{figures['contractor_id']}, contract year {figures['year_start']} to {figures['year_end']}, computed on "
             f"{figures['computed_on']}.")
    return report_pdf(division=(name, lines), title=_title(figures), renewal_id=figures["renewal_id"], intro=intro,
                      dated=date.fromisoformat(figures["computed_on"]), sections=sections(figures), images=images,
                      titles={key: title for key, title, _ in CHARTS})


def write_report(figures: dict, out_dir: Path) -> ReportFiles:
    """Write report.html, report.pdf and the chart PNGs into out_dir (created); each file whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    images = charts(figures)
    pngs = []
    for key, png in images.items():
        path = out_dir / f"chart-{key}.png"
        _write(path, png)
        pngs.append(path)
    html, pdf = out_dir / "report.html", out_dir / "report.pdf"
    _write(html, render_html(figures, images).encode())
    _write(pdf, render_pdf(figures, images))
    return ReportFiles(html=html, pdf=pdf, pngs=pngs)


def artifact_markdown(renewal_id: str, files: ReportFiles, version: str) -> str:
    """The artifact's text: the stored files by file:// link, their sizes and SHA-256; IDs and counts only."""
    rows = [("HTML report", files.html), ("PDF report", files.pdf), *((f"Chart {p.stem}", p) for p in files.pngs)]
    table = "\n".join(f"| {label} | [{path.name}]({path.resolve().as_uri()}) | {path.stat().st_size:,} | "
                      f"`{hashlib.sha256(path.read_bytes()).hexdigest()}` |" for label, path in rows)
    return (f"# Renewal report {renewal_id} ({version})\n\n"
            f"{len(rows)} files stored in [{files.pdf.parent.name}]({files.pdf.parent.resolve().as_uri()}). "
            f"{NO_PERSONAL_DATA}\n\n| File | Link | Bytes | SHA-256 |\n|---|---|---:|---|\n{table}\n")


def publish_report_artifact(renewal_id: str, files: ReportFiles, version: str):
    """A Prefect markdown artifact linking the stored report (call inside a flow or task run)."""
    from prefect.artifacts import create_markdown_artifact

    key = re.sub(r"[^a-z0-9-]+", "-", f"renewal-report-{renewal_id.lower()}")
    return create_markdown_artifact(key=key, markdown=artifact_markdown(renewal_id, files, version),
                                    description=f"Renewal report {renewal_id} ({version}): IDs and counts only")
