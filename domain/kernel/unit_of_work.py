"""One unit of work per business step: a transaction with the outbox jobs and events it records. The jobs are
handed to the queue and the events published only after the commit, so nothing is announced that did not happen,
and nothing committed is lost (the outbox relay re-sends what the hand-off missed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tortoise.transactions import in_transaction

from db.models import OutboxMessage
from domain.kernel import events, outbox
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job


@dataclass(kw_only=True)
class UnitOfWork:
    """What a business step records inside its transaction, for after the commit."""

    deps: Deps
    messages: list[OutboxMessage] = field(default_factory=list)
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    events_ahead: int = 0  # how many events were published `ahead` (they keep their own order)

    async def enqueue(self, job: Job, payload: dict[str, Any]) -> OutboxMessage:
        """An outbox row, committed with the step; queued for the workers after the commit."""
        message = await outbox.add(job.value, payload)
        self.messages.append(message)
        return message

    def publish(self, person_id: int, event: dict[str, Any], ahead: bool = False) -> None:
        """An event for the person's clients, published after the commit (best effort); `ahead` puts a side effect
        before the step's other events, so a client's last word is the step's own outcome."""
        if ahead:
            self.events.insert(self.events_ahead, (person_id, event))
            self.events_ahead += 1
        else:
            self.events.append((person_id, event))

    async def after_commit(self) -> None:
        """Hand the jobs to the queue, then publish the events."""
        await outbox.dispatch(self.deps.queue, self.messages)
        for person_id, event in self.events:
            await events.publish(self.deps.redis, person_id, event)


Work = TypeVar("Work", bound=UnitOfWork)


@asynccontextmanager
async def committed(work: Work) -> AsyncIterator[Work]:
    """Run the body in one transaction; after the commit, the work's jobs and events go out. An exception rolls
    everything back and sends nothing."""
    async with in_transaction():
        yield work
    await work.after_commit()


def unit_of_work(deps: Deps) -> AbstractAsyncContextManager[UnitOfWork]:
    """`async with unit_of_work(deps) as work:` for steps that write no trail entry (see `domain.trail`'s
    `business_step` for those that do)."""
    return committed(UnitOfWork(deps=deps))
