"""Benchmark (printed as a table, never asserted): rendering letters with tasks.notices.letters.render_letter.

    .venv/bin/python tests/bench/letters.py            # 10,000 letters (CWA_BENCH_LETTERS to change)
                                                       # --markdown PATH: also the rows of tests/bench/run_all.py

Renders the same mix of letters (four in five of one page, one in five of two pages; every letter with its
own recipient and reference) once in this process and once in a pool of 2 worker processes (chunks of
letter numbers; each worker builds its letters, as an outbox worker builds them from its rows), and prints
letters per second, pages, bytes and peak memory (ru_maxrss) of this process and of the workers, against
the production goal: 100,000 letters in 10 minutes on 2 cores, i.e. at least 170 letters per second.
"""

import multiprocessing
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tasks.notices.letters import Letter, render_letter  # noqa: E402
from tests.bench.fragment import markdown_option, met, write_fragment  # noqa: E402

LETTERS = int(os.environ.get("CWA_BENCH_LETTERS", "10000"))
PROCESSES = 2
CHUNK = 250
GOAL = 170  # letters per second: 100,000 in 10 minutes, with a little to spare
STREETS = ("Market St", "Grand Blvd", "High St", "Broadway", "Olive St", "Main St", "Walnut St", "Locust St")
CITIES = (("ST. LOUIS", "63103"), ("KANSAS CITY", "64106"), ("JEFFERSON CITY", "65101"), ("SPRINGFIELD", "65806"),
          ("COLUMBIA", "65201"), ("JOPLIN", "64801"), ("CAPE GIRARDEAU", "63701"), ("ST. JOSEPH", "64501"))
REASONS = ("The findings bear directly on the duties of a case manager, which include unsupervised contact "
           "with children in their homes and transporting them to appointments.")


def letter(n: int) -> Letter:
    """Letter number n of the mix: one page, or two pages for every fifth."""
    city, zip_code = CITIES[n % len(CITIES)]
    review = f"HR-{n:06d}"
    body = [f"The Children's Division designee has reviewed your written request of hiring review {review} "
            f"for prospective employee P-{n:06d}.",
            "Decision: the individual may not provide case management services under the contract.",
            f"Reasons: {REASONS}\n- the nature of the findings and how long ago they occurred;\n"
            "- the duties of the position;\n- the information you sent with your request."]
    if n % 5 == 4:
        body += [f"Further reasons ({k}): {REASONS} {REASONS}" for k in range(1, 10)]
    return Letter(
        division_name="Missouri Children's Division",
        division_address_lines=("P.O. Box 88", "Jefferson City, MO 65103-0088"),
        contact_lines=("Telephone (573) 522-8024", "Email contracts@dss.mo.example"),
        notice_date=date(2026, 1, 1) + timedelta(days=n % 365),
        reference=f"{review} / notice {n}",
        recipient_lines=(f"Contractor {n} Family Services", f"{100 + n % 9000} {STREETS[n % len(STREETS)]}",
                         *((f"Suite {n % 700}",) if n % 3 == 0 else ()), f"{city} MO {zip_code}"),
        subject=f"Hiring review {review}: decision of the designee",
        body="\n\n".join(body),
        sections=(("What you can do and by when",
                   "If you dispute this decision you may request an administrative review, in writing, setting "
                   "out your reasons, no later than thirty days from the date of this decision."),
                  ("Contact", "Missouri Children's Division, P.O. Box 88, Jefferson City, MO 65103-0088. "
                              "Telephone (573) 522-8024; email contracts@dss.mo.example."),
                  ("Rule", "This notice was issued under 13 CSR 35-32.020 (7)(C)2.")),
    )


def render_range(bounds: tuple[int, int]) -> tuple[int, int, int, int]:
    """Render letters start..stop-1; (letters, pages, bytes, this process's peak RSS in KiB)."""
    pages = size = 0
    for n in range(*bounds):
        pdf = render_letter(letter(n))
        pages += pdf.count(b"/Type /Page\n")
        size += len(pdf)
    return bounds[1] - bounds[0], pages, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_process() -> tuple[float, int, int]:
    render_range((0, 50))  # warm up: imports, the latin-1 table
    start = time.perf_counter()
    _, pages, size, _ = render_range((0, LETTERS))
    return time.perf_counter() - start, pages, size


def pool() -> tuple[float, int, int, int]:
    chunks = [(start, min(start + CHUNK, LETTERS)) for start in range(0, LETTERS, CHUNK)]
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else methods[0])
    start = time.perf_counter()  # includes starting the workers
    with ctx.Pool(PROCESSES) as workers:
        results = workers.map(render_range, chunks, chunksize=1)
        workers.close()
        workers.join()
    elapsed = time.perf_counter() - start
    assert sum(r[0] for r in results) == LETTERS
    return elapsed, sum(r[1] for r in results), sum(r[2] for r in results), max(r[3] for r in results)


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def main() -> None:
    markdown = markdown_option().parse_args().markdown
    console = Console()
    console.print(f"Rendering {LETTERS:,} letters (1 in 5 of two pages) on {os.cpu_count()} CPU(s)...")
    single, pages, size = one_process()
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    multi, pages2, _, worker_rss = pool()
    children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert pages2 == pages

    table = Table(title=f"tasks.notices.letters: {LETTERS:,} letters, {pages:,} pages, "
                        f"{size / LETTERS / 1024:.1f} KiB a letter")
    for column in ("Processes", "Seconds", "Letters/s", "ms/letter", "100k letters", f"Goal >={GOAL}/s"):
        table.add_column(column, justify="right")
    rows = []
    for processes, seconds in ((1, single), (PROCESSES, multi)):
        rate = LETTERS / seconds
        table.add_row(str(processes), f"{seconds:.2f}", f"{rate:,.0f}", f"{seconds * processes / LETTERS * 1000:.2f}",
                      f"{100_000 / rate / 60:.1f} min", "[green]met[/]" if rate >= GOAL else "[red]missed[/]")
        rows.append((f"letters rendered (tasks.notices.letters), {LETTERS:,} letters, {pages:,} pages", "-",
                     f"{processes} process{'es' if processes > 1 else ''}",
                     f"{rate:,.0f} letters/s (100,000 in {100_000 / rate / 60:.1f} min)", f">= {GOAL} letters/s",
                     met(rate >= GOAL), f"CPU: {seconds * processes / LETTERS * 1000:.2f} ms a letter in one process"
                     + ("; includes starting the pool" if processes > 1 else "")))
    console.print(table)
    console.print("ms/letter: CPU time of one letter in one process (seconds x processes / letters); "
                  "the 2-process time includes starting the pool.")

    memory = Table(title="Peak memory (ru_maxrss)")
    memory.add_column("Process")
    memory.add_column("Peak RSS", justify="right")
    memory.add_row("parent (after rendering in process)", mib(parent_rss))
    memory.add_row("largest worker (its own getrusage)", mib(worker_rss))
    memory.add_row("children (RUSAGE_CHILDREN, largest)", mib(children_rss))
    console.print(memory)
    rows.append((f"letters rendered: peak memory (ru_maxrss), {LETTERS:,} letters", "-", f"1 and {PROCESSES} processes",
                 f"parent {mib(parent_rss)}, largest worker {mib(worker_rss)}", "-", None, "-"))
    write_fragment(markdown, rows)


if __name__ == "__main__":
    main()
