"""Who may see what (IDOR rules), used by node(id:), nodes(ids:), every loader and the file route.

A person sees their own data. Staff see a person only through a case in their scope: provincial staff the people
whose on-site case they opened (a `StaffCaseAccess` grant, STAFF_CASE_ACCESS_S long); ministry and specialty-ministry
reviewers nobody yet (their review queue comes later); enterprises nobody; administrators audit trails only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from tortoise.models import Model

from db.models import StaffCaseAccess, StaffRole
from domain.kernel import clock
from domain.kernel.actors import Actor
from domain.kernel.settings import get_settings

# Staff whose cases open a person's data to them (on-site verification); other roles get their queues later.
CASE_ROLES = (StaffRole.PROVINCE,)


async def people_visible_to(actor: Actor | None, person_ids: Iterable[int]) -> set[int]:
    """The people among these whose profile, attachments and verifications the actor may read."""
    wanted = set(person_ids)
    if actor is None or not wanted:
        return set()
    if actor.is_person:
        return wanted & {actor.id}
    if not actor.has_role(*CASE_ROLES):
        return set()
    granted = await StaffCaseAccess.filter(
        staff_id=actor.id, person_id__in=sorted(wanted), expires_at__gt=clock.now()
    ).values_list("person_id", flat=True)
    return {int(person_id) for person_id in granted}  # type: ignore[call-overload]


async def grant_case_access(staff: Actor, person_id: int) -> StaffCaseAccess:
    """Record that a staff user opened this person's case (inside the step that writes the trail entry)."""
    now = clock.now()
    expires = now + timedelta(seconds=get_settings().staff_case_access_s)
    return await StaffCaseAccess.create(staff_id=staff.id, person_id=person_id, opened_at=now, expires_at=expires)


def can_view_trail(actor: Actor | None, person_id: int) -> bool:
    """The trail is the person's own record; administrators may audit it."""
    if actor is None:
        return False
    return actor.id == person_id if actor.is_person else actor.has_role(StaffRole.ADMIN)


async def trails_visible_to(actor: Actor | None, person_ids: Iterable[int]) -> set[int]:
    """`can_view_trail` over many people."""
    return {person_id for person_id in set(person_ids) if can_view_trail(actor, person_id)}


OwnedRow = TypeVar("OwnedRow", bound=Model)
Rule = Callable[[Actor | None, Iterable[int]], Awaitable[set[int]]]


async def rows_visible_to(
    actor: Actor | None,
    model: type[OwnedRow],
    ids: Iterable[int],
    allowed: Rule,
    owner_column: str = "person_id",
) -> dict[int, OwnedRow]:
    """The rows with these ids that the actor may see (by the owner's person id in `owner_column`), keyed by id:
    what `node(id:)` answers; a row that is missing and one that is not the caller's look the same (IDOR)."""
    wanted = sorted(set(ids))
    if not wanted or actor is None:
        return {}
    rows = await model.filter(id__in=wanted)
    visible = await allowed(actor, {int(getattr(row, owner_column)) for row in rows})
    return {row.pk: row for row in rows if int(getattr(row, owner_column)) in visible}
