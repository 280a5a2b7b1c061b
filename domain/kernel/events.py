"""Progress events: published on Redis pub/sub after the state change commits (subscriptions, SPAs)."""

from __future__ import annotations

import json
import logging
from typing import Any

from redis.asyncio import Redis

from domain.kernel.settings import get_settings

logger = logging.getLogger("portal.events")


def person_channel(person_id: int) -> str:
    """The channel a person's client listens on."""
    return f"{get_settings().events_channel_prefix}:person:{person_id}"


async def publish(redis: Redis, person_id: int, event: dict[str, Any]) -> None:
    """Best effort: the database already holds the truth, an event only saves a client a poll."""
    try:
        await redis.publish(person_channel(person_id), json.dumps(event, ensure_ascii=False))
    except Exception:  # losing Redis loses no state
        logger.warning("could not publish event for person %s", person_id, exc_info=True)
