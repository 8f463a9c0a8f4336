"""Benchmark (printed as a table, never asserted): the sign-in layer's cost per API request.

    .venv/bin/python tests/bench/signin.py            # 300 cached, 40 uncached requests of each kind
                                                      # (CWA_BENCH_REQUESTS, CWA_BENCH_UNCACHED to change)
                                                      # --markdown PATH: also the rows of tests/bench/run_all.py

Two cheap requests, `GET /api/admin/version` (no database) and `POST /api/flow_runs/filter` with limit 1, sent one
at a time over one kept-alive connection, signed in as the designee S-001, on three servers started one after the
other on the same Prefect home and database (one at a time, so that none competes with another for the 2 cores):

- `cwa server` as deployed: the credential is verified once (argon2), then found in the cache (60 s);
- `cwa server` with CWA_SIGNIN_CACHE_SECONDS=0: every request verifies the password (argon2 and our database);
- `prefect server start`, Prefect without the layer, for comparison (no credential).

Latencies are medians and 95th percentiles, client side; the layer's cost is the difference of the medians.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.stack import free_port  # noqa: E402

STAFF_PASSWORD = "Bench-Pass-2026!"
CALLER = "S-001"
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-signin-"))
os.environ.update(
    PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
    PREFECT_LOGGING_LEVEL="WARNING", CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}",
)

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from models.migrate import upgrade  # noqa: E402
from tasks.context import settings, transaction  # noqa: E402
from tasks.seed import seed_roster  # noqa: E402
from tests.bench.fragment import markdown_option, write_fragment  # noqa: E402
from tests.stack import start_prefect_server  # noqa: E402

CACHED = int(os.environ.get("CWA_BENCH_REQUESTS", "300"))
UNCACHED = int(os.environ.get("CWA_BENCH_UNCACHED", "40"))
WARMUP = 10
REQUESTS = (("GET /api/admin/version", "GET", "/admin/version", None),
            ("POST /api/flow_runs/filter, limit 1", "POST", "/flow_runs/filter", {"limit": 1}))


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def timings(port: int, count: int, auth: tuple[str, str] | None) -> dict[str, list[float]]:
    """Seconds per request of each kind, one request at a time on one kept-alive connection."""
    results = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/api", auth=auth, timeout=30) as client:
        for label, method, path, body in REQUESTS:
            for _ in range(WARMUP):  # the connection, Prefect's first queries; with the cache on, the first check
                client.request(method, path, json=body).raise_for_status()
            seconds = []
            for _ in range(count):
                t0 = time.perf_counter()
                client.request(method, path, json=body).raise_for_status()
                seconds.append(time.perf_counter() - t0)
            results[label] = seconds
    return results


def measure(kind: str, count: int, env: dict[str, str], auth: tuple[str, str] | None) -> dict[str, list[float]]:
    port = free_port()
    log = WORK / f"server-{kind}.log"
    server = start_prefect_server(port, log, env, plain=kind == "plain")
    try:
        time.sleep(3)  # past the services' first loop
        return timings(port, count, auth)
    finally:
        server.stop()


def main() -> None:
    from tasks.seed import STAFF
    from tasks.signin.passwords import set_password

    markdown = markdown_option().parse_args().markdown
    console = Console()
    upgrade(settings().database_url)
    with transaction() as session:
        seed_roster(session)
        for staff_id, *_ in STAFF:
            set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="bench")
    auth = (CALLER, STAFF_PASSWORD)
    console.print(f"sign-in cost per request: {CACHED} cached, {UNCACHED} uncached, {CACHED} without the layer ...")
    cached = measure("cached", CACHED, dict(os.environ), auth)
    uncached = measure("uncached", UNCACHED, dict(os.environ, CWA_SIGNIN_CACHE_SECONDS="0"), auth)
    plain = measure("plain", CACHED, dict(os.environ), None)

    table = Table(title=f"sign-in layer, cost per API request (2 cores; signed in as {CALLER}, HTTP Basic)")
    for column in ("measure", "figure", "goal"):
        table.add_column(column)
    rows = []
    for label, *_ in REQUESTS:
        base = statistics.median(plain[label])
        table.add_row(label, "", "")
        for name, runs in (("  prefect server start (no layer)", plain), ("  cwa server, credential cached", cached),
                           ("  cwa server, cache 0 s (verified every time)", uncached)):
            p50, p95 = statistics.median(runs[label]), _percentile(runs[label], 95)
            extra = "" if runs is plain else f", layer {(p50 - base) * 1000:+.1f} ms"
            table.add_row(name, f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms{extra}", "")
            rows.append((f"sign-in layer, {label}: {name.strip()} ({len(runs[label])} requests)", "SQLite", "-",
                         f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms{extra}", "-", None,
                         "the floor: Prefect alone" if runs is plain else f"Prefect alone p50 {base * 1000:.1f} ms"
                         + ("; argon2 on every request" if runs is uncached else "")))
    console.print(table)
    write_fragment(markdown, rows)


if __name__ == "__main__":
    main()
