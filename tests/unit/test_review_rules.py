"""The administrative review's rules, 13 CSR 35-32.020 (7)(C)2 and (7)(D)1, and who may answer a task."""

from datetime import date

import pytest

from models.errors import RosterError, RuleViolation
from models.review import (Recommendation, ReviewStatus, check_review_date, check_review_request, final_status,
                           request_deadline, review_available, scheduling_due)
from models.roster import check_answerer

WINDOW = "13 CSR 35-32.020 (7)(C)2.A"
IN_WRITING = "13 CSR 35-32.020 (7)(C)2.B"
SCHEDULING = "13 CSR 35-32.020 (7)(C)2.C"
FORMER_EMPLOYEES = "13 CSR 35-32.020 (7)(D)1"
FINAL = "13 CSR 35-32.020 (7)(C)2.D(II)"

DECIDED = date(2026, 11, 2)


@pytest.mark.rule(WINDOW)
@pytest.mark.parametrize("decided, last_day", [
    (date(2026, 11, 2), date(2026, 12, 2)),
    (date(2026, 1, 31), date(2026, 3, 2)),
    (date(2028, 2, 1), date(2028, 3, 2)),
], ids=["thirty-days", "across-february", "leap-year"])
def test_request_deadline_is_thirty_calendar_days(decided, last_day):
    assert request_deadline(decided) == last_day


@pytest.mark.rule(SCHEDULING)
@pytest.mark.parametrize("received, due", [
    (date(2026, 11, 20), date(2026, 11, 25)),
    (date(2026, 11, 24), date(2026, 11, 30)),
    (date(2026, 12, 23), date(2026, 12, 29)),
], ids=["friday-over-weekend", "over-thanksgiving", "over-christmas"])
def test_scheduling_is_due_three_business_days_after_receipt(received, due):
    assert scheduling_due(received) == due


def request(**overrides):
    values = dict(decision_date=DECIDED, received_on=date(2026, 11, 20), reasons="Rehabilitated.",
                  division_employee=False, release_authorization=True) | overrides
    check_review_request(**values)


@pytest.mark.rule(WINDOW, IN_WRITING)
def test_timely_reasoned_request_is_accepted():
    request()
    request(received_on=date(2026, 12, 2))  # the last day counts


@pytest.mark.rule(WINDOW, IN_WRITING, FORMER_EMPLOYEES)
@pytest.mark.parametrize("overrides, rule, words", [
    ({"received_on": date(2026, 12, 3)}, "(7)(C)2.A", "after the last day"),
    ({"received_on": date(2026, 11, 1)}, "(7)(C)2.A", "before the decision"),
    ({"reasons": "   "}, "(7)(C)2.B", "reasons"),
    ({"division_employee": True, "release_authorization": False}, "(7)(D)1", "authorization"),
], ids=["late", "before-the-decision", "no-reasons", "employee-without-release"])
def test_refused_requests_say_why(overrides, rule, words):
    with pytest.raises(RuleViolation) as refused:
        request(**overrides)
    assert refused.value.rule.endswith(rule) and words in refused.value.reason


@pytest.mark.rule(FORMER_EMPLOYEES)
def test_former_employee_with_signed_release_may_ask():
    request(division_employee=True, release_authorization=True)


@pytest.mark.rule(SCHEDULING)
def test_review_cannot_be_set_before_it_is_scheduled():
    check_review_date(date(2026, 11, 25), date(2026, 11, 25))
    with pytest.raises(RuleViolation):
        check_review_date(date(2026, 11, 24), date(2026, 11, 25))


@pytest.mark.parametrize("kwargs, words", [
    (dict(active=None, roles=set()), "not on the staff roster"),
    (dict(active=False, roles={"designee"}), "no longer active"),
    (dict(active=True, roles={"director"}), "does not hold the role 'designee'"),
    (dict(active=True, roles={"designee"}, excluded_staff_id="S-1", excluded_reason="recommended"), "recommended"),
], ids=["unknown", "inactive", "wrong-role", "separation-of-duties"])
def test_who_may_not_answer(kwargs, words):
    with pytest.raises(RosterError, match=words):
        check_answerer(staff_id="S-1", required_role="designee", **kwargs)


def test_active_staff_with_the_role_may_answer():
    check_answerer(staff_id="S-1", active=True, roles={"designee"}, required_role="designee",
                   excluded_staff_id="S-2")


@pytest.mark.rule(FORMER_EMPLOYEES)
@pytest.mark.parametrize("employee, release, available", [
    (False, False, True), (True, True, True), (True, False, False),
], ids=["not-an-employee", "employee-with-release", "employee-without-release"])
def test_review_is_available_unless_a_former_employee_signed_no_release(employee, release, available):
    assert review_available(employee, release) is available


@pytest.mark.rule(FINAL)
@pytest.mark.parametrize("decision, status", [
    (Recommendation.affirm, ReviewStatus.final_affirmed), (Recommendation.reverse, ReviewStatus.final_reversed),
])
def test_the_director_affirms_or_reverses_and_the_decision_is_final(decision, status):
    assert final_status(decision) is status
