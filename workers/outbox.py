"""Cron relay_outbox: re-send outbox messages that were committed but never reached the queue."""

from __future__ import annotations

from typing import Any

from domain.kernel import outbox


async def relay_outbox(ctx: dict[str, Any]) -> int:
    """Hand stale, unfinished messages to arq again (their job id makes duplicates collapse)."""
    return await outbox.relay(ctx["deps"].queue)
