"""The per-process pub/sub listener: one Redis connection for every subscription, waiters woken by matching events
only, channels released after their last waiter, malformed events ignored, a broken connection recovered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from domain.kernel import events
from domain.kernel.event_hub import EventHub
from domain.kernel.live import of_type
from tests.live_client import WAIT_S

CHANNEL = "hub-test"


@pytest.fixture
async def hub(redis: Redis) -> AsyncIterator[EventHub]:
    listener = EventHub(redis)
    yield listener
    await listener.close()


async def subscribers(redis: Redis, channel: str) -> int:
    counts: list[Any] = await redis.pubsub_numsub(channel)
    return int(counts[0][1])


async def test_matching_events_wake_their_waiters_only(hub: EventHub, redis: Redis) -> None:
    async with (
        hub.listen(CHANNEL, of_type("verification")) as verification,
        hub.listen(CHANNEL, of_type("application.step", applicationId=7)) as step,
    ):
        assert hub.channels == 1 and await subscribers(redis, CHANNEL) == 1  # one connection, one SUBSCRIBE
        await redis.publish(CHANNEL, "not json")
        await redis.publish(CHANNEL, json.dumps(["not", "an", "object"]))
        await redis.publish(CHANNEL, json.dumps({"type": "application.step", "applicationId": 8, "seq": 1}))
        await redis.publish(CHANNEL, json.dumps({"type": "application.step", "applicationId": 7, "seq": 1}))
        assert await step.wait(WAIT_S) is True
        # Messages on one connection arrive in order: had any of the first three woken it, it would be set by now.
        assert await verification.wait(0) is False
        await events.publish(redis, 1, {"type": "verification"})  # another channel
        await redis.publish(CHANNEL, json.dumps({"type": "verification", "attemptId": 1, "status": "PASSED"}))
        assert await verification.wait(WAIT_S) is True
        assert await step.wait(0) is False
    assert hub.channels == 0 and await subscribers(redis, CHANNEL) == 0


async def test_a_broken_connection_is_recovered_and_everyone_woken(hub: EventHub, redis: Redis) -> None:
    async with hub.listen(CHANNEL, of_type("verification")) as waiter:
        await hub._pubsub.connection.disconnect()  # type: ignore[attr-defined]  # the network drops it
        assert await waiter.wait(WAIT_S) is True  # woken to re-read: messages in between were lost
        # The reader subscribes again on its own: an event published once it has reaches the waiter (published
        # until it does, at most WAIT_S: a hint sent twice is harmless).
        for _ in range(int(WAIT_S / 0.1)):
            await redis.publish(CHANNEL, json.dumps({"type": "verification"}))
            if await waiter.wait(0.1):
                break
        else:
            pytest.fail("no event reached the waiter after the reconnect")
        assert hub.channels == 1
