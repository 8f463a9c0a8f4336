"""Benchmark (printed as a table, never asserted): the case-data import of the contract renewal at the scale of the
renewal, 7 contracts x 5,000 children, every kind, on SQLite and on PostgreSQL.

    .venv/bin/python tests/bench/renewal_import.py     # CWA_BENCH_CONTRACTS (7), CWA_BENCH_CHILDREN (5000)
                                                       # --markdown PATH: also the rows of tests/bench/run_all.py

The extracts come from tasks/renewal/synthetic.py (one file per contract and kind, written to a temporary folder)
and are imported as `cwa renewal import` does: tasks/renewal/case_data.py:import_case_data, streaming each file
from disk, one transaction per file, referrals first. Each backend gets a fresh database (SQLite: a temporary file; PostgreSQL:
a new database on 127.0.0.1:5432, dropped afterwards). The times come from that run. Peak memory is measured in a
second run on a second fresh database with tracemalloc on (it slows Python down, so it is kept out of the times):
the most Python memory held above the start of each kind's imports. The table is printed, and with --markdown
written as a fragment for bench-results.md (tests/bench/run_all.py).
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-renewal-import-"))
for _name in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING"):
    os.environ.pop(_name, None)
os.environ.update(PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                  PREFECT_LOGGING_LEVEL="WARNING", CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}")

from sqlalchemy import create_engine, text  # noqa: E402

from models.case_data_csv import KINDS  # noqa: E402
from models.db import engine_for, session_scope  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.tables import Contract, Contractor  # noqa: E402
from tasks.renewal.case_data import import_case_data  # noqa: E402
from tasks.renewal.synthetic import synthetic_contract_year  # noqa: E402
from tests.bench.fragment import markdown_option, write_fragment  # noqa: E402

CONTRACTS = int(os.environ.get("CWA_BENCH_CONTRACTS", "7"))
CHILDREN = int(os.environ.get("CWA_BENCH_CHILDREN", "5000"))
YEAR_START = date(2025, 10, 1)
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
MIB = 1024 * 1024


def write_extracts() -> tuple[dict[str, list[Path]], float]:
    """The CSV files of every contract, by kind, and the seconds the generator took per contract."""
    files: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    folder = WORK / "extracts"
    folder.mkdir()
    spent = 0.0
    for n in range(1, CONTRACTS + 1):
        started = time.perf_counter()
        data = synthetic_contract_year(f"K-{n:03d}", children=CHILDREN, year_start=YEAR_START, seed=n, methods=True)
        spent += time.perf_counter() - started
        for kind, csv_text in data.items():
            path = folder / f"K-{n:03d}-{kind}.csv"
            path.write_text(csv_text, encoding="utf-8")
            files[kind].append(path)
    return files, spent / CONTRACTS


def prepare(url: str) -> None:
    upgrade(url)
    with session_scope(url) as session:
        session.add(Contractor(id="C-BENCH", name="Bench Agency", email="agency@example.org",
                               address_line1="1 Main St", city="Jefferson City", state="MO", zip_code="65101"))
        session.flush()
        for n in range(1, CONTRACTS + 1):
            session.add(Contract(id=f"K-{n:03d}", contractor_id="C-BENCH", region="Central",
                                 starts_on=YEAR_START, ends_on=date(2026, 9, 30)))


def import_all(url: str, files: dict[str, list[Path]], memory: bool) -> dict[str, tuple[int, float, int]]:
    """kind -> (rows, seconds, peak bytes above the start when `memory`), every contract's file of the kind."""
    results = {}
    for kind in KINDS:
        rows, base = 0, 0
        if memory:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        for path in files[kind]:
            with path.open(encoding="utf-8", newline="") as stream, session_scope(url) as session:
                rows += import_case_data(session, kind=kind, stream=stream, actor="S-BENCH").rows
        seconds = time.perf_counter() - started
        results[kind] = (rows, seconds, tracemalloc.get_traced_memory()[1] - base if memory else 0)
    return results


def bench(label: str, urls: tuple[str, str], files: dict[str, list[Path]]) -> list[tuple]:
    timed_url, memory_url = urls
    prepare(timed_url)
    timed = import_all(timed_url, files, memory=False)
    prepare(memory_url)
    tracemalloc.start()
    measured = import_all(memory_url, files, memory=True)
    tracemalloc.stop()
    rows = [(label, kind, n, seconds, measured[kind][2]) for kind, (n, seconds, _) in timed.items()]
    total_rows, total_s = sum(r[2] for r in rows), sum(r[3] for r in rows)
    rows.append((label, "all kinds", total_rows, total_s, max(r[4] for r in rows)))
    print(f"[{label}] {total_rows:,} rows in {total_s:.1f} s, {total_rows / total_s:,.0f} rows/s", flush=True)
    return rows


def table(rows: list[tuple]) -> str:
    lines = ["| database | kind | rows | seconds | rows/s | peak memory (MiB) |", "|---|---|---:|---:|---:|---:|"]
    for label, kind, n, seconds, peak in rows:
        lines.append(f"| {label} | {kind} | {n:,} | {seconds:.2f} | {n / seconds:,.0f} | {peak / MIB:.1f} |")
    return "\n".join(lines)


def main() -> None:
    markdown = markdown_option().parse_args().markdown
    started = time.perf_counter()
    files, per_contract = write_extracts()
    size = sum(p.stat().st_size for paths in files.values() for p in paths)
    rows = bench("SQLite", (f"sqlite:///{WORK / 'timed.db'}", f"sqlite:///{WORK / 'memory.db'}"), files)
    admin = create_engine(f"{PG}/test", isolation_level="AUTOCOMMIT")
    names = (f"cwa_bench_import_{os.getpid()}_t", f"cwa_bench_import_{os.getpid()}_m")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        rows += bench("PostgreSQL", tuple(f"{PG}/{name}" for name in names), files)
    finally:
        with admin.connect() as conn:
            for name in names:
                engine_for(f"{PG}/{name}").dispose()
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = (f"# Case-data import benchmark (tests/bench/renewal_import.py)\n\n"
              f"{CONTRACTS} contracts x {CHILDREN:,} children, one contract year of synthetic extracts "
              f"(tasks/renewal/synthetic.py: {per_contract:.2f} s per contract to generate), "
              f"{CONTRACTS * len(KINDS)} files, {size / MIB:.1f} MiB; {os.cpu_count()} CPU(s). Each file is streamed "
              f"from disk and imported in its own transaction (tasks/renewal/case_data.py, inserts of 5,000 rows), "
              f"referrals first. Seconds and rows/s: all {CONTRACTS} files of the kind. Peak memory: Python "
              f"allocations (tracemalloc) above the start of the kind's imports, measured in a second run; the "
              f"whole process peaked at {peak_rss:.0f} MiB resident. Total run {time.perf_counter() - started:.0f} "
              f"s.\n\n" + table(rows) + "\n")
    print(result)
    write_fragment(markdown, [
        (f"renewal case-data import, {kind}: {CONTRACTS} contracts x {CHILDREN:,} children ({n:,} rows)", label,
         "-", f"{seconds:.2f} s, {n / seconds:,.0f} rows/s, peak {peak / MIB:.1f} MiB (tracemalloc)", "-", None,
         "-") for label, kind, n, seconds, peak in rows])


if __name__ == "__main__":
    main()
