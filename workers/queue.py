"""The one place that talks to arq's pool for enqueueing, and the Redis URL from settings (graph/app.py, the
worker and manage.py use it: the composition roots)."""

from __future__ import annotations

from arq.connections import ArqRedis

from db.redis import embedded_redis_url
from domain.kernel.settings import get_settings


def redis_url() -> str:
    """REDIS_URL, or this process's embedded server under var/redis (started on first use)."""
    settings = get_settings()
    return settings.redis_url or embedded_redis_url(settings.var_dir / "redis")


def connect_pool(url: str | None = None) -> ArqRedis:
    """An ArqRedis client (a redis.asyncio.Redis) on the configured Redis."""
    pool: ArqRedis = ArqRedis.from_url(url or redis_url())
    return pool


class ArqQueue:
    """domain.kernel.deps.JobQueue over arq: the outbox id is the arq job id, so duplicates collapse."""

    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool

    async def enqueue(self, job_name: str, job_id: str) -> bool:
        """Queue `job_name(job_id)`; False when arq already has that job id queued or finished."""
        job = await self.pool.enqueue_job(job_name, job_id, _job_id=job_id)
        return job is not None
