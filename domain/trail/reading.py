"""Reading the trail: pages newest first (keyset on seq), the total, and entries by id for `node(id:)`."""

from __future__ import annotations

from collections.abc import Iterable

from db.models import TrailEntry
from domain.kernel import access
from domain.kernel.actors import Actor


async def page(person_id: int, first: int, before_seq: int | None) -> tuple[list[TrailEntry], bool]:
    """Newest first, keyset on seq (the unique (person_id, seq) index serves it): `first` entries before
    `before_seq`, and whether more remain."""
    query = TrailEntry.filter(person_id=person_id)
    if before_seq is not None:
        query = query.filter(seq__lt=before_seq)
    rows = await query.order_by("-seq").limit(first + 1)
    return rows[:first], len(rows) > first


async def count(person_id: int) -> int:
    """How many entries a person's trail has (a scan; the chain head `trail_head_seq` says it for free)."""
    return await TrailEntry.filter(person_id=person_id).count()


async def entries_visible_to(actor: Actor | None, ids: Iterable[int]) -> dict[int, TrailEntry]:
    """Entries of the trails the actor may see (the person's own; administrators audit)."""
    return await access.rows_visible_to(actor, TrailEntry, ids, access.trails_visible_to)


def may_view(actor: Actor | None, person_id: int) -> bool:
    """Whether the actor may read this person's trail."""
    return access.can_view_trail(actor, person_id)
