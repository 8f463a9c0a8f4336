"""Unit tests for models.calendar (RSMo 9.010 Missouri state business days).

Every expected date below is written out literally (cross-checked by hand
against Python's ``calendar`` module), never recomputed with the code under test.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.calendar import add_business_days, add_calendar_days, business_days_between, is_business_day, state_holidays

HOLIDAY_LAW = "RSMo 9.010"
BUSINESS_DAYS = "13 CSR 35-32.020 (7)(C)2.C"
CALENDAR_DAYS = "13 CSR 35-32.020 (7)(C)2.A"

D = date

# (name fragment, actual date, observed date) -- RSMo 9.010, 2024-2027.
HOLIDAYS = [
    # 2024: every holiday falls on a weekday.
    ("New Year", D(2024, 1, 1), D(2024, 1, 1)),
    ("Martin Luther King", D(2024, 1, 15), D(2024, 1, 15)),
    ("Lincoln", D(2024, 2, 12), D(2024, 2, 12)),
    ("Washington", D(2024, 2, 19), D(2024, 2, 19)),
    ("Truman", D(2024, 5, 8), D(2024, 5, 8)),
    ("Memorial", D(2024, 5, 27), D(2024, 5, 27)),
    ("Juneteenth", D(2024, 6, 19), D(2024, 6, 19)),
    ("Independence", D(2024, 7, 4), D(2024, 7, 4)),
    ("Labor", D(2024, 9, 2), D(2024, 9, 2)),
    ("Columbus", D(2024, 10, 14), D(2024, 10, 14)),
    ("Veterans", D(2024, 11, 11), D(2024, 11, 11)),
    ("Thanksgiving", D(2024, 11, 28), D(2024, 11, 28)),
    ("Christmas", D(2024, 12, 25), D(2024, 12, 25)),
    # 2025: every holiday falls on a weekday.
    ("New Year", D(2025, 1, 1), D(2025, 1, 1)),
    ("Martin Luther King", D(2025, 1, 20), D(2025, 1, 20)),
    ("Lincoln", D(2025, 2, 12), D(2025, 2, 12)),
    ("Washington", D(2025, 2, 17), D(2025, 2, 17)),
    ("Truman", D(2025, 5, 8), D(2025, 5, 8)),
    ("Memorial", D(2025, 5, 26), D(2025, 5, 26)),
    ("Juneteenth", D(2025, 6, 19), D(2025, 6, 19)),
    ("Independence", D(2025, 7, 4), D(2025, 7, 4)),
    ("Labor", D(2025, 9, 1), D(2025, 9, 1)),
    ("Columbus", D(2025, 10, 13), D(2025, 10, 13)),
    ("Veterans", D(2025, 11, 11), D(2025, 11, 11)),
    ("Thanksgiving", D(2025, 11, 27), D(2025, 11, 27)),
    ("Christmas", D(2025, 12, 25), D(2025, 12, 25)),
    # 2026: July 4 is a Saturday -> Friday July 3.
    ("New Year", D(2026, 1, 1), D(2026, 1, 1)),
    ("Martin Luther King", D(2026, 1, 19), D(2026, 1, 19)),
    ("Lincoln", D(2026, 2, 12), D(2026, 2, 12)),
    ("Washington", D(2026, 2, 16), D(2026, 2, 16)),
    ("Truman", D(2026, 5, 8), D(2026, 5, 8)),
    ("Memorial", D(2026, 5, 25), D(2026, 5, 25)),
    ("Juneteenth", D(2026, 6, 19), D(2026, 6, 19)),
    ("Independence", D(2026, 7, 4), D(2026, 7, 3)),
    ("Labor", D(2026, 9, 7), D(2026, 9, 7)),
    ("Columbus", D(2026, 10, 12), D(2026, 10, 12)),
    ("Veterans", D(2026, 11, 11), D(2026, 11, 11)),
    ("Thanksgiving", D(2026, 11, 26), D(2026, 11, 26)),
    ("Christmas", D(2026, 12, 25), D(2026, 12, 25)),
    # 2027: Truman, Juneteenth, Christmas on Saturday; July 4 on Sunday;
    # New Year's Day 2028 is a Saturday -> Friday 2027-12-31.
    ("New Year", D(2027, 1, 1), D(2027, 1, 1)),
    ("Martin Luther King", D(2027, 1, 18), D(2027, 1, 18)),
    ("Lincoln", D(2027, 2, 12), D(2027, 2, 12)),
    ("Washington", D(2027, 2, 15), D(2027, 2, 15)),
    ("Truman", D(2027, 5, 8), D(2027, 5, 7)),
    ("Memorial", D(2027, 5, 31), D(2027, 5, 31)),
    ("Juneteenth", D(2027, 6, 19), D(2027, 6, 18)),
    ("Independence", D(2027, 7, 4), D(2027, 7, 5)),
    ("Labor", D(2027, 9, 6), D(2027, 9, 6)),
    ("Columbus", D(2027, 10, 11), D(2027, 10, 11)),
    ("Veterans", D(2027, 11, 11), D(2027, 11, 11)),
    ("Thanksgiving", D(2027, 11, 25), D(2027, 11, 25)),
    ("Christmas", D(2027, 12, 25), D(2027, 12, 24)),
    ("New Year", D(2028, 1, 1), D(2027, 12, 31)),
]


def _holiday_id(case: tuple[str, date, date]) -> str:
    name, actual, observed = case
    slug = name.lower().replace(" ", "-")
    if actual == observed:
        return f"{actual}-{slug}"
    return f"{actual}-{slug}-{actual:%a}->{observed:%a}-{observed}".lower()


@pytest.mark.rule(HOLIDAY_LAW)
@pytest.mark.parametrize("case", HOLIDAYS, ids=_holiday_id)
def test_holiday_observed_date_is_not_a_business_day(case):
    name, actual, observed = case
    assert observed.weekday() < 5
    assert not is_business_day(observed)
    observed_names = state_holidays(observed.year)
    assert name in observed_names[observed]
    if actual != observed:
        assert observed_names[observed].endswith("(observed)")
    assert name in state_holidays(actual.year)[actual]


@pytest.mark.rule(HOLIDAY_LAW)
@pytest.mark.parametrize(
    ("year", "expected_weekday_holidays"),
    [
        (year, sorted({obs for _, _, obs in HOLIDAYS if obs.year == year}))
        for year in (2024, 2025, 2026, 2027)
    ],
    ids=lambda v: str(v) if isinstance(v, int) else "observed",
)
def test_no_extra_weekday_holidays(year, expected_weekday_holidays):
    """Nothing beyond RSMo 9.010 (no Inauguration Day, day after Thanksgiving...)."""
    weekday_keys = sorted(d for d in state_holidays(year) if d.weekday() < 5)
    assert weekday_keys == expected_weekday_holidays


@pytest.mark.rule(HOLIDAY_LAW)
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 7, 6), True),   # Mon after Sat July 4: no double observation
        (D(2027, 7, 2), True),   # Fri before Sun July 4: Monday is the one
        (D(2027, 12, 27), True), # Mon after Sat Christmas: Friday is the one
        (D(2025, 11, 28), True), # day after Thanksgiving is not statutory
        (D(2024, 4, 13), False), # Jefferson Day (RSMo 9.020) -- Saturday anyway
        (D(2025, 4, 14), True),  # Jefferson Day (Sun) is not observed Monday
        (D(2027, 2, 12), False), # Lincoln Day on a Friday
        (D(2025, 6, 21), False), # plain Saturday
        (D(2025, 6, 22), False), # plain Sunday
        (D(2025, 6, 23), True),  # plain Monday
        (D(2021, 6, 18), True),  # Juneteenth only a state holiday from 2022
        (D(2022, 6, 20), False), # 2022-06-19 Sunday -> Monday
    ],
    ids=[
        "2026-07-06-mon-after-sat-july4",
        "2027-07-02-fri-before-sun-july4",
        "2027-12-27-mon-after-sat-christmas",
        "2025-11-28-day-after-thanksgiving",
        "2024-04-13-jefferson-day-saturday",
        "2025-04-14-mon-after-sun-jefferson-day",
        "2027-02-12-lincoln-day-friday",
        "2025-06-21-saturday",
        "2025-06-22-sunday",
        "2025-06-23-monday",
        "2021-06-18-juneteenth-before-statute",
        "2022-06-20-juneteenth-sun->mon",
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(day) is expected


@pytest.mark.rule(BUSINESS_DAYS)
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2025, 6, 23), 0, D(2025, 6, 23)),
        (D(2025, 11, 27), 0, D(2025, 11, 27)),  # 0 returns start even on a holiday
        (D(2025, 6, 23), 3, D(2025, 6, 26)),
        (D(2025, 6, 26), 3, D(2025, 7, 1)),     # across a weekend
        (D(2025, 1, 17), 1, D(2025, 1, 21)),    # Fri before MLK Monday
        (D(2025, 10, 10), 3, D(2025, 10, 16)),  # Fri before Columbus Monday
        (D(2024, 2, 10), 1, D(2024, 2, 13)),    # Sat, then Lincoln Day Monday
        (D(2024, 2, 9), 5, D(2024, 2, 20)),     # Lincoln Mon + Washington Mon
        (D(2025, 11, 26), 1, D(2025, 11, 28)),  # Thanksgiving week
        (D(2025, 11, 26), 3, D(2025, 12, 2)),
        (D(2025, 7, 3), 3, D(2025, 7, 9)),      # (7)(C)2.C over July 4
        (D(2025, 12, 24), 3, D(2025, 12, 30)),  # Christmas
        (D(2025, 12, 30), 3, D(2026, 1, 5)),    # New Year
        (D(2026, 7, 2), 1, D(2026, 7, 6)),      # Sat July 4 observed Fri
        (D(2027, 5, 6), 1, D(2027, 5, 10)),     # Sat Truman Day observed Fri
        (D(2027, 6, 17), 2, D(2027, 6, 22)),    # Sat Juneteenth observed Fri
        (D(2027, 7, 2), 1, D(2027, 7, 6)),      # Sun July 4 observed Mon
        (D(2027, 12, 23), 1, D(2027, 12, 27)),  # Sat Christmas observed Fri
        (D(2027, 12, 30), 1, D(2028, 1, 3)),    # Sat 2028 New Year observed 12-31
        (D(2023, 12, 31), 249, D(2024, 12, 31)),
    ],
    ids=[
        "zero-days",
        "zero-days-on-holiday",
        "same-week",
        "across-weekend",
        "fri-before-mlk",
        "fri-before-columbus",
        "sat-before-lincoln-day",
        "lincoln-and-washington-week",
        "thanksgiving-wed+1",
        "thanksgiving-wed+3",
        "three-business-days-over-july4",
        "christmas-2025",
        "new-year-2026",
        "july4-2026-sat",
        "truman-2027-sat",
        "juneteenth-2027-sat",
        "july4-2027-sun",
        "christmas-2027-sat",
        "new-year-2028-sat",
        "whole-year-2024",
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(start, days) == expected


@pytest.mark.rule(BUSINESS_DAYS)
def test_add_business_days_rejects_negative():
    with pytest.raises(ValueError, match="days must be >= 0"):
        add_business_days(D(2025, 6, 23), -1)


@pytest.mark.parametrize(
    ("bad_args", "exc"),
    [((datetime(2025, 6, 23, 9), 1), TypeError), ((D(2025, 6, 23), 1.5), TypeError)],
    ids=["datetime-start", "float-days"],
)
def test_add_business_days_rejects_bad_types(bad_args, exc):
    with pytest.raises(exc):
        add_business_days(*bad_args)


@pytest.mark.rule(CALENDAR_DAYS)
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2025, 1, 31), 30, D(2025, 3, 2)),
        (D(2024, 1, 31), 30, D(2024, 3, 1)),    # leap year
        (D(2025, 12, 15), 30, D(2026, 1, 14)),  # holidays and weekends count
        (D(2025, 6, 23), 0, D(2025, 6, 23)),
    ],
    ids=["30-days-feb", "30-days-leap-feb", "30-days-over-new-year", "zero"],
)
def test_add_calendar_days(start, days, expected):
    assert add_calendar_days(start, days) == expected


@pytest.mark.rule(HOLIDAY_LAW)
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 6, 23), D(2025, 6, 23), 0),
        (D(2025, 6, 27), D(2025, 6, 23), 0),    # end before start
        (D(2025, 1, 17), D(2025, 1, 21), 1),    # MLK Monday not counted
        (D(2025, 11, 26), D(2025, 12, 1), 2),   # two business days late
        (D(2023, 12, 31), D(2024, 12, 31), 249),
        (D(2024, 12, 31), D(2025, 12, 31), 248),
        (D(2025, 12, 31), D(2026, 12, 31), 248),
        (D(2026, 12, 31), D(2027, 12, 31), 247),  # incl. 2027-12-31 observed
    ],
    ids=[
        "same-day",
        "end-before-start",
        "over-mlk",
        "over-thanksgiving",
        "year-2024",
        "year-2025",
        "year-2026",
        "year-2027",
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
counts = st.integers(min_value=1, max_value=60)


@pytest.mark.rule(BUSINESS_DAYS)
@settings(deadline=None)
@given(start=dates, n=counts)
def test_property_result_is_later_business_day(start, n):
    result = add_business_days(start, n)
    assert result > start
    assert is_business_day(result)


@pytest.mark.rule(HOLIDAY_LAW, BUSINESS_DAYS)
@settings(deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_property_between_inverts_add(start, n):
    assert business_days_between(start, add_business_days(start, n)) == n


@settings(deadline=None)
@given(start=dates, n=counts)
def test_property_monotonic_and_calendar_bound(start, n):
    result = add_business_days(start, n)
    assert add_business_days(start, n + 1) > result
    assert result >= add_calendar_days(start, n)
