"""Fixed-window counters in Redis: limits shared by every API process, immune to aliasing and batching."""

from __future__ import annotations

from redis.asyncio import Redis


async def hit(redis: Redis, key: str, limit: int, window_s: int) -> bool:
    """Count one event; True while the window's count stays within `limit`."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(f"rl:{key}", 0, ex=window_s, nx=True)  # starts the window (works on Redis 6.2, no EXPIRE NX)
        pipe.incr(f"rl:{key}")
        _, count = await pipe.execute()
    return int(count) <= limit


_UNDO_SCRIPT = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0"


async def undo(redis: Redis, key: str) -> None:
    """Take back one event of a window (the counted action did not happen); an expired window stays gone."""
    await redis.eval(_UNDO_SCRIPT, 1, f"rl:{key}")  # type: ignore[misc]


async def count(redis: Redis, key: str) -> int:
    """Current count of a window (0 when none)."""
    value = await redis.get(f"rl:{key}")
    return int(value or 0)


async def seconds_left(redis: Redis, redis_key: str) -> int:
    """Seconds (rounded up, at least 1) until a Redis key expires: the wait behind a limit just found in force."""
    left_ms = int(await redis.pttl(redis_key))
    return max(1, -(-left_ms // 1000))


async def retry_after(redis: Redis, key: str) -> int:
    """Seconds until a window's count starts over."""
    return await seconds_left(redis, f"rl:{key}")
