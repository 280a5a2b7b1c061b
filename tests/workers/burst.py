"""A real arq worker in burst mode against the app's Redis: runs every queued job, then returns.

Tortoise is already open (the app's lifespan), so the worker's startup only hands the app's Deps to the jobs.
Jobs that arq defers for a retry (Retry(defer=…)) can be fast-forwarded: their score in the queue is moved to
"now" as if the back-off had elapsed, and the deferral arq asked for is recorded, so tests see real retries
without sleeping through them.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import httpx
from arq.connections import ArqRedis
from arq.constants import default_queue_name
from arq.utils import timestamp_ms

from workers.settings import burst_worker

DEFERRED_THRESHOLD_MS = 500  # a queue score this far in the future is a retry back-off, not a fresh job


@dataclass
class BurstRun:
    """What one burst did: arq's own counters and the back-offs it asked for (job id, milliseconds)."""

    complete: int
    failed: int
    retried: int
    deferrals: list[tuple[str, int]] = field(default_factory=list)


async def _fast_forward(pool: ArqRedis, deferrals: list[tuple[str, int]], stop: asyncio.Event) -> None:
    """Move deferred jobs to the front of the queue, recording how far arq had pushed them."""
    while not stop.is_set():
        now = timestamp_ms()
        for member, score in await pool.zrange(default_queue_name, 0, -1, withscores=True):
            if score - now > DEFERRED_THRESHOLD_MS:
                deferrals.append((member.decode(), int(score - now)))
                await pool.zadd(default_queue_name, {member: now}, xx=True)
        await asyncio.sleep(0.005)


async def run_burst(app: Any, fast_forward: bool = False, timeout_s: float = 30) -> BurstRun:
    """Run WorkerSettings' functions until the queue is empty (a real arq Worker, burst mode)."""
    deps = app.state.deps

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["deps"] = deps
        ctx["http_transport"] = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # the sandbox's calls

    worker = burst_worker(deps.redis, on_startup)
    deferrals: list[tuple[str, int]] = []
    stop = asyncio.Event()
    helper = asyncio.create_task(_fast_forward(deps.redis, deferrals, stop)) if fast_forward else None
    try:
        await asyncio.wait_for(worker.main(), timeout_s)
    finally:
        stop.set()
        if helper is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await helper
        await deps.redis.delete(worker.health_check_key)
    return BurstRun(worker.jobs_complete, worker.jobs_failed, worker.jobs_retried, deferrals)
