"""Benchmark (printed, never asserted): many hiring reviews suspended at once, then resumed together.

    .venv/bin/python tests/bench/resume.py --db sqlite|postgresql --workers 1|2 [--runs 1000] [--markdown PATH]

On one stack of tests/bench/stacks.py (SQLite: the embedded stack with 1 or 2 runners of flows/serve.py;
PostgreSQL: deploy/scale.sh with 1 or 2 process workers), signed in as tests/bench/run_all.py's scripts are:
1. N reviews started through their deployment, until every run is suspended at the designee's task (timed);
2. the memory of the stack's processes while they all wait (RSS and PSS summed from /proc, against the idle
   stack before: a suspended run holds no process);
3. all N resumed together from a thread pool, signed in as the designee S-001: resumes per second accepted
   by the API, and p50/p95 from each resume call to the next task having done its work (the HumanTask row
   `done`, its closed_at against the call's start), with the stack's CPU seconds per resumed run;
4. --one-at-a-time M further runs resumed one at a time (the latency of an unloaded stack), each profiled
   from Prefect's states and task runs: the API call, the wait for the runner or worker to pick the run up
   (its poll interval), the start of the flow-run process, the replay up to the answer's task, the task itself;
5. the floor: the answer's write as plain SQL on the same database (the row `done` and its audit row).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench.fragment import markdown_option, met, write_fragment  # noqa: E402
from tests.bench.stacks import SERVICE, STAFF_PASSWORD, Stack, usage  # noqa: E402

TARGET = 1.0  # seconds from a resume to the next task, p50 (the issue)
DECIDER = "S-001"  # a designee
ANSWER = {"decision": "may provide case management", "reasons": "Benchmark.", "decision_date": "2026-11-03"}
KEY = "designee-response"
THREADS = 16
TIMEOUT = 60  # seconds a resume call waits for its answer


def arguments() -> argparse.Namespace:
    parser = markdown_option(argparse.ArgumentParser(description=__doc__.split("\n")[0]))
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--runs", type=int, default=1000, help="runs suspended at once, then resumed together")
    parser.add_argument("--one-at-a-time", type=int, default=20, help="runs resumed one at a time (profiled)")
    parser.add_argument("--query-seconds", type=float, help="the runners' or workers' poll interval (default: "
                                                            "the stack's own, flows/serve.py or deploy/scale.sh)")
    return parser.parse_args()


ARGS = arguments()
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-resume-"))
STACK = Stack(ARGS.db, ARGS.workers, WORK, ARGS.query_seconds)
os.environ.update(STACK.environment())  # before Prefect is imported

import httpx  # noqa: E402
from sqlmodel import func, select  # noqa: E402

from models.intake import ScreeningResult  # noqa: E402
from models.tables import HumanTask, TaskStatus  # noqa: E402
from tasks.context import transaction  # noqa: E402
from tests.bench.resume_parts import floor, profile, wait_forms  # noqa: E402
from tests.stack import wait_until  # noqa: E402


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def start_runs(prefix: str, count: int) -> list[str]:
    """count reviews recorded in our database and started through the deployment, as `cwa review intake`."""
    from tasks.reviews.intake import start_review_run, store_screening

    ids = [f"HR-{prefix}-{n:04d}" for n in range(count)]
    with transaction() as session:
        for review_id in ids:
            store_screening(session, ScreeningResult(
                review_id=review_id, contractor_id="C-001", prospect_id=f"P-{review_id}", prospect_name="Bench",
                screened_on=date(2026, 11, 2)), actor="bench")
    return [start_review_run(review_id, date(2026, 11, 2)) for review_id in ids]


def count_runs(runs: list[str], states: list[str]) -> int:
    """How many of the runs are in one of the states (-1: the server did not answer in time)."""
    try:
        response = httpx.post(f"{STACK.api}/flow_runs/count", auth=SERVICE, timeout=60, json={
            "flow_runs": {"id": {"any_": runs}, "state": {"type": {"any_": states}}}})
    except httpx.TimeoutException:
        return -1
    response.raise_for_status()
    return response.json()


def count_tasks(runs: list[str], status: TaskStatus) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(HumanTask).where(
            HumanTask.flow_run_id.in_(runs), HumanTask.key == KEY, HumanTask.status == status)).one()


def wait_suspended(runs: list[str], timeout: float) -> None:
    def suspended() -> bool:
        if count_runs(runs, ["FAILED", "CRASHED", "CANCELLED", "COMPLETED"]) > 0:
            raise RuntimeError(f"a run ended before its designee's task; logs in {WORK}")
        return count_tasks(runs, TaskStatus.open) == len(runs) and count_runs(runs, ["PAUSED"]) == len(runs)

    wait_until(suspended, timeout, f"{len(runs)} runs to suspend at {KEY}", interval=1)
    wait_forms(STACK.api, SERVICE, runs, KEY)


def wait_finished(runs: list[str], timeout: float) -> None:
    wait_until(lambda: count_runs(runs, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]) == len(runs),
               timeout, f"{len(runs)} runs to finish", interval=1)


def resume(client: httpx.Client, run_id: str) -> tuple[float, float, int]:
    """What the UI's Resume button sends, signed in as the designee; (start, accepted) wall-clock times and
    how many times the server was busy first (503, or no answer within the client's timeout): asked again."""
    started, busy = time.time(), 0
    while True:
        try:
            response = client.post(f"{STACK.api}/flow_runs/{run_id}/resume", json={"run_input": ANSWER})
            if response.status_code != 503:
                break
        except httpx.TimeoutException:
            pass
        busy += 1
        if busy > 300:
            raise RuntimeError(f"resume of {run_id}: the server was busy 300 times")
        time.sleep(1)
    response.raise_for_status()
    status = response.json()
    # After a timeout the first call may have been accepted: the run is then no longer paused.
    if status.get("status") != "ACCEPT" and not (busy and "not paused" in str(status.get("details"))):
        raise RuntimeError(f"resume of {run_id} not accepted: {response.text}")
    return started, time.time(), busy


def closed_at(runs: list[str]) -> dict[str, float]:
    with transaction() as session:
        rows = session.exec(select(HumanTask.flow_run_id, HumanTask.closed_at).where(
            HumanTask.flow_run_id.in_(runs), HumanTask.key == KEY)).all()
    return {run: (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).timestamp() for run, at in rows}


def resume_together(runs: list[str]) -> dict:
    """Every run resumed at once from THREADS threads; latencies, resumes/s, CPU per run."""
    before = usage(STACK.roots())
    clients = [httpx.Client(auth=(DECIDER, STAFF_PASSWORD), timeout=TIMEOUT) for _ in range(THREADS)]
    for client in clients:  # connected, and the credential verified once (the sign-in layer caches it)
        client.get(f"{STACK.api}/admin/version").raise_for_status()
    with ThreadPoolExecutor(THREADS) as pool:
        times = dict(zip(runs, pool.map(lambda n: resume(clients[n % THREADS], runs[n]), range(len(runs)))))
    first, last = min(t[0] for t in times.values()), max(t[1] for t in times.values())
    wait_until(lambda: count_tasks(runs, TaskStatus.done) == len(runs), 600 + 5 * len(runs),
               "every resumed run's answer recorded", interval=0.5)
    done = closed_at(runs)
    latencies = [done[run] - times[run][0] for run in runs]
    wait_finished(runs, 600 + 5 * len(runs))
    after = usage(STACK.roots())
    for client in clients:
        client.close()
    return {"rate": len(runs) / (last - first), "latencies": latencies, "all_done": max(done.values()) - first,
            "busy": sum(t[2] for t in times.values()),
            **{k: (after[k] - before[k]) / len(runs) for k in ("cpu", "executor_cpu")}}


def resume_one_at_a_time(runs: list[str]) -> tuple[list[float], dict[str, float]]:
    latencies, calls = [], {}
    with httpx.Client(auth=(DECIDER, STAFF_PASSWORD), timeout=60) as client:
        for run in runs:
            calls[run] = resume(client, run)[:2]
            wait_until(lambda: count_tasks([run], TaskStatus.done) == 1, 120, f"the answer of {run}",
                       interval=0.02)
            latencies.append(closed_at([run])[run] - calls[run][0])
            wait_finished([run], 120)  # one at a time: the next resume meets an idle stack
    return latencies, profile(STACK.api, SERVICE, calls, closed_at(runs))


def settle(idle: dict | None) -> dict:
    """The stack's usage once the flow-run processes have exited: as many processes as when idle (None: the
    same count twice, 2 s apart), up to 60 s."""
    deadline = time.monotonic() + 60
    last = usage(STACK.roots())
    while time.monotonic() < deadline:
        time.sleep(2)
        now = usage(STACK.roots())
        if now["processes"] <= (idle["processes"] if idle else last["processes"]):
            return now
        last = now
    return last


def main() -> None:
    started = time.perf_counter()
    print(f"resume benchmark: {ARGS.db}, {STACK.label()}, {ARGS.one_at_a_time} runs one at a time, {ARGS.runs} "
          f"together; work folder {WORK}", flush=True)
    try:
        STACK.start()
        single = start_runs("ONE", ARGS.one_at_a_time)  # first: it also starts the runners' forkservers
        wait_suspended(single, 600)
        latencies, parts = resume_one_at_a_time(single)
        print(f"one at a time: p50 {statistics.median(latencies):.2f} s; {parts}", flush=True)
        idle = settle(None)
        t0 = time.perf_counter()
        runs = start_runs("BURST", ARGS.runs)
        wait_suspended(runs, 600 + 5 * ARGS.runs)
        suspend_s = time.perf_counter() - t0
        waiting = settle(idle)
        print(f"{ARGS.runs} suspended in {suspend_s:.1f} s; {waiting['rss']:.0f} MiB RSS", flush=True)
        burst = resume_together(runs)
        print(f"resumed together: {burst['rate']:.1f}/s, p50 {statistics.median(burst['latencies']):.2f} s",
              flush=True)
        floor_s = floor(ARGS.one_at_a_time * 5)
    finally:
        STACK.stop()
    rows = table(suspend_s, idle, waiting, burst, latencies, parts, floor_s)
    for row in rows:
        print(" | ".join(str(v) for v in row))
    print(f"total {time.perf_counter() - started:.0f} s", flush=True)
    write_fragment(ARGS.markdown, rows)


def table(suspend_s, idle, waiting, burst, latencies, parts, floor_s) -> list[tuple]:
    db, workers, n = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[ARGS.db], STACK.label(), ARGS.runs
    kind = "runner" if ARGS.db == "sqlite" else "worker"
    if ARGS.query_seconds:
        workers += f", poll {ARGS.query_seconds:g} s"
    p50, p95 = statistics.median(latencies), pct(latencies, 95)
    b50, b95 = statistics.median(burst["latencies"]), pct(burst["latencies"], 95)
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in parts.items())
    floor_note = f"floor (plain SQL, same database) {floor_s * 1000:.1f} ms"
    throughput = n / burst["all_done"]
    return [
        (f"resume -> next task, one at a time ({len(latencies)} runs)", db, workers,
         f"p50 {p50:.2f} s, p95 {p95:.2f} s", f"p50 <= {TARGET:g} s", met(p50 <= TARGET),
         f"profile (medians): {steps}; {floor_note}"),
        (f"{n:,} runs resumed together: resumes accepted by the API", db, workers, f"{burst['rate']:.1f} /s", "-",
         "-", f"{THREADS} client threads, signed in as {DECIDER}; the server was busy {burst['busy']} times (503"
         f"{', its SQLite database locked' if ARGS.db == 'sqlite' else ''}, or no answer in {TIMEOUT} s): "
         "asked again after 1 s"),
        (f"{n:,} runs resumed together: resume -> next task", db, workers, f"p50 {b50:.1f} s, p95 {b95:.1f} s",
         f"p50 <= {TARGET:g} s", met(b50 <= TARGET),
         f"throughput: all answers in {burst['all_done']:.0f} s ({throughput:.1f} runs/s); the stack's CPU "
         f"{burst['cpu']:.2f} s per resumed run ({burst['executor_cpu']:.2f} s in the {kind}s and their runs, the "
         f"rest in the server and services): {n * burst['cpu'] / os.cpu_count():.0f} s for all on "
         f"{os.cpu_count()} cores, which were {n * burst['cpu'] / os.cpu_count() / burst['all_done']:.0%} busy; "
         f"{floor_note}"),
        (f"{n:,} runs suspended at once: memory while they wait", db, workers,
         f"RSS {waiting['rss']:,.0f} MiB, PSS {waiting['pss']:,.0f} MiB, {waiting['processes']} processes",
         "no process per waiting run", met(waiting["processes"] - idle["processes"] < n),
         f"idle stack before the runs: RSS {idle['rss']:,.0f} MiB, PSS {idle['pss']:,.0f} MiB, "
         f"{idle['processes']} processes (PostgreSQL and Redis not counted)"),
        (f"{n:,} runs started and suspended at their designee's task", db, workers,
         f"{suspend_s:.0f} s ({n / suspend_s:.1f} runs/s)", "-", "-", "each run: a process from intake to suspend"),
    ]


if __name__ == "__main__":
    main()
