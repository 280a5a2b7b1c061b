"""Reading qualifications (资格): a person's own, matched by the keyed digest of their ID number (the record keeps
no ID number in clear), and what `node(id:)` may show to whom (the person, or staff with an open case)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from db.models import Person, Qualification
from domain import accounts

if TYPE_CHECKING:
    from domain.accounts import Reader


async def _digests_of(person_ids: Iterable[int]) -> dict[str, int]:
    """ID-number digest → person id, for these people."""
    rows = await Person.filter(id__in=sorted(set(person_ids))).values_list("id", "id_number_digest")
    return {str(digest): int(person_id) for person_id, digest in rows}


async def qualifications_for_people(person_ids: list[int]) -> dict[int, list[Qualification]]:
    """Each person's qualifications (by specialty code, then certificate), one query for all of them. Callers check
    access first (the loaders do, with `access.people_visible_to`)."""
    owners = await _digests_of(person_ids)
    found: dict[int, list[Qualification]] = {person_id: [] for person_id in person_ids}
    if not owners:
        return found
    rows = await Qualification.filter(id_number_digest__in=sorted(owners)).order_by(
        "specialty_code", "certificate_number", "id"
    )
    for row in rows:
        found[owners[row.id_number_digest]].append(row)
    return found


async def qualifications_visible_to(reader: Reader, ids: Iterable[int]) -> dict[int, Qualification]:
    """Qualifications whose person the reader may see (a staff read goes to that person's trail); a record that
    matches nobody registered is nobody's to see, and looks the same as a missing one."""
    wanted = sorted(set(ids))
    if not wanted or reader.actor is None:
        return {}
    rows = await Qualification.filter(id__in=wanted)
    digests = sorted({row.id_number_digest for row in rows})
    owner_rows = await Person.filter(id_number_digest__in=digests).values_list("id_number_digest", "id")
    owners = {str(digest): int(person_id) for digest, person_id in owner_rows}
    visible = await accounts.people_visible_to(reader, owners.values())
    return {row.id: row for row in rows if owners.get(row.id_number_digest) in visible}
