"""Who may see what (IDOR rules), used by node(id:), nodes(ids:), every loader and the file route.

A person sees their own data. Staff see a person only through a case in their scope: provincial staff the people
whose on-site case they opened (a `StaffCaseAccess` grant, STAFF_CASE_ACCESS_S long); reviewers (enterprise,
specialty ministry, ministry) the people with an open filing in their review scope; administrators audit trails only.

Review scopes (`application_in_scope`): an enterprise sees the filings naming it, a specialty ministry the filings
touching its specialties, the ministry and administrators every filing, provincial staff none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from tortoise.models import Model

from db.models import Application, ApplicationKind, StaffCaseAccess, StaffRole
from domain.kernel import clock
from domain.kernel.actors import Actor
from domain.kernel.settings import get_settings

# Staff whose cases open a person's data to them (on-site verification).
CASE_ROLES = (StaffRole.PROVINCE,)
# Staff who see every filing; and reviewers, who see the people of the open filings in their scope (their images too).
ALL_FILINGS_ROLES = (StaffRole.MINISTRY, StaffRole.ADMIN)
REVIEWER_ROLES = (StaffRole.ENTERPRISE, StaffRole.SPECIALTY_MINISTRY, StaffRole.MINISTRY)


# The kinds that grant or extend a specialty: the only ones a specialty ministry reviews (and so sees). A change of
# employer, a replacement, a personal-info change and a cancellation carry the registration's specialties too, but
# change none of them: no specialty ministry reads them or their applicant.
SPECIALTY_REVIEWED_KINDS = (
    ApplicationKind.INITIAL,
    ApplicationKind.REREGISTRATION,
    ApplicationKind.ADD_SPECIALTY,
    ApplicationKind.RENEWAL,
)


def _scope_holds(
    actor: Actor, person_id: int, enterprise_id: int | None, specialty_codes: Iterable[str], kind: object
) -> bool:
    if actor.is_person:
        return person_id == actor.id
    if actor.has_role(*ALL_FILINGS_ROLES):
        return True
    if actor.has_role(StaffRole.ENTERPRISE):
        return actor.enterprise_id is not None and enterprise_id == actor.enterprise_id
    if actor.has_role(StaffRole.SPECIALTY_MINISTRY):
        reviewed = ApplicationKind(getattr(kind, "value", kind)) in SPECIALTY_REVIEWED_KINDS
        return reviewed and bool(set(specialty_codes or ()) & set(actor.specialty_codes))
    return False


def application_in_scope(actor: Actor | None, application: Application) -> bool:
    """Whether the actor may see this filing: its applicant; an enterprise the filings naming it; a specialty
    ministry the filings touching its specialties; the ministry and administrators all; provincial staff none."""
    if actor is None:
        return False
    person_id: int = application.person_id  # type: ignore[attr-defined]
    enterprise_id: int | None = application.enterprise_id  # type: ignore[attr-defined]
    return _scope_holds(actor, person_id, enterprise_id, application.specialty_codes or (), application.kind)


async def _people_with_open_filings_in_scope(actor: Actor, person_ids: list[int]) -> set[int]:
    rows = await Application.filter(person_id__in=person_ids, open_key__isnull=False).values(
        "person_id", "enterprise_id", "specialty_codes", "kind"
    )
    return {
        int(row["person_id"])
        for row in rows
        if _scope_holds(actor, int(row["person_id"]), row["enterprise_id"], row["specialty_codes"] or (), row["kind"])
    }


async def people_visible_to(actor: Actor | None, person_ids: Iterable[int]) -> set[int]:
    """The people among these whose profile, attachments and verifications the actor may read."""
    wanted = set(person_ids)
    if actor is None or not wanted:
        return set()
    if actor.is_person:
        return wanted & {actor.id}
    if actor.has_role(*REVIEWER_ROLES):
        return await _people_with_open_filings_in_scope(actor, sorted(wanted))
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
