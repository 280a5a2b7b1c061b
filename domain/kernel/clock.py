"""The one source of 'now' for rules with lifetimes, so tests can move time without sleeping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")  # business dates and daily limits follow Beijing time

_offset = timedelta(0)


def now() -> datetime:
    """Current UTC time (shifted by `advance` in tests)."""
    return datetime.now(UTC) + _offset


def business_date() -> date:
    """Today's date in Asia/Shanghai."""
    return now().astimezone(BUSINESS_TZ).date()


def timestamp() -> float:
    """Current UTC time as epoch seconds."""
    return now().timestamp()


def advance(seconds: float) -> None:
    """Move the clock forward (tests only: a fake clock for expiry rules)."""
    global _offset  # noqa: PLW0603 - one process-wide clock by design
    _offset += timedelta(seconds=seconds)


def reset() -> None:
    """Back to real time."""
    global _offset  # noqa: PLW0603
    _offset = timedelta(0)
