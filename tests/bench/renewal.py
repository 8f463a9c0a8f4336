"""Benchmark (printed as a table, never asserted): the renewal computation at the scale of the renewal, 7 contracts x
5,000 children x 12 months, on SQLite and on PostgreSQL.

    .venv/bin/python tests/bench/renewal.py     # CWA_BENCH_CONTRACTS (7), CWA_BENCH_CHILDREN (5000)
                                                # --markdown PATH: also the rows of tests/bench/run_all.py

Each backend gets a fresh database (SQLite: a temporary file; PostgreSQL: a new database on 127.0.0.1:5432, dropped
afterwards), seeded with the contracts, their ContractTerms and an open Renewal each, and every kind of case data of
tasks/renewal/synthetic.py (with the methods' placement exits and cost reports, so that the report's two method sections
are computed too), imported through tasks/renewal/case_data.py:import_case_data, one transaction per file.

Then, timed: tasks/renewal/figures.py:figures_for for each contract (outcomes, incentive, payments, funding and the
method sections, read from the database; one session per contract), the target being all 7 in 10 s; and
tasks/renewal/report.py:write_report for each contract (charts, HTML, PDF). Peak memory is measured in a second
pass over the same database with tracemalloc on (it slows Python down, so it is kept out of the times): the most
Python memory held above the start of the work; and the process's peak resident size (ru_maxrss) after the work,
which includes everything before it. The table is printed, and with --markdown written as a fragment for
bench-results.md (tests/bench/run_all.py).
"""

import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-renewal-"))
for _name in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING"):
    os.environ.pop(_name, None)
os.environ.update(PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                  PREFECT_LOGGING_LEVEL="WARNING", CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}",
                  CWA_REPORTS_DIR=str(WORK / "reports"))

from sqlalchemy import create_engine, text  # noqa: E402

from models.db import engine_for, session_scope  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.tables import Contract, Contractor, ContractTerms, Renewal  # noqa: E402
from tasks.renewal.case_data import import_case_data  # noqa: E402
from tasks.renewal.figures import figures_for  # noqa: E402
from tasks.renewal.report import write_report  # noqa: E402
from tasks.renewal.synthetic import synthetic_contract_year  # noqa: E402
from tests.bench.fragment import markdown_option, write_fragment  # noqa: E402

CONTRACTS = int(os.environ.get("CWA_BENCH_CONTRACTS", "7"))
CHILDREN = int(os.environ.get("CWA_BENCH_CHILDREN", "5000"))
YEAR_START, YEAR_END, AS_OF = date(2025, 10, 1), date(2026, 9, 30), date(2026, 10, 5)
TARGET_SECONDS = 10.0  # the issue: the renewal computation for 7 x 5,000 children x 12 months
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
MIB = 1024 * 1024
IDS = [f"K-{n:03d}" for n in range(1, CONTRACTS + 1)]


def rid(contract_id: str) -> str:
    return f"RN-{contract_id}-{YEAR_START.isoformat()}"


def seed(url: str, extracts: dict[str, dict[str, str]]) -> tuple[int, float]:
    """Migrate, add the contracts, terms and renewals, import every extract; (rows imported, seconds importing)."""
    upgrade(url)
    with session_scope(url) as session:
        session.add(Contractor(id="C-BENCH", name="Bench Agency", email="agency@example.org",
                               address_line1="1 Main St", city="Jefferson City", state="MO", zip_code="65101"))
        session.flush()
        for contract_id in IDS:
            session.add(Contract(id=contract_id, contractor_id="C-BENCH", region="Central", starts_on=YEAR_START,
                                 ends_on=date(2027, 9, 30)))
        session.flush()
        for contract_id in IDS:
            session.add(ContractTerms(
                contract_id=contract_id, year_start=YEAR_START, year_end=YEAR_END, cases_awarded=4000,
                monthly_rate=Decimal("1850.00"), permanency_target=Decimal("20.00"), safety_target=Decimal("98.00"),
                reentry_target=Decimal("90.00"), region_county_permanency=Decimal("26.00"),
                region_contractor_permanency=Decimal("24.10"), allowable_reentries=30,
                appropriation=Decimal("900000.00"), recorded_by="S-BENCH"))
            session.add(Renewal(id=rid(contract_id), contract_id=contract_id, year_start=YEAR_START,
                                year_end=YEAR_END))
    rows, started = 0, time.perf_counter()
    for contract_id in IDS:
        for kind, csv_text in extracts[contract_id].items():
            with session_scope(url) as session:
                rows += import_case_data(session, kind=kind, stream=io.StringIO(csv_text), actor="S-BENCH").rows
    return rows, time.perf_counter() - started


def compute(url: str) -> dict[str, dict]:
    figures = {}
    for contract_id in IDS:
        with session_scope(url) as session:
            figures[contract_id] = figures_for(session, rid(contract_id), "final", AS_OF)
    return figures


def reports(figures: dict[str, dict], folder: Path) -> list[float]:
    seconds = []
    for contract_id, f in figures.items():
        started = time.perf_counter()
        write_report(f, folder / rid(contract_id))
        seconds.append(time.perf_counter() - started)
    return seconds


def measured(work) -> tuple[object, float]:
    """(the work's result, the most Python memory it held above its start), with tracemalloc on."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = work()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return result, peak


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench(label: str, url: str, extracts: dict[str, dict[str, str]]) -> list[tuple]:
    rows_imported, import_s = seed(url, extracts)
    seed_rss = rss()
    started = time.perf_counter()
    figures = compute(url)
    compute_s = time.perf_counter() - started
    _, compute_peak = measured(lambda: compute(url))
    compute_rss = rss()
    report_s = reports(figures, WORK / label / "timed")
    _, report_peak = measured(lambda: reports(figures, WORK / label / "measured"))
    children = sum(f["inputs"]["children"] for f in figures.values())
    sections = sum(len(f["sections"]) for f in figures.values())
    print(f"[{label}] figures_for: {len(figures)} contracts, {children:,} children in {compute_s:.2f} s; "
          f"write_report: {sum(report_s):.1f} s", flush=True)
    return [(f"import of the case data ({rows_imported:,} rows)", label, import_s,
             f"{rows_imported / import_s:,.0f} rows", None, seed_rss, "", ""),
            (f"figures_for, {len(figures)} contracts ({children:,} children, {sections} method sections)", label,
             compute_s, f"{children / compute_s:,.0f} children", compute_peak / MIB, compute_rss,
             f"<= {TARGET_SECONDS:.0f} s", "yes" if compute_s <= TARGET_SECONDS else "NO"),
            (f"write_report, {len(report_s)} contracts (mean {sum(report_s) / len(report_s):.2f} s, "
             f"max {max(report_s):.2f} s each)", label, sum(report_s), f"{len(report_s) / sum(report_s):.2f} reports",
             report_peak / MIB, rss(), "", "")]


def table(rows: list[tuple]) -> str:
    lines = ["| work | database | seconds | per second | peak MiB (tracemalloc / ru_maxrss) | target | met? |",
             "|---|---|---:|---:|---:|---|---|"]
    for work, label, seconds, per_second, peak, max_rss, target, met in rows:
        traced = "n/a" if peak is None else f"{peak:.1f}"
        lines.append(f"| {work} | {label} | {seconds:.2f} | {per_second} | {traced} / {max_rss:.0f} | "
                     f"{target or 'n/a'} | {met or 'n/a'} |")
    return "\n".join(lines)


def main() -> None:
    markdown = markdown_option().parse_args().markdown
    started = time.perf_counter()
    extracts = {contract_id: synthetic_contract_year(contract_id, children=CHILDREN, year_start=YEAR_START,
                                                     seed=n, methods=True)
                for n, contract_id in enumerate(IDS, start=1)}
    rows = bench("SQLite", f"sqlite:///{WORK / 'renewal.db'}", extracts)
    admin = create_engine(f"{PG}/test", isolation_level="AUTOCOMMIT")
    name = f"cwa_bench_renewal_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        rows += bench("PostgreSQL", f"{PG}/{name}", extracts)
    finally:
        engine_for(f"{PG}/{name}").dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    result = (f"# Renewal computation benchmark (tests/bench/renewal.py)\n\n"
              f"{CONTRACTS} contracts x {CHILDREN:,} children, one contract year ({YEAR_START} to {YEAR_END}) of "
              f"synthetic case data (tasks/renewal/synthetic.py, with the methods' placement exits and cost reports); "
              f"{os.cpu_count()} CPU(s). Each database is fresh and seeded through import_case_data. figures_for: "
              f"each contract's figures in a session of its own (the outcomes, incentive, payments, funding and "
              f"the two method sections); write_report: each contract's charts, HTML and PDF. Peak MiB: Python "
              f"allocations above the start of the work (tracemalloc, a second pass) / the process's peak "
              f"resident size after it (ru_maxrss, which includes the seeding before). Total run "
              f"{time.perf_counter() - started:.0f} s.\n\n" + table(rows) + "\n")
    print(result)
    write_fragment(markdown, [
        (f"renewal: {work}, {CONTRACTS} contracts x {CHILDREN:,} children", label, "-",
         f"{seconds:.2f} s, {per_second}/s; peak {'-' if peak is None else f'{peak:.1f}'} MiB (tracemalloc), "
         f"{max_rss:.0f} MiB (ru_maxrss)", target, met, "-")
        for work, label, seconds, per_second, peak, max_rss, target, met in rows])


if __name__ == "__main__":
    main()
