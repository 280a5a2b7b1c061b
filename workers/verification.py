"""Jobs of real-name verification: process a notice, poll pending attempts, and the sandbox's notice sender."""

from __future__ import annotations

from typing import Any

from arq.worker import Retry

from domain import verification_notices
from domain.identity_providers import sandbox_delivery
from workers.queue import MAX_TRIES

BACKOFF_BASE_S = 5


async def process_verification_notice(ctx: dict[str, Any], outbox_id: str) -> str:
    """Confirm a notice with the provider's query API and apply the result; back-off on transient faults."""
    final_try = ctx["job_try"] >= MAX_TRIES
    try:
        return await verification_notices.process_notice(ctx["deps"], outbox_id, final_try=final_try)
    except verification_notices.ProviderUnavailable as exc:
        raise Retry(defer=BACKOFF_BASE_S * 2 ** (ctx["job_try"] - 1)) from exc


async def poll_verifications(ctx: dict[str, Any]) -> int:
    """Cron: attempts without a notice are queried; stale ones expire."""
    return await verification_notices.poll_pending(ctx["deps"])


async def sandbox_send_notice(ctx: dict[str, Any], outbox_id: str) -> str:
    """The sandbox posting its signed notice to our callback, retried like Alipay until `success`."""
    delays = sandbox_delivery.retry_delays_s()
    final_try = ctx["job_try"] > len(delays)
    try:
        # ctx["http_transport"]: tests route the sandbox's HTTP through the ASGI app; None = the network.
        return await sandbox_delivery.deliver(outbox_id, final_try=final_try, transport=ctx.get("http_transport"))
    except sandbox_delivery.NoticeNotAcknowledged as exc:
        if final_try:
            return f"abandoned: {exc}"
        raise Retry(defer=delays[ctx["job_try"] - 1]) from exc
