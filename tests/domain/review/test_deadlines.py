"""Working-day deadlines on the Chinese calendar: Spring Festival 2026 (15–23 February off, 14 and 28 February
make-up workdays), National Day 2026 (1–7 October off, 20 September and 10 October make-up workdays), and a year
the calendar package does not know yet (2027: an estimate, said so). The queue shows the same arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from db.models import ApplicationStatus, StaffRole
from domain import filings, review
from domain.kernel import clock
from domain.kernel.workdays import add_workdays, is_estimate, is_workday, workdays_between
from tests.domain.filings.helpers import make_person
from tests.domain.review.helpers import MINISTRY, queued, staff


@pytest.mark.parametrize(
    ("start", "workdays", "deadline"),
    [
        # Spring Festival 2026
        (date(2026, 2, 12), 5, date(2026, 2, 26)),  # Fri 13, Sat 14 (make-up), then 24, 25, 26
        (date(2026, 2, 13), 10, date(2026, 3, 5)),  # 14, 24–27, Sat 28 (make-up), 2–5 March
        (date(2026, 2, 10), 20, date(2026, 3, 16)),  # the ministry's 20 across the festival
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # from the make-up Saturday: the next is after the holiday
        # National Day 2026
        (date(2026, 9, 18), 5, date(2026, 9, 24)),  # Sun 20 September is a workday
        (date(2026, 9, 29), 5, date(2026, 10, 12)),  # 30 Sep, 8, 9, Sat 10 (make-up), Mon 12
        (date(2026, 9, 30), 10, date(2026, 10, 20)),
        # 2027 (the package does not know it yet): Mon–Fri minus fixed-date holidays
        (date(2026, 12, 30), 5, date(2027, 1, 7)),  # 31 Dec, then 1 January off, 4–7 January
        (date(2027, 9, 30), 1, date(2027, 10, 4)),  # 1–3 October fixed holidays, then the weekend
    ],
)
def test_deadlines_across_holidays_and_make_up_workdays(start: date, workdays: int, deadline: date) -> None:
    assert add_workdays(start, workdays) == deadline
    assert workdays_between(start, deadline) == workdays


def test_the_calendar_facts() -> None:
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))  # make-up Saturdays
    assert not any(is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert is_workday(date(2026, 9, 20)) and is_workday(date(2026, 10, 10))
    assert not any(is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert not is_estimate(date(2026, 10, 1)) and is_estimate(date(2027, 3, 1))
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 1), -1)


def beijing_morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def set_clock(day: date) -> None:
    clock.reset()
    clock.advance((beijing_morning(day) - clock.now()).total_seconds())


async def test_a_stage_entered_before_the_festival_and_the_queue_counting_down(app: Any) -> None:
    person = await make_person()
    ministry = await staff(StaffRole.MINISTRY)
    set_clock(date(2026, 2, 12))
    row = await queued(person, MINISTRY, clock.now())
    columns = filings.entering(row, ApplicationStatus.ENTERPRISE_CONFIRMATION)
    assert columns["stage_deadline_on"] == date(2026, 2, 26)
    entered = filings.entering(row, ApplicationStatus.MINISTRY_REVIEW)
    assert entered["stage_deadline_on"] == date(2026, 3, 18) and entered["queue_key"] == MINISTRY
    await type(row).filter(id=row.id).update(**entered)

    for today, left, overdue in (
        (date(2026, 2, 12), 20, False),
        (date(2026, 2, 20), 18, False),  # in the festival: 13 and the make-up 14 February gone, no holiday counted
        (date(2026, 3, 18), 0, False),  # due today
        (date(2026, 3, 19), -1, True),
        (date(2026, 3, 25), -5, True),
    ):
        set_clock(today)
        items, _more = await review.review_queue(ministry, review.QueueRequest(first=5))
        assert (items[0].workdays_left, items[0].overdue) == (left, overdue), today
        overdue_only, _more = await review.review_queue(ministry, review.QueueRequest(first=5, overdue=True))
        assert len(overdue_only) == int(overdue)
