"""A review-queue cursor whose time is out of the database's range is refused as malformed, not a 500 (found by an
adversarial review: 9999-12-31T23:59:59-01:00 overflowed once converted to UTC on PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.kernel.errors import DomainError
from domain.review import QueueCursor


@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+14:00",
        "9500-01-01T00:00:00+00:00",
        "1800-01-01T00:00:00+00:00",
    ],
)
def test_out_of_range_times_are_refused(at: str) -> None:
    with pytest.raises(DomainError) as refused:
        QueueCursor.parse(f"E|{at}|1", overdue=False)
    assert (refused.value.code.value, refused.value.field) == ("INVALID_INPUT", "after")


def test_a_time_in_range_is_read() -> None:
    assert QueueCursor.parse("E|2026-11-30T08:00:00+00:00|7", overdue=False).id == 7
