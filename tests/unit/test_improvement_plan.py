"""Practice improvement plans, 13 CSR 35-32.020 (16): deadlines, the plan's four elements, reminders."""

from datetime import date

import pytest

from models.errors import RuleViolation
from models.improvement_plan import check_plan, parse_responsible, plan_deadline, reminder_due

PLAN = "13 CSR 35-32.020 (16)"
WHY = "13 CSR 35-32.020 (16)(A)"
STEPS = "13 CSR 35-32.020 (16)(B)"
RESPONSIBLE = "13 CSR 35-32.020 (16)(C)"
TIMEFRAME = "13 CSR 35-32.020 (16)(D)"


@pytest.mark.rule(PLAN)
@pytest.mark.parametrize("effective, days, deadline", [
    (date(2026, 11, 24), 90, date(2027, 2, 22)),
    (date(2026, 1, 31), 30, date(2026, 3, 2)),
    (date(2027, 12, 1), 90, date(2028, 2, 29)),
    (date(2028, 2, 29), 365, date(2029, 2, 28)),
    (date(2026, 6, 30), 1, date(2026, 7, 1)),
], ids=["ninety-days", "custom-days-over-february", "into-a-leap-day", "from-a-leap-day", "one-day"])
def test_deadline_is_the_effective_date_plus_calendar_days(effective, days, deadline):
    assert plan_deadline(effective, days) == deadline


@pytest.mark.rule(PLAN)
def test_default_timeframe_is_ninety_days():
    assert plan_deadline(date(2026, 11, 24)) == date(2027, 2, 22)


@pytest.mark.rule(PLAN, TIMEFRAME)
@pytest.mark.parametrize("days", [0, -5], ids=["zero", "negative"])
def test_a_timeframe_must_be_at_least_a_day(days):
    with pytest.raises(RuleViolation, match="at least one day"):
        plan_deadline(date(2026, 11, 24), days)


GOOD = dict(reasons="Staff turnover.", steps="Hire two supervisors.", responsible="A. Reyes, director", days=90)


@pytest.mark.rule(WHY, STEPS, RESPONSIBLE, TIMEFRAME)
@pytest.mark.parametrize("overrides, element", [
    ({"reasons": " "}, "(A)"), ({"steps": ""}, "(B)"), ({"responsible": ""}, "(C)"),
    ({"responsible": "A. Reyes"}, "(C)"), ({"days": 0}, "(D)"),
], ids=["no-reasons", "no-steps", "nobody-responsible", "responsible-without-role", "no-timeframe"])
def test_a_plan_must_address_all_four_elements(overrides, element):
    with pytest.raises(RuleViolation) as refused:
        check_plan(**{**GOOD, **overrides})
    assert refused.value.rule.endswith(element)


@pytest.mark.rule(RESPONSIBLE)
def test_responsible_individuals_are_read_one_per_line():
    people = parse_responsible("A. Reyes, program director\n\n B. Okoro , case management supervisor ")
    assert [(p.name, p.role) for p in people] == [("A. Reyes", "program director"),
                                                  ("B. Okoro", "case management supervisor")]


@pytest.mark.rule(PLAN)
@pytest.mark.parametrize("as_of, owed", [
    (date(2027, 1, 22), None), (date(2027, 1, 23), 30), (date(2027, 2, 8), 14), (date(2027, 2, 9), 14),
    (date(2027, 2, 15), 7), (date(2027, 2, 22), 7), (date(2027, 2, 23), None),
], ids=["31-days-before", "30-days-before", "14-days-before", "13-days-before", "7-days-before",
        "the-deadline", "after-the-deadline"])
def test_reminder_owed_is_the_nearest_offset_reached(as_of, owed):
    assert reminder_due(date(2027, 2, 22), as_of, (7, 14, 30)) == owed
