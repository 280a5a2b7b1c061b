"""Transactional outbox: a job row written in the business transaction, handed to the queue after commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from tortoise.expressions import F, Q

from db.models import OutboxMessage
from domain.kernel import clock
from domain.kernel.deps import JobQueue

logger = logging.getLogger("portal.outbox")
RELAY_AFTER_S = 30
MAX_ERROR_LENGTH = 300


async def add(job_name: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record a job; call inside the business transaction so both commit or neither."""
    return await OutboxMessage.create(id=uuid.uuid4(), job_name=job_name, payload=payload, created_at=clock.now())


async def dispatch(queue: JobQueue, messages: Iterable[OutboxMessage]) -> None:
    """After commit: hand messages to the queue. A failure here is logged; the relay re-sends later."""
    for message in messages:
        try:
            await queue.enqueue(message.job_name, str(message.id))
        except Exception:  # the relay will retry; the business step already committed
            logger.warning("enqueue failed for outbox %s; the relay will re-send it", message.id, exc_info=True)
            continue
        await OutboxMessage.filter(id=message.id).update(enqueued_at=clock.now(), enqueue_count=F("enqueue_count") + 1)


async def relay(queue: JobQueue, batch_size: int = 200) -> int:
    """Re-send messages that are not done and were not enqueued recently; returns how many were sent."""
    cutoff = clock.now() - timedelta(seconds=RELAY_AFTER_S)
    # Only due rows enter the batch: recently enqueued ones (running, or deferred for a retry) would starve the rest.
    due = (
        await OutboxMessage.filter(
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff),
            done_at__isnull=True,
            failed_at__isnull=True,
            created_at__lt=cutoff,
        )
        .order_by("created_at")
        .limit(batch_size)
    )
    await dispatch(queue, due)
    return len(due)


async def claim(message_id: str) -> OutboxMessage | None:
    """The message a job should process, or None when it is unknown or already finished."""
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        return None
    return await OutboxMessage.get_or_none(id=key, done_at__isnull=True, failed_at__isnull=True)


async def mark_done(message: OutboxMessage, **payload_update: Any) -> bool:
    """Acknowledge; True only for the caller that finished it (conditional update)."""
    payload = {**message.payload, **payload_update}
    updated = await OutboxMessage.filter(id=message.id, done_at__isnull=True).update(
        done_at=clock.now(), payload=payload
    )
    return updated == 1


async def mark_failed(message: OutboxMessage, error: str) -> None:
    """Give up on a message after the job's last try; it stays visible to staff."""
    await OutboxMessage.filter(id=message.id, done_at__isnull=True).update(
        failed_at=clock.now(), last_error=error[:MAX_ERROR_LENGTH]
    )
