"""`make bench`: every benchmark of the project, one after another (never two at once: they would compete for the
cores), each in a subprocess that writes a markdown table fragment (`--markdown PATH`, tests/bench/fragment.py);
the fragments make ONE table in bench-results.md at the repository root, under a header with the machine, the
date and the total time.

    .venv/bin/python tests/bench/run_all.py                     # the full sizes: alone on the machine
    CWA_BENCH_QUICK=1 .venv/bin/python tests/bench/run_all.py   # small sizes, while developing (figures indicative)
    .venv/bin/python tests/bench/run_all.py --only sweeps.py --only 'resume.py --db sqlite --workers 1'

--only measures the configurations it names again and keeps the others' rows, from bench-results.json (each
configuration's rows, with when and how long); the header of bench-results.md then gives each one's date.

CWA_BENCH_QUICK=1 is passed on to every script, with smaller sizes for those that take them from the environment
or the command line. A script that fails or is missing gets a row saying so, with its log; the others still run.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench.fragment import COLUMNS, cell, header  # noqa: E402

MARKDOWN = ROOT / "bench-results.md"
RESULTS = ROOT / "bench-results.json"  # the rows of each configuration, to measure some again
CPU_CHECK_LOOP = 2_000_000  # additions in cpu_check()
QUICK = os.environ.get("CWA_BENCH_QUICK") == "1"
RESUME = [["--db", db, "--workers", workers] for db, workers in (("postgresql", "2"), ("sqlite", "1"),
                                                                  ("postgresql", "1"), ("sqlite", "2"))]
# (script, arguments, sizes of a quick run: environment, arguments)
BENCHMARKS = [
    ("signin.py", [], {"CWA_BENCH_REQUESTS": "60", "CWA_BENCH_UNCACHED": "10"}, []),
    ("letters.py", [], {"CWA_BENCH_LETTERS": "500"}, []),
    ("handup.py", [], {"CWA_BENCH_PARTICIPANTS": "2000", "CWA_BENCH_PER_TASK": "100"}, []),
    ("renewal_import.py", [], {"CWA_BENCH_CONTRACTS": "2", "CWA_BENCH_CHILDREN": "300"}, []),
    ("renewal.py", [], {"CWA_BENCH_CONTRACTS": "2", "CWA_BENCH_CHILDREN": "300"}, []),
    # the targets of email and sweeps are measured at their full sizes even in a quick run: a few minutes
    ("email_delivery.py", [], {"CWA_BENCH_QUICK": "0"}, []),
    ("sweeps.py", [], {"CWA_BENCH_QUICK": "0"}, []),
    # the longest last (about 20 to 40 minutes each at 1,000 runs on 2 cores)
    *(("resume.py", config, {}, ["--runs", "30", "--one-at-a-time", "5"]) for config in RESUME),
]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory / 1024 / 1024:.1f} GiB memory, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def rows_of(fragment: Path) -> list[str]:
    """The table rows of a fragment, without its header and separator."""
    rows = []
    for line in fragment.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] != COLUMNS[0] and not set("".join(cells)) <= set("-: "):
            rows.append(line.strip())
    return rows


def problem(script: str, args: list[str], what: str, log: Path) -> str:
    name = " ".join([script, *args])
    return "| " + " | ".join(cell(v) for v in (f"{name}: not measured", "-", "-", what, "-", "NO",
                                               f"log: {log}")) + " |"


def run(script: str, args: list[str], sizes: list[str], env: dict[str, str],
        logs: Path) -> tuple[list[str], float, str]:
    """One benchmark in a subprocess (args name its configuration, sizes are added to them): its rows, its
    seconds, its outcome."""
    path = ROOT / "tests" / "bench" / script
    log = logs / f"{script.removesuffix('.py')}{'-'.join([''] + args).replace('--', '')}.log"
    args = args + sizes
    fragment = log.with_suffix(".md")
    if not path.exists():
        return [problem(script, args, "the script is missing", log)], 0.0, "missing"
    print(f"[{time.strftime('%H:%M:%S')}] {script} {' '.join(args)} (log {log})", flush=True)
    started = time.perf_counter()
    with open(log, "wb") as out:
        code = subprocess.call([sys.executable, str(path), *args, "--markdown", str(fragment)], cwd=ROOT, env=env,
                               stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    if code != 0:
        return [problem(script, args, f"failed (exit {code})", log)], seconds, f"failed (exit {code})"
    if not fragment.exists():
        return [problem(script, args, "wrote no --markdown fragment", log)], seconds, "no fragment"
    return rows_of(fragment), seconds, "ok"


def cpu_check() -> float:
    """Seconds of the best of five runs of the same pure-Python loop: how fast one core is at the moment, so that
    rows measured on different days (with --only) can be compared."""
    def once() -> float:
        started, total = time.perf_counter(), 0
        for i in range(CPU_CHECK_LOOP):
            total += i
        return time.perf_counter() - started
    return round(min(once() for _ in range(5)), 3)


def configuration(script: str, args: list[str]) -> str:
    return " ".join([script, *args])


def load() -> dict[str, dict]:
    """What bench-results.json holds: each configuration's rows, when and how it was measured."""
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def write(results: dict[str, dict]) -> str:
    """bench-results.md (and .json) as they stand: written after each script, so a stopped run keeps what it
    measured; a configuration not measured yet says so."""
    order = [configuration(script, args) for script, args, *_ in BENCHMARKS]
    measured = [name for name in order if name in results]
    whens = sorted({results[name]["when"] for name in measured})
    done = [f"{name} {results[name]['minutes']:.1f} min ({results[name]['outcome']}"
            + (f", {results[name]['when']}" if len(whens) > 1 else "")
            + (f", CPU check {results[name]['cpu_check']:.2f} s" if results[name].get("cpu_check") else "")
            + (", quick" if results[name]["quick"] else "") + ")" for name in measured]
    waiting = [name for name in order if name not in results]
    total = sum(results[name]["minutes"] for name in measured)
    text = "\n".join([
        "# Benchmarks (`make bench`, tests/bench/run_all.py)", "",
        f"Machine: {machine()}.  ",
        f"Measured: {' to '.join(dict.fromkeys([whens[0], whens[-1]])) if whens else '-'} UTC. "
        f"Total time: {total:.0f} min. Mode: "
        + ("quick (CWA_BENCH_QUICK=1: small sizes, figures only indicative)"
           if all(results[name]["quick"] for name in measured) and measured else
           "full sizes" if not any(results[name]["quick"] for name in measured) else
           "full sizes, except those marked quick") + ".  ",
        f"Scripts, one at a time (CPU check: the best of five runs of {CPU_CHECK_LOOP:,} additions in Python, "
        f"just before the script; lower is faster): {'; '.join(done) or '-'}. Logs: "
        f"{', '.join(dict.fromkeys(results[name]['logs'] for name in measured)) or '-'}.  ",
        *([f"**Not measured yet** (stopped, or still going): {'; '.join(waiting)}.  "] if waiting else []),
        "Workers of the resume rows: on SQLite the embedded stack, `cwa server` and 1 or 2 runners of flows/serve.py "
        "(forkserver; two runners race for each run); on PostgreSQL the scaled stack, deploy/scale.sh with 1 or 2 "
        "workers of flows/worker.py (Prefect's process worker, each run forked from a preloaded server).", "",
        *header(), *(row for name in measured for row in results[name]["rows"]), ""])
    RESULTS.write_text(json.dumps({name: results[name] for name in measured}, indent=1) + "\n")
    MARKDOWN.write_text(text)
    return text


def chosen(only: list[str]) -> list[tuple]:
    """The benchmarks to run: all of them, or those --only names (a configuration, or a script for all of its
    configurations)."""
    names = {configuration(script, args) for script, args, *_ in BENCHMARKS}
    unknown = [name for name in only if name not in names and name not in {b[0] for b in BENCHMARKS}]
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(unknown)}; choose from: {'; '.join(sorted(names))}")
    return [b for b in BENCHMARKS if not only or b[0] in only or configuration(b[0], b[1]) in only]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], metavar="CONFIGURATION",
                        help="measure only this script or configuration again (repeatable), e.g. sweeps.py or "
                             "'resume.py --db sqlite --workers 1', and keep the other rows of bench-results.json")
    only = parser.parse_args().only
    benchmarks = chosen(only)
    logs = Path(tempfile.mkdtemp(prefix="cwa-bench-logs-"))
    env = dict(os.environ, CWA_BENCH_QUICK="1" if QUICK else "0")
    results = load() if only else {}
    for name in (configuration(script, args) for script, args, *_ in benchmarks):
        results.pop(name, None)
    text = write(results)
    for script, args, quick_env, quick_args in benchmarks:
        when, speed = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}", cpu_check()
        rows, seconds, outcome = run(script, args, quick_args if QUICK else [],
                                     env | (quick_env if QUICK else {}), logs)
        results[configuration(script, args)] = {"when": when, "minutes": round(seconds / 60, 1), "outcome": outcome,
                                                "quick": QUICK, "logs": str(logs), "cpu_check": speed,
                                                "rows": rows}
        text = write(results)
    print(text)


if __name__ == "__main__":
    main()
