"""The business step: the kernel's unit of work plus the person's trail entries, all in one transaction."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from db.models import TrailEntry
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.unit_of_work import UnitOfWork, committed
from domain.trail.actions import TrailAction
from domain.trail.chain import append


@dataclass(kw_only=True)
class BusinessStep(UnitOfWork):
    """A unit of work that also writes trail entries, with the request's meta."""

    meta: RequestMeta

    async def trail(self, person_id: int, action: TrailAction, description: str, actor: str = "本人") -> TrailEntry:
        """Append to the person's trail inside the step's transaction."""
        return await append(person_id, action, description, self.meta, actor)


def business_step(deps: Deps, meta: RequestMeta) -> AbstractAsyncContextManager[BusinessStep]:
    """`async with business_step(deps, meta) as step:` opens the transaction; `step.trail`, `step.enqueue` and
    `step.publish` are recorded; the jobs are dispatched and the events published after the commit."""
    return committed(BusinessStep(deps=deps, meta=meta))
