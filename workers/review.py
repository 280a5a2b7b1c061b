"""Cron of review: flag filings past their working-day deadline and notify their reviewers (once each)."""

from __future__ import annotations

from typing import Any

from domain import review


async def flag_overdue_reviews(ctx: dict[str, Any]) -> int:
    """Filings newly past their stage's deadline: flagged once, one SMS per reviewer with the count."""
    return await review.flag_overdue(ctx["deps"])
