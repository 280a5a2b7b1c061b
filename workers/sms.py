"""Job send_sms: deliver one queued SMS from the outbox (the text is stored encrypted)."""

from __future__ import annotations

from typing import Any

from arq.worker import Retry

from domain import accounts
from domain.kernel.jobs import backoff_s, is_final_try


async def send_sms(ctx: dict[str, Any], outbox_id: str) -> str:
    """Deliver through the configured gateway; a failure retries with back-off, the last try marks it failed."""
    final_try = is_final_try(ctx["job_try"])
    try:
        return await accounts.deliver_sms(outbox_id, final_try=final_try)
    except Exception as exc:
        if final_try:
            raise
        raise Retry(defer=backoff_s(ctx["job_try"])) from exc
