"""Benchmark (printed as a table, never asserted): Hand-Up monthly billing and the removal sweep at statewide scale.

    .venv/bin/python tests/bench/handup.py     # CWA_BENCH_PARTICIPANTS (100000), CWA_BENCH_PER_TASK (2000)
                                               # --markdown PATH: also the rows of tests/bench/run_all.py

On SQLite (a temporary file) and on PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards), with
100,000 enrolled participants (synthetic names and addresses; a tenth carry a credit, a fifth opted in to email):

- billing as our code runs it: the `handup-billing` flow (flows/handup_billing.py) with its batch tasks of
  CWA_HANDUP_BATCH_SIZE and its artifacts; its delivery step is replaced by a no-op (letters are measured apart);
- (a) the floor: the same bills, credits, notices (the same templates and rows: the content hashes are compared
  with ours) and an audit row, in plain SQL through the driver and Jinja2, one transaction, no orchestration;
- (b) one Prefect task per participant (ORM rows and `notify`, one SELECT and one render per notice) on
  CWA_BENCH_PER_TASK participants of the next month, extrapolated to all of them;
- the removal sweep (tasks/handup/removal.py:propose_removals as a task in a flow, and its function alone without
  Prefect; a tenth of the bills left unpaid) beside its floor (one SQL query for the candidates, their rows
  inserted) and one task per participant; measured before the per-task variants, whose 2,000 task runs keep the
  Prefect server busy for a while after they end;
- the letters of the premium notices, rendered with tasks.notices.letters in 2 processes (from the SQLite run).

Prefect runs against prefect.testing.utilities.prefect_test_harness (a temporary Prefect server on SQLite). The
table is printed, and with --markdown written as a fragment for bench-results.md (tests/bench/run_all.py).
"""

import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-handup-"))
for _name in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING"):
    os.environ.pop(_name, None)
os.environ.update(PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                  PREFECT_LOGGING_LEVEL="WARNING", PREFECT_SERVER_LOGGING_LEVEL="CRITICAL",
                  PREFECT_RESULTS_PERSIST_BY_DEFAULT="false",
                  CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}", CWA_MAILROOM_DIR=str(WORK / "mailroom"))

import css_inline  # noqa: E402
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from rich.console import Console  # noqa: E402
from sqlalchemy import bindparam, create_engine, delete, func, text  # noqa: E402
from sqlmodel import select  # noqa: E402

import flows.handup_billing as billing_flow  # noqa: E402
from models.db import engine_for  # noqa: E402
from models.handup import coverage_due_date, latest_mailing_date, removal_due  # noqa: E402
from models.handup_reference import CENT  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.notice_types import NOTICE_TYPES  # noqa: E402
from models.tables import Notice, Participant, PremiumBill, RemovalBatch, RemovalCandidate  # noqa: E402
from models.tables.core import utcnow  # noqa: E402
from tasks.context import settings, transaction  # noqa: E402
from tasks.handup.billing import bill_rows, billing_dates  # noqa: E402
from tasks.handup.common import SUBJECT, dollars  # noqa: E402
from tasks.human.audit import audit  # noqa: E402
from tests.handup_bulk import credit_of, make_participants, pay_all_but  # noqa: E402
from tasks.notices.outbox import notify  # noqa: E402
from tasks.notices.render import TEMPLATE_DIR, contact_text, split_sections  # noqa: E402
from tests.bench.fragment import markdown_option, met, write_fragment  # noqa: E402

N = int(os.environ.get("CWA_BENCH_PARTICIPANTS", "100000"))
PER_TASK = int(os.environ.get("CWA_BENCH_PER_TASK", "2000"))
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
MONTH, NEXT, AS_OF = date(2026, 12, 1), date(2027, 1, 1), date(2026, 12, 1)
REMOVAL_DAY = date(2027, 3, 5)  # the December bills are 64 days past due
LETTER_KEYS = f"handup-premium:%:{MONTH:%Y-%m}:mail"  # the letters of the month billed
console = Console()


# --- the data ---------------------------------------------------------------------------------------------------

def ids(n: int) -> list[str]:
    return [f"HU-{k:06d}" for k in range(n)]


def vacuum(url: str) -> None:
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def reset_billing(url: str) -> None:
    """Undo the floor's billing: its bills and premium notices, and the credit it took (the audit rows stay)."""
    with transaction() as session:
        session.exec(delete(Notice).where(Notice.notice_type == "handup-premium"))
        session.exec(delete(PremiumBill))
        session.connection().execute(
            Participant.__table__.update().where(Participant.__table__.c.id == bindparam("b_id"))
            .values(credit=bindparam("b_credit")),
            [{"b_id": f"HU-{k:06d}", "b_credit": credit_of(k)} for k in range(N) if credit_of(k) > 0])
    vacuum(url)


def reset_removal(url: str) -> None:
    with transaction() as session:
        session.exec(delete(RemovalCandidate))
        session.exec(delete(RemovalBatch))
    vacuum(url)


def leave_unpaid() -> None:
    """Every December bill paid but a tenth (participant IDs ending in 7)."""
    pay_all_but(MONTH, ("7",))


# --- (a) the floor: plain SQL and Jinja2 ------------------------------------------------------------------------

SELECT_UNBILLED = """SELECT p.id, p.name, p.address_line1, p.address_line2, p.city, p.state, p.zip_code, p.email,
p.email_opt_in, p.premium, p.credit FROM handup_participant p WHERE p.status = 'enrolled' AND p.first_month <= ?
AND p.premium IS NOT NULL AND NOT EXISTS (SELECT 1 FROM premium_bill b WHERE b.participant_id = p.id
AND b.coverage_month = ?) ORDER BY p.id"""
INSERT_BILL = """INSERT INTO premium_bill (participant_id, coverage_month, due_on, mail_by, amount, paid, status)
VALUES (?, ?, ?, ?, ?, ?, ?)"""
NOTICE_COLUMNS = ("notice_type", "recipient_type", "recipient_id", "address", "subject_type", "subject_id", "template",
                  "template_version", "subject_line", "body_text", "body_html", "content_hash", "channel",
                  "idempotency_key", "status", "attempts", "created_at", "postal_address", "letter_body", "mail_by")
INSERT_NOTICE = f"INSERT INTO notice ({', '.join(NOTICE_COLUMNS)}) VALUES ({', '.join('?' * len(NOTICE_COLUMNS))})"
INSERT_AUDIT = """INSERT INTO audit_event (at, actor, action, subject_type, subject_id, rule, detail)
VALUES (?, 'bench-floor', 'handup.billed', 'premium_billing', ?, '13 CSR 35-32.040 (4)(A)-(B)', ?)"""


class Driver:
    """Parameters as the driver takes them: SQLite stores dates and times as text and money as numbers."""

    def __init__(self, engine):
        self.pg = engine.dialect.name == "postgresql"
        if self.pg:
            from psycopg.types.json import Json
            self.json = Json
        else:
            self.json = json.dumps

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.pg else statement

    def day(self, value):
        return value if self.pg or value is None else value.isoformat()

    def money(self, value: Decimal):
        return value if self.pg else float(value)

    def time(self, value):
        return value if self.pg else value.strftime("%Y-%m-%d %H:%M:%S.%f")


def floor_billing(engine, month: date, as_of: date) -> dict:
    cfg, db = settings(), Driver(engine)
    due = coverage_due_date(month)
    mail_by = latest_mailing_date(due, cfg.handup_transit_days)
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), undefined=StrictUndefined, keep_trailing_newline=True,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False))
    body_t, text_t, html_t = (env.get_template(t) for t in ("handup-premium.txt.j2", "layout.txt.j2",
                                                             "layout.html.j2"))
    kind, contact, now = NOTICE_TYPES["handup-premium"], contact_text(), utcnow()
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(db.sql(SELECT_UNBILLED), (db.day(month), db.day(month)))
        bills, credits, notices, hashes = [], [], [], {}
        for pid, name, line1, line2, city, state, zip_code, email, opt_in, premium, credit in cur.fetchall():
            amount = Decimal(str(premium)).quantize(CENT)
            applied = min(max(Decimal(str(credit)).quantize(CENT), Decimal("0.00")), amount)
            bills.append((pid, db.day(month), db.day(due), db.day(mail_by), db.money(amount), db.money(applied),
                          "paid" if applied >= amount else "open"))
            if applied > 0:
                credits.append((db.money(applied), pid))
            context = {"recipient_name": name, "division_name": cfg.division_name, "notice_date": as_of.isoformat(),
                       "participant_id": pid, "reference": pid, "coverage_month": month.strftime("%B %Y"),
                       "amount": dollars(amount), "due_on": due.isoformat(), "credit": dollars(applied),
                       "amount_to_pay": dollars(amount - applied), "how_to_pay": cfg.handup_how_to_pay}
            subject, body = kind.subject.format(**context), body_t.render(context).strip()
            intro, sections = split_sections(body)
            frame = {**context, "body": body, "intro": intro, "sections": sections, "subject": subject,
                     "rule": kind.rule, "contact": contact, "reference": pid}
            body_text, body_html = text_t.render(frame), css_inline.inline(html_t.render(frame))
            digest = hashlib.sha256((subject + "\0" + body_text + "\0" + body_html).encode()).hexdigest()
            postal = {"name": name, "line1": line1, "line2": line2 or "", "city": city, "state": state.upper(),
                      "zip_code": zip_code}
            lines = [name, line1, *([line2] if line2 else []), f"{city.upper()} {state.upper()} {zip_code}"]
            key = f"handup-premium:{pid}:{month:%Y-%m}"
            channels = [(f"{key}:mail", "mail", " / ".join(lines), mail_by)]
            if email and opt_in:
                channels.append((f"{key}:email", "email", email, None))
            for channel_key, channel, address, by in channels:
                notices.append(("handup-premium", "participant", pid, address, SUBJECT, pid, "handup-premium",
                                kind.version, subject, body_text, body_html, digest, channel, channel_key, "queued", 0,
                                db.time(now), db.json(postal), body, db.day(by)))
                hashes[channel_key] = digest
        cur.executemany(db.sql(INSERT_BILL), bills)
        cur.executemany(db.sql("UPDATE handup_participant SET credit = credit - ? WHERE id = ?"), credits)
        cur.executemany(db.sql(INSERT_NOTICE), notices)
        cur.execute(db.sql(INSERT_AUDIT), (db.time(now), f"{month:%Y-%m}", db.json({"bills": len(bills)})))
        conn.commit()
    finally:
        conn.close()
    return {"bills": len(bills), "notices": len(notices), "hashes": hashes}


def same_rows(floor_hashes: dict[str, str]) -> bool:
    """Our premium notices are the floor's: the same keys with the same content."""
    with transaction() as session:
        ours = dict(session.exec(select(Notice.idempotency_key, Notice.content_hash)
                                 .where(Notice.notice_type == "handup-premium")).all())
    return ours == floor_hashes


def floor_removal(engine, as_of: date) -> set[str]:
    """(4)(C) in plain SQL: enrolled participants whose oldest unpaid bill is more than sixty days past due."""
    db, cutoff = Driver(engine), date.fromordinal(as_of.toordinal() - 61)
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(db.sql("""SELECT b.participant_id, b.coverage_month, b.due_on FROM premium_bill b
            JOIN handup_participant p ON p.id = b.participant_id WHERE p.status = 'enrolled' AND b.status = 'open'
            AND b.paid < b.amount AND b.due_on < ? AND b.participant_id IN (SELECT participant_id FROM premium_bill
            WHERE status = 'open' AND paid < amount GROUP BY participant_id HAVING MIN(due_on) <= ?)
            ORDER BY b.participant_id, b.due_on"""), (db.day(as_of), db.day(cutoff)))
        found: dict[str, list] = {}
        for pid, month, due in cur.fetchall():
            found.setdefault(pid, []).append((str(month)[:7], date.fromisoformat(str(due)[:10])))
        batch = f"RB-FLOOR-{as_of.isoformat()}"
        cur.execute(db.sql("INSERT INTO removal_batch (id, as_of, status) VALUES (?, ?, 'proposed')"),
                    (batch, db.day(as_of)))
        cur.executemany(db.sql("""INSERT INTO removal_candidate (batch_id, participant_id, oldest_due, months_unpaid,
            days_unpaid) VALUES (?, ?, ?, ?, ?)"""), [
            (batch, pid, db.day(rows[0][1]), ", ".join(m for m, _ in rows), (as_of - rows[0][1]).days)
            for pid, rows in found.items()])
        conn.commit()
    finally:
        conn.close()
    return set(found)


def candidate_ids() -> set[str]:
    with transaction() as session:
        return set(session.exec(select(RemovalCandidate.participant_id)).all())


# --- ours, and (b) one Prefect task per participant ----------------------------------------------------------------

@task(name="deliver-notices", cache_policy=NO_CACHE)
def no_delivery() -> dict[str, int]:
    return {}


def flow_billing(month: date, as_of: date) -> dict:
    billing_flow.deliver_notices = no_delivery  # letters are measured apart
    return billing_flow.handup_billing(coverage_month=month, as_of=as_of)


@task(name="bill-one-participant", cache_policy=NO_CACHE)
def bill_one(participant_id: str, coverage_month: date, as_of: date) -> bool:
    dates = billing_dates(coverage_month, settings().handup_transit_days)
    with transaction() as session:
        p = session.get(Participant, participant_id)
        if p is None or p.status != "enrolled" or p.premium is None or p.first_month > dates.coverage_month:
            return False
        if session.exec(select(PremiumBill.id).where(PremiumBill.participant_id == p.id,
                                                     PremiumBill.coverage_month == dates.coverage_month)).first():
            return False
        bills, credits, outgoing = bill_rows([p], dates, as_of)
        session.add(PremiumBill(**bills[0]))
        if credits:
            p.credit -= credits[0]["b_applied"]
            session.add(p)
        item = outgoing[0]
        for notice in notify(session, notice_type=item.notice_type, key=item.key, recipient=item.recipient,
                             subject_type=item.subject_type, subject_id=item.subject_id, context=item.context):
            notice.mail_by = dates.mail_by if notice.channel == "mail" else None
        audit(session, actor="handup-billing", action="handup.billed", subject_type=SUBJECT, subject_id=p.id,
              rule="13 CSR 35-32.040 (4)(A)-(B)")
        return True


@flow(name="bench-billing-one-task-each")
def per_task_billing(participant_ids: list[str], coverage_month: date, as_of: date) -> int:
    return sum(bill_one(pid, coverage_month, as_of) for pid in participant_ids)


@flow(name="bench-removal-sweep")
def flow_removal(as_of: date) -> tuple[float, int]:
    """The sweep's step as the deadline sweep runs it: a task in a running flow (the flow's start not counted)."""
    from tasks.handup.removal import propose_removals

    seconds, _ = timed(propose_removals, as_of)
    return seconds, len(candidate_ids())


@task(name="propose-one-removal", cache_policy=NO_CACHE)
def propose_one(participant_id: str, as_of: date, batch_id: str) -> bool:
    from models.handup_removal import months_label

    with transaction() as session:
        p = session.get(Participant, participant_id)
        if p is None or p.status != "enrolled":
            return False
        unpaid = session.exec(select(PremiumBill.coverage_month, PremiumBill.due_on).where(
            PremiumBill.participant_id == p.id, PremiumBill.status == "open",
            PremiumBill.paid < PremiumBill.amount)).all()
        if not unpaid or not removal_due(min(due for _, due in unpaid), as_of):
            return False
        oldest = min(due for _, due in unpaid)
        if session.exec(select(RemovalCandidate.id).where(RemovalCandidate.participant_id == p.id,
                                                          RemovalCandidate.oldest_due == oldest)).first():
            return False
        session.add(RemovalCandidate(batch_id=batch_id, participant_id=p.id, oldest_due=oldest,
                                     months_unpaid=months_label([m for m, due in unpaid if due < as_of]),
                                     days_unpaid=(as_of - oldest).days))
        return True


@flow(name="bench-removal-one-task-each")
def per_task_removal(participant_ids: list[str], as_of: date) -> int:
    with transaction() as session:
        session.add(RemovalBatch(id="RB-TASKS", as_of=as_of))
    return sum(propose_one(pid, as_of, "RB-TASKS") for pid in participant_ids)


# --- letters --------------------------------------------------------------------------------------------------------

def render_letters(bounds: tuple[int, int]) -> int:
    """Render the letters of notices start..stop-1 (id range) from their outbox rows, as a delivery worker does."""
    from tasks.notices.delivery import letter_for
    from tasks.notices.letters import render_letter

    engine_for(settings().database_url).dispose(close=False)  # a forked worker opens its own connections
    cfg, count = settings(), 0
    with transaction() as session:
        rows = session.exec(select(Notice).where(Notice.id >= bounds[0], Notice.id < bounds[1],
                                                 Notice.idempotency_key.like(LETTER_KEYS))).all()
        for notice in rows:
            render_letter(letter_for(notice, cfg))
            count += 1
    return count


def bench_letters() -> tuple[int, float]:
    with transaction() as session:
        low, high = session.exec(select(func.min(Notice.id), func.max(Notice.id))
                                 .where(Notice.idempotency_key.like(LETTER_KEYS))).one()
    chunks = [(start, min(start + 1000, high + 1)) for start in range(low, high + 1, 1000)]
    start = time.perf_counter()  # includes starting the workers
    with multiprocessing.get_context("fork").Pool(2) as workers:
        count = sum(workers.map(render_letters, chunks, chunksize=1))
    return count, time.perf_counter() - start


# --- the run ----------------------------------------------------------------------------------------------------

def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def bench_database(label: str, url: str, rows: list) -> None:
    settings().database_url = url
    upgrade(url)
    seconds, _ = timed(make_participants, N)
    vacuum(url)
    console.print(f"[{label}] {N:,} participants written in {seconds:.1f} s")
    floor_s, floor = timed(floor_billing, engine_for(url), MONTH, AS_OF)
    console.print(f"[{label}] (a) floor billing {floor_s:.1f} s: {floor['bills']:,} bills, "
                  f"{floor['notices']:,} notices")
    reset_billing(url)
    ours_s, summary = timed(flow_billing, MONTH, AS_OF)
    same = same_rows(floor["hashes"]) and summary["bills"] == floor["bills"]
    console.print(f"[{label}] our flow {ours_s:.1f} s: {summary['bills']:,} bills, {summary['notices']:,} notices, "
                  f"{summary['batches']} batches; the same rows as the floor: {same}")
    rows += [
        (f"billing, ours: handup-billing flow, {summary['batches']} batch tasks ({summary['bills']:,} bills, "
         f"{summary['notices']:,} notices queued and rendered; same rows as the floor: {same})",
         label, ours_s, N / ours_s, ours_s / floor_s),
        ("billing, (a) floor: plain SQL + Jinja2, one transaction", label, floor_s, N / floor_s, 1.0),
    ]
    # The removal sweep before the per-task variants: 2,000 Prefect tasks leave the server busy for a while.
    leave_unpaid()
    vacuum(url)
    removal, removal_floor_s = bench_removal(label, url)
    sample = ids(N)[:PER_TASK]
    scale = N / len(sample)
    task_s, billed = timed(per_task_billing, sample, NEXT, AS_OF)
    console.print(f"[{label}] (b) one task per participant {task_s:.1f} s for {billed:,}")
    rows.append((f"billing, (b) one Prefect task per participant: {billed:,} measured in {task_s:.1f} s, x{scale:g}",
                 label, task_s * scale, len(sample) / task_s, task_s * scale / floor_s))
    task_s, found = timed(per_task_removal, sample, REMOVAL_DAY)
    rows += removal + [
        (f"removal sweep, (b) one Prefect task per participant: {len(sample):,} measured in {task_s:.1f} s "
         f"({found} candidates), x{scale:g}", label, task_s * scale, len(sample) / task_s,
         task_s * scale / removal_floor_s),
    ]
    reset_removal(url)


def bench_removal(label: str, url: str) -> tuple[list, float]:
    """The removal sweep's rows (ours as a task in a flow, ours without Prefect, the floor) and the floor's seconds."""
    floor_s, floor_ids = timed(floor_removal, engine_for(url), REMOVAL_DAY)
    reset_removal(url)
    rows = []
    try:
        from tasks.handup.removal import propose_removals
        work_s, _ = timed(propose_removals.fn, REMOVAL_DAY)  # the work alone: queries, inserts, audit rows
        found = candidate_ids()
        same_work = found == floor_ids
        reset_removal(url)
        ours_s, count = flow_removal(REMOVAL_DAY)
        same = count == len(floor_ids) and candidate_ids() == floor_ids
        rows += [
            (f"removal sweep, ours: propose_removals, one task in a flow ({count:,} candidates; same set as the "
             f"floor: {same})", label, ours_s, N / ours_s, ours_s / floor_s),
            (f"removal sweep, ours without Prefect: propose_removals.fn ({len(found):,} candidates; same set as the "
             f"floor: {same_work})", label, work_s, N / work_s, work_s / floor_s),
        ]
        console.print(f"[{label}] removal: ours {ours_s:.2f} s in a flow, {work_s:.2f} s without Prefect")
    except Exception as exc:  # noqa: BLE001  (failing: say so, no figures)
        rows.append((f"removal sweep, ours: not measured ({type(exc).__name__}: {str(exc)[:80]})", label,
                     None, None, None))
    reset_removal(url)
    console.print(f"[{label}] removal: floor {floor_s:.2f} s, {len(floor_ids):,} candidates")
    rows.append((f"removal sweep, (a) floor: one SQL query, {len(floor_ids):,} candidates inserted", label,
                 floor_s, N / floor_s, 1.0))
    return rows, floor_s


def table(rows: list) -> str:
    lines = ["| work | database | seconds | per second | ratio to floor |", "|---|---|---:|---:|---:|"]
    for work, db, seconds, rate, ratio in rows:
        shown = "-" if seconds is None else f"{seconds:,.2f}" if seconds < 10 else f"{seconds:,.1f}"
        lines.append(f"| {work} | {db} | {shown} | "
                     f"{'-' if rate is None else f'{rate:,.0f}'} | {'-' if ratio is None else f'{ratio:.2f}'} |")
    return "\n".join(lines)


def fragment_rows(rows: list) -> list[tuple]:
    """The rows for tests/bench/run_all.py: ours against the goal (within 2x the floor), the rest as figures."""
    result = []
    for work, db, seconds, rate, ratio in rows:
        ours = work.startswith(("billing, ours", "removal sweep, ours:"))
        figure = "not measured" if seconds is None else f"{seconds:,.2f} s" + (f", {rate:,.0f}/s" if rate else "")
        bound = "-" if ratio is None else "the floor" if ratio == 1.0 else f"{ratio:.2f}x the floor"
        result.append((work, db, "-", figure, "<= 2x the floor" if ours else "-",
                       met(ratio is not None and ratio <= 2) if ours else None, bound))
    return result


def main() -> None:
    from prefect.testing.utilities import prefect_test_harness

    markdown = markdown_option().parse_args().markdown
    started, rows = time.perf_counter(), []
    name = f"cwa_bench_{os.getpid()}"
    admin = create_engine(f"{PG}/test", isolation_level="AUTOCOMMIT")
    with prefect_test_harness(server_startup_timeout=120):
        bench_database("SQLite", settings().database_url, rows)
        count, seconds = bench_letters()
        console.print(f"letters: {count:,} in {seconds:.1f} s")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            bench_database("PostgreSQL", f"{PG}/{name}", rows)
        finally:
            engine_for(f"{PG}/{name}").dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    rows.append((f"letters of the {count:,} premium letters (tasks.notices.letters, 2 processes, from the outbox "
                 "rows; per second = letters/s)", "SQLite", seconds, count / seconds, None))
    result = (f"# Hand-Up billing benchmark (tests/bench/handup.py)\n\n{N:,} enrolled participants, "
              f"{os.cpu_count()} CPU(s), batch size {settings().handup_batch_size:,}. Per second: participants "
              f"(letters for the letters row). Goal: ours within 2x the floor, measured in the same run. "
              f"Total run {time.perf_counter() - started:.0f} s.\n\n" + table(rows) + "\n")
    print(result)
    write_fragment(markdown, fragment_rows(rows))


if __name__ == "__main__":
    main()
