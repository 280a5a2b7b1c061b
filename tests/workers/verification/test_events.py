"""Progress events: a transition is published once on the person's channel."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from db.models import ProviderNotice
from domain.kernel import events
from domain.kernel.settings import get_settings
from domain.verification.providers.sandbox import build_notice
from tests.helpers import Api
from tests.verification_helpers import pending_attempt, post_notice, press
from tests.workers.burst import run_burst
from tests.workers.verification.helpers import drain


async def test_a_transition_is_published_on_the_persons_channel(api: Api, app: Any, redis: Redis) -> None:
    attempt, certify_id = await pending_attempt(api)
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(person_id), events.person_channel(person_id + 1))
    try:
        assert events.person_channel(person_id) == f"{get_settings().events_channel_prefix}:person:{person_id}"
        await press(api, certify_id, "pass")
        await run_burst(app)
        received = [m async for m in drain(pubsub)]
        # A replay later publishes nothing more: no transition, no event.
        [notice] = await ProviderNotice.filter(valid=True)
        await post_notice(api, build_notice(certify_id, False))
        await run_burst(app)
        assert notice.notify_id
        received += [m async for m in drain(pubsub)]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]

    assert received == [
        (
            events.person_channel(person_id),
            {"type": "verification", "attemptId": attempt.id, "status": "PASSED"},
        )
    ]
