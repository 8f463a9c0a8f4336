"""Removal for non-payment, 13 CSR 35-32.040 (4)(C): the cutoff, the unpaid months, the supervisor's hold-backs."""

from datetime import date, timedelta

import pytest

from models.errors import RuleViolation
from models.handup import removal_due
from models.handup_removal import check_decided_on, months_label, parse_holds, removal_cutoff

pytestmark = pytest.mark.rule("13 CSR 35-32.040 (4)(C)")
IDS = ["HU-1", "HU-2", "HU-3"]


@pytest.mark.parametrize("as_of", [date(2026, 3, 1), date(2026, 5, 1), date(2024, 2, 29), date(2026, 12, 31)])
def test_the_cutoff_agrees_with_removal_due_on_every_day_around_it(as_of):
    cutoff = removal_cutoff(as_of)
    assert (as_of - cutoff).days == 61
    for offset in range(-5, 6):
        due = cutoff + timedelta(days=offset)
        assert removal_due(due, as_of) == (due <= cutoff)


def test_sixty_days_unpaid_is_not_yet_due_sixty_one_is():
    due = date(2026, 1, 31)
    assert not removal_due(due, due + timedelta(days=60))
    assert removal_due(due, due + timedelta(days=61))
    assert removal_cutoff(due + timedelta(days=61)) == due


def test_months_are_listed_in_order_once_each():
    assert months_label([date(2026, 2, 1), date(2026, 1, 1), date(2026, 2, 1)]) == "2026-01, 2026-02"
    assert months_label([]) == ""


def test_a_list_too_long_for_the_record_becomes_a_range():
    months = [date(2020 + i // 12, i % 12 + 1, 1) for i in range(30)]
    label = months_label(months)
    assert label == "2020-01 to 2022-06, 30 months" and len(label) <= 200


def test_holds_are_read_one_per_line_with_their_reasons():
    text = "HU-1: payment arrangement agreed\n\n  HU-3 :  paid at the office on 2026-04-02  \n"
    assert parse_holds(text, IDS) == {"HU-1": "payment arrangement agreed", "HU-3": "paid at the office on 2026-04-02"}
    assert parse_holds("", IDS) == {} == parse_holds("  \n", IDS)


def test_a_reason_may_contain_colons():
    assert parse_holds("HU-2: hearing set: 2026-05-01 10:00", IDS) == {"HU-2": "hearing set: 2026-05-01 10:00"}


@pytest.mark.parametrize("text, message", [
    ("HU-9: moved away", "line 1: HU-9 is not a candidate in this batch"),
    ("HU-1:", "line 1: no reason given for holding back HU-1"),
    ("HU-1:    ", "line 1: no reason given for holding back HU-1"),
    ("HU-1 paid", "line 1 is not 'participant ID: reason'"),
    ("HU-1: a\nHU-1: b", "line 2: HU-1 is held back twice"),
])
def test_a_bad_line_is_refused_with_its_number(text, message):
    with pytest.raises(RuleViolation) as refused:
        parse_holds(text, IDS)
    assert message in str(refused.value) and refused.value.rule == "13 CSR 35-32.040 (4)(C)"


def test_every_bad_line_is_named_at_once():
    with pytest.raises(RuleViolation) as refused:
        parse_holds("HU-1: ok\nHU-7: x\nHU-2:\n", IDS)
    reason = refused.value.reason
    assert "line 2: HU-7" in reason and "line 3: no reason given for holding back HU-2" in reason


@pytest.mark.rule("13 CSR 35-32.040 (5)")
def test_the_decision_cannot_be_dated_before_the_batch():
    check_decided_on(date(2026, 4, 2), date(2026, 4, 2))
    with pytest.raises(RuleViolation, match="before the batch was proposed"):
        check_decided_on(date(2026, 4, 1), date(2026, 4, 2))


def test_the_form_asks_no_one_who_answers_and_holds_back_no_one_by_default():
    from tasks.handup.forms import ApproveRemovals

    schema = ApproveRemovals.model_json_schema()
    assert "decided_by" not in schema["properties"]
    assert set(schema["required"]) == {"decided_on", "reasons"}
    form = ApproveRemovals(decided_on=date(2026, 4, 2), reasons="Approved.")
    assert (form.approve, form.hold_back) == (False, "")
