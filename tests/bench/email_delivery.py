"""Benchmark (printed as a table, never asserted): outbox email delivery over loopback SMTP.

    .venv/bin/python tests/bench/email_delivery.py [--markdown PATH] [--emails N] [--databases sqlite,postgresql]

(Not email.py: a file of that name in this folder would hide the standard library's email package from every
script run here.)

On each database (a SQLite file; a fresh database on PostgreSQL at 127.0.0.1:5432), N email notices (plan reminders,
each rendered as the sweep queues them) are queued and sent to an aiosmtpd sink in a process of its own, which
counts every message by its X-Notice-Key (a notice sent twice would show). Measured in the same run:

- the floor: plain smtplib sending the same messages, built beforehand, over one connection (no database, no Prefect);
- `deliver_due` in this process, without Prefect, and its profile (what bounds it);
- the `outbox-delivery` flow (its `deliver-notices` task) on a Prefect server started for the run: the target;
- two delivery runs at once, each in its own process (on PostgreSQL FOR UPDATE SKIP LOCKED splits the notices).

Goal (the open issue): at least 500 emails a second. 2 CPU cores are shared with the sink and whatever else runs.
"""

import multiprocessing
import os
import re
import smtplib
import sys
import tempfile
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench.fragment import markdown_option, met, report  # noqa: E402
from tests.bench.profiling import profile_top  # noqa: E402
from tests.stack import free_port  # noqa: E402

WORK = Path(os.environ.setdefault("CWA_BENCH_DIR", tempfile.mkdtemp(prefix="cwa-bench-email-")))
PORT, SMTP_PORT = (int(os.environ.setdefault(name, str(free_port()))) for name in ("CWA_BENCH_PORT", "CWA_BENCH_SMTP"))
os.environ.update(  # inherited by the processes this one starts: the same folder and ports
    PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_API_URL=f"http://127.0.0.1:{PORT}/api",
    PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING",
    CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}", CWA_SMTP_PORT=str(SMTP_PORT),
)
from tasks.context import settings, transaction  # noqa: E402

GOAL = 500  # emails a second
KEY = re.compile(rb"^X-Notice-Key:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", re.M)


def _sink(port: int, commands) -> None:
    """The SMTP server (its own process): accepts every message, counts it by its X-Notice-Key and keeps the first."""
    from aiosmtpd.controller import Controller

    seen: Counter = Counter()
    first: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            field = KEY.search(envelope.content).group(1)  # with its continuation lines
            seen[field.decode().replace("\r\n", "").strip()] += 1
            first[:] = first or [envelope.content]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    commands.send("ready")
    while commands.recv() == "counts":
        commands.send((dict(seen), first[0] if first else b""))
        seen.clear()
        first.clear()
    controller.stop()


class Sink:
    def __init__(self, port: int):
        self.ours, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("spawn").Process(target=_sink, args=(port, theirs), daemon=True)
        self.process.start()
        assert self.ours.recv() == "ready"

    def take(self) -> tuple[dict[str, int], bytes]:
        """The messages received since the last call, by key, and the first of them."""
        self.ours.send("counts")
        return self.ours.recv()

    def stop(self) -> None:
        self.ours.send("stop")
        self.process.join(10)


def queue_emails(count: int, tag: str) -> list[str]:
    """count plan reminders by email, rendered and queued in bulk as the sweep queues them; their keys."""
    from tasks.notices.bulk import Outgoing, queue_notices
    from tasks.notices.outbox import Recipient

    items = [Outgoing("pip-reminder", f"bench-email:{tag}:{n}",
                      Recipient("contractor", f"C-B{n % 100:03d}", f"Contractor {n % 100}",
                                f"office{n % 100}@contractor.example", True, None),
                      "improvement_plan", f"PIP-B{n:05d}",
                      {"division_name": "Missouri Children's Division", "notice_date": "2027-09-10",
                       "contract_id": f"K-B{n % 100:03d}", "plan_id": f"PIP-B{n:05d}", "deadline": "2027-09-24",
                       "days_left": 14, "reference": f"PIP-B{n:05d}"}) for n in range(count)]
    with transaction() as session:
        queue_notices(session, items)
    return [item.key for item in items]


def check(keys: list[str], sink: Sink) -> str:
    """Every notice sent exactly once, recorded 'sent', and a message that parses; '' or what went wrong."""
    from sqlmodel import func, select

    from models.tables import Notice

    received, first = sink.take()
    with transaction() as session:
        statuses = dict(session.exec(select(Notice.status, func.count()).where(Notice.idempotency_key.in_(keys))
                                     .group_by(Notice.status)).all())
    problems = []
    if received != {key: 1 for key in keys}:
        problems.append(f"{sum(received.values())} messages for {len(keys)} notices")
    if statuses != {"sent": len(keys)}:
        problems.append(f"statuses {statuses}")
    if first:
        msg = message_from_bytes(first, policy=policy.default)
        if msg.get_content_type() != "multipart/alternative" or any(part.defects for part in msg.walk()):
            problems.append("a message that does not parse cleanly")
    return "; ".join(problems)


def floor(keys: list[str], sink: Sink) -> float:
    """Seconds for plain smtplib to send the same messages over one connection (built beforehand)."""
    from sqlmodel import select, update

    from models.tables import Notice
    from tasks.notices.smtp import build_email

    with transaction() as session:
        notices = session.exec(select(Notice).where(Notice.idempotency_key.in_(keys))).all()
        session.exec(update(Notice).where(Notice.idempotency_key.in_(keys)).values(status="sent"))  # not again
    messages = [build_email(notice, settings()) for notice in notices]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        for msg in messages:
            smtp.sendmail(msg.sender, [msg.recipient], msg.data)
    seconds = time.perf_counter() - start
    assert sink.take()[0] == {key: 1 for key in keys}, "the floor lost or duplicated messages"
    return seconds


def _worker(url: str, smtp_port: int, go, results) -> None:
    """A delivery run in a process of its own, started with the others once every one has imported."""
    from tasks.notices.delivery import deliver_due

    settings().database_url, settings().smtp_port = url, smtp_port
    results.put("ready")
    go.wait()
    results.put(deliver_due())


def workers(url: str, count: int) -> float:
    """Seconds for `count` delivery runs at once, each in its own process, to send what is queued."""
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=_worker, args=(url, SMTP_PORT, go, results)) for _ in range(count)]
    for process in processes:
        process.start()
    assert [results.get(timeout=120) for _ in processes] == ["ready"] * count
    start = time.perf_counter()
    go.set()
    counts = [results.get(timeout=300) for _ in processes]
    seconds = time.perf_counter() - start
    for process in processes:
        process.join(30)
    print(f"  {count} workers sent {[c['sent'] for c in counts]}")
    return seconds


def bench(database: str, url: str, emails: int, sink: Sink) -> list[tuple]:
    """The rows of one database, in the columns of tests/bench/fragment.py."""
    from flows.outbox_delivery import outbox_delivery
    from models.migrate import upgrade
    from tasks.notices.delivery import deliver_due

    upgrade(url)
    settings().database_url = url

    def rate(seconds: float) -> str:
        return f"{emails / seconds:,.0f} emails/s ({emails:,} in {seconds:.2f} s)"

    seconds = floor(queue_emails(emails, f"{database}-floor"), sink)
    floor_rate = emails / seconds
    rows = [("email: plain smtplib, the same messages (floor)", database, 1, rate(seconds), "", None,
             "the SMTP exchange: 4 round trips a message to the sink; no database, no Prefect")]

    keys = queue_emails(emails, f"{database}-plain")
    start = time.perf_counter()
    deliver_due()
    plain = time.perf_counter() - start
    problems = check(keys, sink)
    queue_emails(min(emails, 1000), f"{database}-profile")
    top = profile_top(deliver_due)
    sink.take()
    rows.append(("email: deliver_due, without Prefect", database, 1, rate(plain), "", None,
                 problems or f"profile: {top}"))

    keys = queue_emails(emails, f"{database}-flow")
    start = time.perf_counter()
    outbox_delivery()
    seconds = time.perf_counter() - start
    problems = check(keys, sink)
    rows.append(("email: outbox-delivery flow (Prefect)", database, 1, rate(seconds), f">= {GOAL}/s",
                 met(emails / seconds >= GOAL and not problems),
                 problems or f"the flow run and its task {seconds - plain:+.2f} s against deliver_due alone; "
                 f"deliver_due: {top}; floor {floor_rate:,.0f}/s"))

    keys = queue_emails(emails, f"{database}-workers")
    seconds = workers(url, 2)
    problems = check(keys, sink)
    rows.append(("email: 2 delivery runs at once (deliver_due)", database, 2, rate(seconds), f">= {GOAL}/s",
                 met(emails / seconds >= GOAL and not problems),
                 problems or "2 processes and 2 SMTP connections; the sink, the database and both on 2 shared cores"
                 + ("; SQLite: one writer" if database == "sqlite" else "; SKIP LOCKED splits the claims")))
    return rows


def main() -> None:
    from contextlib import ExitStack

    from rich.console import Console

    from tests.databases import empty_database
    from tests.stack import start_prefect_server

    parser = markdown_option()
    quick = os.environ.get("CWA_BENCH_QUICK") == "1"
    parser.add_argument("--emails", type=int, default=int(os.environ.get("CWA_BENCH_EMAILS",
                                                                          "1000" if quick else "3000")))
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    console = Console()
    sink = Sink(SMTP_PORT)
    server = start_prefect_server(PORT, WORK / "server.log", dict(os.environ), plain=True)
    rows: list[tuple] = []
    try:
        for database in args.databases.split(","):
            console.print(f"{database}: {args.emails:,} emails a measurement ...")
            with ExitStack() as stack:
                try:
                    url = stack.enter_context(empty_database(database, WORK))
                except BaseException as exc:  # PostgreSQL not reachable: pytest's skip, outside pytest
                    if type(exc).__name__ != "Skipped":
                        raise
                    rows.append(("email", database, None, "not measured", None, None, str(exc)[:200]))
                    continue
                rows += bench(database, url, args.emails, sink)
    finally:
        server.stop()
        sink.stop()
    report(f"Outbox email delivery over loopback SMTP ({os.cpu_count()} shared cores)", rows, args.markdown)


if __name__ == "__main__":
    main()
