"""公告 as anyone reads them (they are public): the announcements newest first, one by id, and the filings each
lists, in keyset pages. An entry shows only what an announcement prints, personal data masked (PIPL): the name, the
masked ID number, the registration number once issued, the employer, the kind and the specialties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.models import Announcement, Application, ApplicationKind, Certificate, Enterprise, Person, Registration

NEW_NUMBER_KINDS = (ApplicationKind.INITIAL, ApplicationKind.REREGISTRATION)


@dataclass(frozen=True)
class AnnouncementEntry:
    """One filing as an announcement lists it."""

    application_id: int
    name: str
    id_number_masked: str
    registration_number: str | None
    enterprise_name: str | None
    kind: ApplicationKind
    specialty_codes: list[str]
    temporary: bool


async def page(first: int, before_id: int | None) -> tuple[list[Announcement], bool]:
    """Up to `first` announcements newest first (ids grow with publication), after the cursor; and whether more."""
    query = Announcement.all()
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(first + 1)
    return rows[:first], len(rows) > first


async def count() -> int:
    """How many announcements there are (only when a client asks for totalCount)."""
    return await Announcement.all().count()


async def by_ids(ids: Iterable[int]) -> dict[int, Announcement]:
    """For node(id:) and announcement(id:): the announcements among these ids (public)."""
    wanted = sorted(set(ids))
    return {row.id: row for row in await Announcement.filter(id__in=wanted)} if wanted else {}


async def entries_page(announcement_id: int, first: int, after_id: int | None) -> tuple[list[AnnouncementEntry], bool]:
    """Up to `first` entries of an announcement in filing order, after the cursor, in five queries; and whether
    more."""
    query = Application.filter(announcement_id=announcement_id)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    rows = await query.order_by("id").limit(first + 1)
    entries = await _entries(rows[:first])
    return entries, len(rows) > first


async def _entries(rows: list[Application]) -> list[AnnouncementEntry]:
    if not rows:
        return []
    person_ids = [_person_id(row) for row in rows]
    people = {p.id: p for p in await Person.filter(id__in=person_ids)}
    registrations = {_person_id(r): r for r in await Registration.filter(person_id__in=person_ids)}
    issued = await Certificate.filter(application_id__in=[row.id for row in rows])
    numbers: dict[int, str] = {c.application_id: c.number for c in issued}  # type: ignore[attr-defined]
    wanted = {_enterprise_id(row, registrations.get(_person_id(row))) for row in rows} - {None}
    enterprises = {e.id: e.name for e in await Enterprise.filter(id__in=list(wanted))} if wanted else {}
    return [
        _entry(row, people[_person_id(row)], registrations.get(_person_id(row)), numbers, enterprises) for row in rows
    ]


def _person_id(row: Application | Registration) -> int:
    person_id: int = row.person_id  # type: ignore[union-attr]
    return person_id


def _enterprise_id(row: Application, registration: Registration | None) -> int | None:
    """The filing's employer, else (kinds filed without one) the registration's."""
    own: int | None = row.enterprise_id  # type: ignore[attr-defined]
    if own is None and registration is not None:
        own = registration.enterprise_id  # type: ignore[attr-defined]
    return own


def _entry(
    row: Application,
    person: Person,
    registration: Registration | None,
    numbers: dict[int, str],
    enterprises: dict[int, str],
) -> AnnouncementEntry:
    enterprise_id = _enterprise_id(row, registration)
    number = numbers.get(row.id)
    if number is None and registration is not None and row.kind not in NEW_NUMBER_KINDS:
        number = registration.number  # the number held (a new one comes with the certificate these kinds issue)
    return AnnouncementEntry(
        application_id=row.id,
        name=person.real_name,
        id_number_masked=person.id_number_masked,
        registration_number=number,
        enterprise_name=enterprises.get(enterprise_id) if enterprise_id is not None else None,
        kind=row.kind,
        specialty_codes=list(row.specialty_codes or []),
        temporary=row.temporary,
    )
