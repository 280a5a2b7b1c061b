"""Working days on the Chinese calendar (法定节假日 and 调休 make-up workdays), for review deadlines.

The calendar comes from the maintained `chinesecalendar` package, which knows the years the State Council has
announced. For a later year (announced each November or December) the count falls back to Monday to Friday minus
the fixed-date holidays, and says so (`is_estimate`), until the package is upgraded."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)
# Fixed-date public holidays used only past the package's last year (lunar ones cannot be guessed).
FIXED_HOLIDAYS = ((1, 1), (5, 1), (10, 1), (10, 2), (10, 3))
_MAX_STEPS = 3660  # no deadline is ten years of days away


def is_estimate(day: date) -> bool:
    """The package does not know this year yet: the answer is Monday to Friday minus fixed-date holidays."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return True
    return False


@lru_cache(maxsize=8192)  # the package validates each date against all its years (~30 µs): a queue page counts
def is_workday(day: date) -> bool:  # hundreds of days per item
    """A working day: a weekday that is no holiday, or a weekend make-up workday (调休上班)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def add_workdays(start: date, workdays: int) -> date:
    """The date `workdays` working days after `start` (the start itself does not count): a deadline."""
    if workdays < 0:
        raise ValueError("workdays must be >= 0")
    day, left = start, workdays
    for _ in range(_MAX_STEPS):
        if left == 0:
            return day
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    raise ValueError("deadline out of range")


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count
