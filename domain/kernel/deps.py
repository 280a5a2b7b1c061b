"""The long-lived clients every business step receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis


class JobQueue(Protocol):
    """Hands an outbox message to the background workers (arq in production)."""

    async def enqueue(self, job_name: str, job_id: str) -> bool:
        """Queue the job; False when a job with that id is already queued or kept."""


@dataclass(frozen=True)
class Deps:
    """Long-lived clients, created once per process."""

    redis: Redis
    queue: JobQueue
