"""Who may see what (IDOR rules), used by every loader and by node(id:)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from tortoise.models import Model

from db.models import StaffRole
from domain.kernel.actors import Actor

# Staff who review identity or filings; enterprises see only their employees' filings (later issues).
REVIEWING_ROLES = (StaffRole.ADMIN, StaffRole.PROVINCE, StaffRole.MINISTRY, StaffRole.SPECIALTY_MINISTRY)


def can_view_person(actor: Actor | None, person_id: int) -> bool:
    """The person themselves, or reviewing staff."""
    if actor is None:
        return False
    if actor.is_person:
        return actor.id == person_id
    return actor.has_role(*REVIEWING_ROLES)


def can_view_trail(actor: Actor | None, person_id: int) -> bool:
    """The trail is the person's own record; administrators may audit it."""
    if actor is None:
        return False
    return actor.id == person_id if actor.is_person else actor.has_role(StaffRole.ADMIN)


OwnedRow = TypeVar("OwnedRow", bound=Model)


async def rows_visible_to(
    actor: Actor | None,
    model: type[OwnedRow],
    ids: Iterable[int],
    allowed: Callable[[Actor | None, int], bool],
    owner_column: str = "person_id",
) -> dict[int, OwnedRow]:
    """The rows with these ids that the actor may see (by the owner's person id in `owner_column`), keyed by id:
    what `node(id:)` answers; a row that is missing and one that is not the caller's look the same (IDOR)."""
    wanted = sorted(set(ids))
    if not wanted or actor is None:
        return {}
    rows = await model.filter(id__in=wanted)
    return {row.pk: row for row in rows if allowed(actor, int(getattr(row, owner_column)))}
