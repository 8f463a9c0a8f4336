"""Missouri state business-day calendar (RSMo 9.010) for 13 CSR 35-32 deadlines.

Pure Python: the ``holidays`` package supplies the base dates, corrected here
to match RSMo 9.010 exactly.  Observation rule: a holiday on a Sunday is
observed the following Monday (RSMo 9.010); one on a Saturday is observed the
preceding Friday (Office of Administration practice).  The *observed* date is
what makes a weekday a non-business day.  Differences from ``holidays`` 0.109
(``holidays.US(subdiv="MO")``) fixed below: Lincoln Day (Feb 12) is missing
there, and Juneteenth is listed for 2021, before it became a state holiday.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import holidays

from models.rules import cites

OBSERVED_SUFFIX = " (observed)"
LINCOLN_DAY = "Lincoln Day"
JUNETEENTH = "Juneteenth National Independence Day"
JUNETEENTH_FIRST_YEAR = 2022

# Base names (as spelled by ``holidays``) of the RSMo 9.010 holidays; any other
# name the package may return (e.g. Inauguration Day) is dropped.
_RSMO_9010 = frozenset({
    "New Year's Day", "Martin Luther King Jr. Day", LINCOLN_DAY,
    "Washington's Birthday", "Truman Day", "Memorial Day", JUNETEENTH,
    "Independence Day", "Labor Day", "Columbus Day", "Veterans Day",
    "Thanksgiving Day", "Christmas Day",
})


def _observed(actual: date) -> date:
    """RSMo 9.010: Sunday -> following Monday; state practice: Saturday -> preceding Friday."""
    if actual.weekday() == 5:
        return actual - timedelta(days=1)
    if actual.weekday() == 6:
        return actual + timedelta(days=1)
    return actual


def _add(table: dict[date, str], day: date, name: str) -> None:
    table[day] = f"{table[day]}; {name}" if day in table else name


@lru_cache(maxsize=None)
def _holidays(year: int) -> Mapping[date, str]:
    table: dict[date, str] = {}
    for day, names in holidays.US(subdiv="MO", years=year, observed=True).items():
        for name in names.split("; "):
            base = name.removesuffix(OBSERVED_SUFFIX)
            if base not in _RSMO_9010:
                continue
            if base == JUNETEENTH and year < JUNETEENTH_FIRST_YEAR:
                continue
            _add(table, day, name)
    lincoln = date(year, 2, 12)  # never observed outside February
    if LINCOLN_DAY not in table.values():
        _add(table, lincoln, LINCOLN_DAY)
        if _observed(lincoln) != lincoln:
            _add(table, _observed(lincoln), LINCOLN_DAY + OBSERVED_SUFFIX)
    return MappingProxyType(table)


def _check_date(day: date) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


@cites("RSMo 9.010")
def state_holidays(year: int) -> dict[date, str]:
    """RSMo 9.010: Missouri state holidays of ``year``, date -> name.

    Lists each holiday's actual date and, when it differs, its observed date
    (name suffixed " (observed)").  Every weekday key is a non-business day;
    weekend keys are actual dates, not business days anyway.  A Saturday
    New Year's Day of ``year + 1`` appears here as Dec 31 (observed).
    """
    return dict(_holidays(year))


@cites("RSMo 9.010")
def is_business_day(day: date) -> bool:
    """RSMo 9.010: not a Saturday/Sunday and not an observed Missouri state holiday."""
    _check_date(day)
    return day.weekday() < 5 and day not in _holidays(day.year)


@cites("13 CSR 35-32.020 (7)(C)2.C")
def add_business_days(start: date, days: int) -> date:
    """13 CSR 35-32.020 (7)(C)2.C: the date ``days`` business days after ``start``.

    ``start`` itself is not counted; ``days == 0`` returns ``start`` unchanged.
    """
    _check_date(start)
    days = operator.index(days)
    if days < 0:
        raise ValueError(f"days must be >= 0 business days, got {days}")
    current = start
    while days:
        current += timedelta(days=1)
        if is_business_day(current):
            days -= 1
    return current


@cites("13 CSR 35-32.020 (7)(C)2.A")
def add_calendar_days(start: date, days: int) -> date:
    """13 CSR 35-32.020 (7)(C)2.A: plain calendar days (weekends/holidays count)."""
    _check_date(start)
    return start + timedelta(days=operator.index(days))


@cites("RSMo 9.010")
def business_days_between(start: date, end: date) -> int:
    """RSMo 9.010: count business days d with start < d <= end (0 if end <= start)."""
    _check_date(start)
    _check_date(end)
    return sum(
        is_business_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )
