"""Which month the daily billing run bills (13 CSR 35-32.040 (4)(A)-(B))."""

from datetime import date

import pytest

from flows.handup_billing import month_to_bill

pytestmark = pytest.mark.rule("13 CSR 35-32.040 (4)(A)")


@pytest.mark.parametrize("as_of, month", [
    (date(2026, 12, 1), date(2026, 12, 1)),  # December's letters go to the mail by Friday 2026-12-11
    (date(2026, 12, 11), date(2026, 12, 1)),
    (date(2026, 12, 12), date(2027, 1, 1)),  # too late for December: January is the earliest still in time
    (date(2027, 2, 10), date(2027, 2, 1)),  # due 2027-02-28; mailed by Wednesday 2027-02-10
    (date(2027, 2, 11), date(2027, 3, 1)),
])
def test_without_a_month_the_earliest_month_still_in_time_is_billed(as_of, month):
    assert month_to_bill(None, as_of) == month


def test_a_month_asked_for_is_the_month_billed():
    assert month_to_bill(date(2027, 5, 17), date(2027, 1, 3)) == date(2027, 5, 1)
