"""Delivery and the sweep in batches (docs/architecture.md, "The outbox" and "Sweeps"), on SQLite and PostgreSQL:
a claim takes at most its batch in one statement, concurrent delivery runs send each notice once, a batch's outcomes
are recorded notice by notice, and a sweep step takes its tasks a batch at a time."""

import threading
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from models.tables import AuditEvent, HumanTask, Notice, NoticeStatus, OnDue, TaskStatus
from tasks.context import settings, transaction
from tasks.notices.bulk import Outgoing, queue_notices
from tasks.notices.delivery import _claim, deliver_due
from tasks.notices.outbox import Recipient
from tests.databases import BACKENDS, fresh_database
from tests.stack import free_port

CONTEXT = {"division_name": "Missouri Children's Division", "notice_date": "2027-09-10", "contract_id": "K-1",
           "deadline": "2027-09-24", "days_left": 14}


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


class Sink:
    """aiosmtpd on loopback that counts messages by X-Notice-Key and answers RCPT for some addresses as told."""

    def __init__(self, refuse: dict[str, str] | None = None, data_reply: str | None = None):
        self.keys: Counter = Counter()
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):
                if address in (refuse or {}):
                    return refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                if data_reply:
                    return data_reply
                for line in envelope.content.decode().split("\r\n"):
                    if line.startswith("X-Notice-Key:"):
                        sink.keys[line.split(":", 1)[1].strip()] += 1
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "Sink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def queue(count: int, address=lambda n: f"office{n}@contractor.example") -> list[str]:
    items = [Outgoing("pip-reminder", f"batch:{n}", Recipient("contractor", f"C-{n}", f"Contractor {n}", address(n),
                                                              True, None),
                      "improvement_plan", f"PIP-{n}", {**CONTEXT, "plan_id": f"PIP-{n}", "reference": f"PIP-{n}"})
             for n in range(count)]
    with transaction() as session:
        queue_notices(session, items)
    return [item.key for item in items]


def by_key() -> dict[str, Notice]:
    with transaction() as session:
        return {n.idempotency_key: n for n in session.execute(select(Notice)).scalars()}


def test_a_claim_takes_its_batch_and_no_more_most_urgent_first(db):
    queue(30)
    started = datetime.now(timezone.utc)
    first = _claim(10, date(2027, 9, 10), started)
    assert [n.idempotency_key for n in first] == [f"batch:{n}" for n in range(10)]
    assert {(n.status, n.attempts) for n in first} == {(NoticeStatus.sending, 1)}
    assert Counter(n.status for n in by_key().values()) == {NoticeStatus.sending: 10, NoticeStatus.queued: 20}
    assert len(_claim(100, date(2027, 9, 10), started)) == 20  # what is left, never the claimed ones again


def test_concurrent_delivery_runs_send_each_notice_once(db, monkeypatch):
    keys = queue(450)
    with Sink() as sink:
        monkeypatch.setattr(settings(), "smtp_port", sink.port)
        counts, errors = [], []

        def run():
            try:
                counts.append(deliver_due(limit=40))
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        runs = [threading.Thread(target=run) for _ in range(3)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(120)
    assert errors == []
    assert sum(c["sent"] for c in counts) == 450 and sink.keys == Counter({key: 1 for key in keys})
    assert {(n.status, n.attempts, n.sent_at is not None) for n in by_key().values()} == {(NoticeStatus.sent, 1, True)}


def test_each_outcome_of_a_batch_is_recorded_on_its_own_notice(db, monkeypatch):
    addresses = {3: "gone@contractor.example", 7: "busy@contractor.example"}
    keys = queue(250, address=lambda n: addresses.get(n, f"office{n}@contractor.example"))
    refuse = {"gone@contractor.example": "550 5.1.1 no such user", "busy@contractor.example": "450 4.2.1 busy"}
    monkeypatch.setattr(settings(), "delivery_backoff_seconds", 600.0)
    with Sink(refuse) as sink:
        monkeypatch.setattr(settings(), "smtp_port", sink.port)
        assert deliver_due() == {"sent": 248, "batched": 0, "retry": 1, "failed": 1}
    notices = by_key()
    assert (notices[keys[3]].status, notices[keys[3]].attempts) == (NoticeStatus.failed, 1)
    assert "550" in notices[keys[3]].last_error and notices[keys[3]].sent_at is None
    busy = notices[keys[7]]
    assert (busy.status, busy.attempts, busy.sent_at) == (NoticeStatus.queued, 1, None) and "450" in busy.last_error
    assert busy.next_attempt_at.replace(tzinfo=timezone.utc) > datetime.now(timezone.utc) + timedelta(seconds=500)
    assert sink.keys == Counter({key: 1 for n, key in enumerate(keys) if n not in addresses})


def test_a_notice_that_failed_in_a_run_waits_for_the_next_run_even_without_backoff(db, monkeypatch):
    keys = queue(5)
    monkeypatch.setattr(settings(), "delivery_backoff_seconds", 0.0)
    with Sink(data_reply="451 4.3.0 try later") as sink:
        monkeypatch.setattr(settings(), "smtp_port", sink.port)
        assert deliver_due() == {"sent": 0, "batched": 0, "retry": 5, "failed": 0}
        assert {n.attempts for n in by_key().values()} == {1}  # one attempt a run, not max_attempts at once
        deliver_due()
    assert {(by_key()[key].status, by_key()[key].attempts) for key in keys} == {(NoticeStatus.queued, 2)}


def test_a_sweep_step_takes_its_tasks_a_batch_at_a_time_each_once(db, monkeypatch):
    from tasks.human import deadlines
    from tasks.seed import seed_roster

    as_of = date(2027, 3, 10)
    with transaction() as session:
        seed_roster(session)
        session.execute(insert(HumanTask.__table__), [
            {"flow_run_id": f"00000000-0000-4000-8000-{n:012d}", "key": "t", "kind": "schedule the review",
             "subject_type": "hiring_review", "subject_id": f"HR-{n:04d}", "required_role": "designee",
             "due_date": as_of - timedelta(days=1 + n % 3), "on_due": OnDue.escalate, "status": TaskStatus.open,
             "pause_key": "t", "attempts": 0} for n in range(250)])
    monkeypatch.setattr(deadlines, "BATCH", 100)
    assert deadlines.escalate_overdue.fn(as_of) == 250
    assert deadlines.escalate_overdue.fn(as_of) == 0  # the same day again: nothing
    with transaction() as session:
        escalated = session.execute(select(func.count()).select_from(HumanTask)
                                    .where(HumanTask.escalated_on == as_of)).scalar_one()
        audited = session.execute(select(AuditEvent.subject_id).where(
            AuditEvent.action == "human_task.escalated")).scalars().all()
        digests = session.execute(select(Notice.idempotency_key).where(
            Notice.notice_type == "task-escalation")).scalars().all()
        supervisors = len(deadlines.staff_by_role(session)["supervisor"])
    assert escalated == 250 and sorted(audited) == [f"HR-{n:04d}" for n in range(250)]
    assert supervisors >= 1 and len(digests) == 3 * supervisors  # one digest a batch for each supervisor
