"""Retention of a contract's records, 13 CSR 35-32.020 (12)(A): five calendar years following its expiration."""

from datetime import date, timedelta

import pytest

from models.retention import past_retention, retention_ends

RETENTION = "13 CSR 35-32.020 (12)(A)"


@pytest.mark.rule(RETENTION)
@pytest.mark.parametrize("ended, kept_until", [
    (date(2020, 6, 30), date(2025, 6, 30)),
    (date(2019, 12, 31), date(2024, 12, 31)),
    (date(2020, 2, 29), date(2025, 2, 28)),
    (date(2023, 2, 28), date(2028, 2, 28)),
    (date(2023, 3, 1), date(2028, 3, 1)),
], ids=["end-of-june", "new-years-eve", "leap-day-to-feb-28", "feb-28-into-a-leap-year", "march-first"])
def test_records_are_kept_through_the_same_day_five_calendar_years_on(ended, kept_until):
    assert retention_ends(ended) == kept_until


@pytest.mark.rule(RETENTION)
@pytest.mark.parametrize("ended", [date(2020, 6, 30), date(2020, 2, 29), date(2021, 12, 31), date(2024, 2, 29)])
def test_past_retention_from_the_day_after_the_fifth_anniversary(ended):
    last = retention_ends(ended)
    assert not past_retention(ended, last)
    assert past_retention(ended, last + timedelta(days=1))
    assert not past_retention(ended, last - timedelta(days=1))


@pytest.mark.rule(RETENTION)
def test_an_active_or_recently_ended_contract_is_not_past_retention():
    assert not past_retention(date(2030, 6, 30), date(2026, 1, 1))  # still running
    assert not past_retention(date(2026, 1, 1), date(2026, 1, 1))  # ended today
    assert not past_retention(date(2021, 7, 1), date(2026, 6, 30))  # four years and 364 days ago
    assert past_retention(date(2021, 6, 29), date(2026, 6, 30))  # five years and a day ago


@pytest.mark.rule(RETENTION)
def test_five_calendar_years_not_five_times_365_days():
    ended = date(2020, 1, 15)  # 2020 and 2024 are leap years: 1,827 days to the anniversary
    assert retention_ends(ended) - ended == timedelta(days=1827)
    assert not past_retention(ended, ended + timedelta(days=5 * 365 + 1))
