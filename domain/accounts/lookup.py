"""Reading accounts for display: a person or staff user by id, and what `node(id:)` may show to whom (the rule is
`domain.kernel.access`); every staff read of a person's data goes to that person's trail, once per request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from db.models import Attachment, Person, StaffUser
from domain.kernel import access
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.trail import TrailAction, business_step

STAFF_READ = "工作人员查阅个人信息"


async def find_person(person_id: int) -> Person | None:
    """The person with this id (the viewer's own row)."""
    return await Person.get_or_none(id=person_id)


async def find_staff(staff_id: int) -> StaffUser | None:
    """The staff user with this id."""
    return await StaffUser.get_or_none(id=staff_id)


@dataclass
class Reader:
    """Who reads in one request (one per request): the actor, the request's meta, and the people whose staff read
    this request has already written to their trail."""

    deps: Deps
    actor: Actor | None
    meta: RequestMeta
    noted: set[int] = field(default_factory=set)


async def note_staff_reads(reader: Reader, person_ids: Iterable[int]) -> None:
    """One trail entry per person per request when staff read their data (the person's own reads are not noted)."""
    actor = reader.actor
    if actor is None or actor.is_person:
        return
    fresh = sorted(set(person_ids) - reader.noted)
    if not fresh:
        return
    reader.noted.update(fresh)  # before the await: a concurrent resolver of the same request skips them
    async with business_step(reader.deps, reader.meta) as step:
        for person_id in fresh:
            await step.trail(person_id, TrailAction.PERSON_VIEWED_BY_STAFF, STAFF_READ, actor=f"工作人员 {actor.label}")


async def visible_rows(
    reader: Reader, model: type[access.OwnedRow], ids: Iterable[int], owner_column: str = "person_id"
) -> dict[int, access.OwnedRow]:
    """The rows the reader may see (`access.people_visible_to` on their owners), a staff read noted on the trail."""
    rows = await access.rows_visible_to(reader.actor, model, ids, access.people_visible_to, owner_column)
    await note_staff_reads(reader, (int(getattr(row, owner_column)) for row in rows.values()))
    return rows


async def people_visible_to(reader: Reader, ids: Iterable[int]) -> dict[int, Person]:
    """People the reader may see: themselves, or those of a staff user's open cases."""
    return await visible_rows(reader, Person, ids, owner_column="id")


async def attachments_visible_to(reader: Reader, ids: Iterable[int]) -> dict[int, Attachment]:
    """Attachments of the people the reader may see."""
    return await visible_rows(reader, Attachment, ids)
