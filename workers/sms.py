"""Job send_sms: deliver one queued SMS from the outbox (the text is stored encrypted)."""

from __future__ import annotations

from typing import Any

from arq.worker import Retry

from domain import notifications
from workers.queue import MAX_TRIES

BACKOFF_BASE_S = 5


async def send_sms(ctx: dict[str, Any], outbox_id: str) -> str:
    """Deliver through the configured gateway; a failure retries with back-off, the last try marks it failed."""
    final_try = ctx["job_try"] >= MAX_TRIES
    try:
        return await notifications.deliver_sms(outbox_id, final_try=final_try)
    except Exception as exc:
        if final_try:
            raise
        raise Retry(defer=BACKOFF_BASE_S * 2 ** (ctx["job_try"] - 1)) from exc
