"""A timer fires on a human task past its due date, but not on one whose answer is on its way (docs/architecture.md,
"Sweeps"): staff answered in time, the sign-in layer bound the answer and Prefect accepted it, and the run has
not recorded it yet."""

import uuid
from datetime import date

import pytest

from models.migrate import upgrade
from models.tables import HumanTask, OnDue
from tasks.context import settings, transaction
from tasks.human.deadlines import fire_timers


@pytest.fixture(autouse=True)
def database():
    upgrade(settings().database_url)


def timer_task(key: str, *, answered_by: str | None = None) -> int:
    with transaction() as session:
        row = HumanTask(flow_run_id=str(uuid.uuid4()), key=key, kind="test", subject_type="test", subject_id=key,
                        required_role="designee", due_date=date(2019, 12, 31), on_due=OnDue.timer, pause_key=key,
                        claim_key=key if answered_by else None, claimed_by=answered_by)
        session.add(row)
        session.flush()
        return row.id


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.A")
def test_the_timer_waits_for_an_answer_already_given():
    silent, answered = timer_task("timer-silent"), timer_task("timer-answered", answered_by="S-001")
    fire_timers.fn(date(2020, 1, 2))
    with transaction() as session:
        assert session.get(HumanTask, silent).status == "deadline_passed"
        assert session.get(HumanTask, answered).status == "open"
