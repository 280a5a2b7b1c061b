"""Reading accounts for display: a person or staff user by id, and what `node(id:)` may show to whom."""

from __future__ import annotations

from collections.abc import Iterable

from db.models import Attachment, Person, StaffUser
from domain.kernel import access
from domain.kernel.actors import Actor


async def find_person(person_id: int) -> Person | None:
    """The person with this id (the viewer's own row)."""
    return await Person.get_or_none(id=person_id)


async def find_staff(staff_id: int) -> StaffUser | None:
    """The staff user with this id."""
    return await StaffUser.get_or_none(id=staff_id)


async def people_visible_to(actor: Actor | None, ids: Iterable[int]) -> dict[int, Person]:
    """People the actor may see: themselves, or any for reviewing staff."""
    return await access.rows_visible_to(actor, Person, ids, access.can_view_person, owner_column="id")


async def attachments_visible_to(actor: Actor | None, ids: Iterable[int]) -> dict[int, Attachment]:
    """Attachments of the people the actor may see."""
    return await access.rows_visible_to(actor, Attachment, ids, access.can_view_person)
