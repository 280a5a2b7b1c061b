"""Shared reads of the verification worker tests: outcome transitions on the trail, notice jobs in the outbox,
events published on a person's channel."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from db.models import OutboxMessage, TrailEntry
from domain.kernel.jobs import Job as PortalJob


async def transitions(person_id: int) -> list[str]:
    """The person's outcome entries in the trail (one per transition)."""
    outcomes = ("VERIFICATION_PASSED", "VERIFICATION_FAILED", "VERIFICATION_EXPIRED")
    rows = await TrailEntry.filter(person_id=person_id, action__in=outcomes).order_by("seq")
    return [row.action for row in rows]


async def process_messages() -> list[OutboxMessage]:
    return await OutboxMessage.filter(job_name=PortalJob.PROCESS_VERIFICATION_NOTICE.value).order_by("created_at")


async def drain(pubsub: Any, quiet_s: float = 0.5) -> Any:
    """Published messages until none arrived for `quiet_s` (subscribe confirmations skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + quiet_s
    while loop.time() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
        if message is not None:
            deadline = loop.time() + quiet_s
            yield message["channel"].decode(), json.loads(message["data"])
