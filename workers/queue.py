"""The one place that talks to arq's pool for enqueueing (graph/app.py and the worker both use it)."""

from __future__ import annotations

from arq.connections import ArqRedis

from db.redis import redis_url

MAX_TRIES = 5  # every job family; the last try records a visible failure


def connect_pool(url: str | None = None) -> ArqRedis:
    """An ArqRedis client (a redis.asyncio.Redis) on the configured Redis."""
    pool: ArqRedis = ArqRedis.from_url(url or redis_url())
    return pool


class ArqQueue:
    """domain.context.JobQueue over arq: the outbox id is the arq job id, so duplicates collapse."""

    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool

    async def enqueue(self, job_name: str, job_id: str) -> bool:
        """Queue `job_name(job_id)`; False when arq already has that job id queued or finished."""
        job = await self.pool.enqueue_job(job_name, job_id, _job_id=job_id)
        return job is not None
