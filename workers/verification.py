"""Jobs of real-name verification: process a notice, poll pending attempts, and the sandbox's notice sender."""

from __future__ import annotations

from typing import Any

from arq.worker import Retry

from domain import verification
from domain.kernel.jobs import backoff_s, is_final_try


async def process_verification_notice(ctx: dict[str, Any], outbox_id: str) -> str:
    """Confirm a notice with the provider's query API and apply the result; back-off on transient faults."""
    try:
        return await verification.process_notice(ctx["deps"], outbox_id, final_try=is_final_try(ctx["job_try"]))
    except verification.ProviderUnavailable as exc:
        raise Retry(defer=backoff_s(ctx["job_try"])) from exc


async def poll_verifications(ctx: dict[str, Any]) -> int:
    """Cron: attempts without a notice are queried; stale ones expire."""
    return await verification.poll_pending(ctx["deps"])


async def sandbox_send_notice(ctx: dict[str, Any], outbox_id: str) -> str:
    """The sandbox posting its signed notice to our callback, retried like Alipay until `success`."""
    delays = verification.sandbox_retry_delays_s()
    final_try = ctx["job_try"] > len(delays)
    # ctx["http_transport"]: tests route the sandbox's HTTP through the ASGI app; None = the network.
    transport = ctx.get("http_transport")
    try:
        return await verification.deliver_sandbox_notice(outbox_id, final_try=final_try, transport=transport)
    except verification.SandboxNoticeNotAcknowledged as exc:
        if final_try:
            return f"abandoned: {exc}"
        raise Retry(defer=delays[ctx["job_try"] - 1]) from exc
