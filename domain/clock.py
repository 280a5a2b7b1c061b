"""The one source of 'now' for rules with lifetimes, so tests can move time without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """Current UTC time (shifted by `advance` in tests)."""
    return datetime.now(UTC) + _offset


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
