"""The unit of work: what a step records goes out only after its commit; a failed step sends nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from arq.connections import ArqRedis
from arq.constants import default_queue_name

from db.models import OutboxMessage
from domain.kernel import events
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job
from domain.kernel.unit_of_work import unit_of_work


class StepFailed(Exception):
    """Raised inside a step body to roll it back."""


async def published(pubsub: Any) -> list[dict[str, Any]]:
    """Every message on the subscribed channels before the sentinel (published last, so it arrives last; an
    ignored subscribe confirmation reads as None)."""
    seen: list[dict[str, Any]] = []
    for _ in range(100):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
        if message is None:
            continue
        body = json.loads(message["data"])
        if body == {"sentinel": True}:
            return seen
        seen.append(body)
    raise AssertionError("the sentinel never arrived")


async def test_jobs_and_events_go_out_after_the_commit(app: Any) -> None:
    deps: Deps = app.state.deps
    pubsub = deps.redis.pubsub()
    await pubsub.subscribe(events.person_channel(7))
    try:
        async with unit_of_work(deps) as work:
            message = await work.enqueue(Job.SEND_SMS, {"mobile": "13800138000", "text": "x"})
            work.publish(7, {"n": 1})
            work.publish(7, {"n": 0}, ahead=True)
            # Inside the step nothing is queued yet.
            assert await deps.redis.zcard(default_queue_name) == 0
        await events.publish(deps.redis, 7, {"sentinel": True})
        assert await published(pubsub) == [{"n": 0}, {"n": 1}]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    row = await OutboxMessage.get(id=message.id)
    assert row.job_name == "send_sms" and row.enqueued_at is not None
    pool: ArqRedis = deps.redis  # type: ignore[assignment]
    assert await pool.zscore(default_queue_name, str(message.id)) is not None


async def test_a_failed_step_writes_and_sends_nothing(app: Any) -> None:
    deps: Deps = app.state.deps
    pubsub = deps.redis.pubsub()
    await pubsub.subscribe(events.person_channel(8))
    try:
        with pytest.raises(StepFailed):
            async with unit_of_work(deps) as work:
                await work.enqueue(Job.SEND_SMS, {"mobile": "13800138000", "text": "x"})
                work.publish(8, {"n": 1})
                raise StepFailed
        await events.publish(deps.redis, 8, {"sentinel": True})
        assert await published(pubsub) == []
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    assert await OutboxMessage.all().count() == 0
    assert await deps.redis.zcard(default_queue_name) == 0


async def test_events_published_ahead_keep_their_own_order(app: Any) -> None:
    deps: Deps = app.state.deps
    pubsub = deps.redis.pubsub()
    await pubsub.subscribe(events.person_channel(9))
    try:
        async with unit_of_work(deps) as work:
            work.publish(9, {"n": "outcome"})
            work.publish(9, {"n": "side 1"}, ahead=True)
            work.publish(9, {"n": "side 2"}, ahead=True)
        await events.publish(deps.redis, 9, {"sentinel": True})
        assert await published(pubsub) == [{"n": "side 1"}, {"n": "side 2"}, {"n": "outcome"}]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
