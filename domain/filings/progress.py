"""进度查询: a person's filings newest first (keyset pages, the two menus as the `temporary` filter), their steps in
one query per page (a DataLoader batch), one filing by id. The owner sees their own; staff get theirs through the
review scope (`access.application_in_scope`: an enterprise its own employees' filings, a specialty ministry the
filings touching its specialties, the ministry all) through node(id:), never through a person's list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.models import Application, ApplicationKind, ApplicationStatus, ApplicationStep
from domain.kernel import access
from domain.kernel.actors import Actor


@dataclass(frozen=True)
class ApplicationFilter:
    """The progress query's filters; None = any."""

    kind: ApplicationKind | None = None
    status: ApplicationStatus | None = None
    temporary: bool | None = None


def may_view(actor: Actor | None, person_id: int) -> bool:
    """A person's filings are theirs to see (staff: through their review queue, later)."""
    return actor is not None and actor.is_person and actor.id == person_id


def _query(person_id: int, wanted: ApplicationFilter) -> object:
    query = Application.filter(person_id=person_id)
    if wanted.kind is not None:
        query = query.filter(kind=wanted.kind)
    if wanted.status is not None:
        query = query.filter(status=wanted.status)
    if wanted.temporary is not None:
        query = query.filter(temporary=wanted.temporary)
    return query


async def page(
    person_id: int, wanted: ApplicationFilter, first: int, before_id: int | None
) -> tuple[list[Application], bool]:
    """Up to `first` filings newest first (ids grow with submission time), after the cursor; and whether more."""
    query = _query(person_id, wanted)
    if before_id is not None:
        query = query.filter(id__lt=before_id)  # type: ignore[attr-defined]
    rows: list[Application] = await query.order_by("-id").limit(first + 1)  # type: ignore[attr-defined]
    return rows[:first], len(rows) > first


async def count(person_id: int, wanted: ApplicationFilter) -> int:
    """How many filings match (only when a client asks for totalCount)."""
    total: int = await _query(person_id, wanted).count()  # type: ignore[attr-defined]
    return total


async def applications_visible_to(actor: Actor | None, ids: Iterable[int]) -> dict[int, Application]:
    """For node(id:): the filings among these ids that the actor may see (their own; staff: their review scope).
    One that is missing and one outside the scope look the same."""
    wanted = sorted(set(ids))
    if actor is None or not wanted:
        return {}
    if actor.is_person:
        return {row.id: row for row in await Application.filter(id__in=wanted, person_id=actor.id)}
    rows = await Application.filter(id__in=wanted)
    return {row.id: row for row in rows if access.application_in_scope(actor, row)}


async def steps_of(application_ids: Iterable[int]) -> dict[int, list[ApplicationStep]]:
    """The steps of each filing in order, in one query (callers pass only filings the actor may see)."""
    wanted = sorted(set(application_ids))
    found: dict[int, list[ApplicationStep]] = {key: [] for key in wanted}
    if wanted:
        for row in await ApplicationStep.filter(application_id__in=wanted).order_by("application_id", "seq"):
            found[row.application_id].append(row)  # type: ignore[attr-defined]
    return found


async def step_for_owner(actor: Actor | None, application_id: int, seq: int) -> ApplicationStep | None:
    """One step of one of the actor's own filings (what a subscriber reloads on an `application.step` event)."""
    if actor is None or not actor.is_person:
        return None
    return await ApplicationStep.get_or_none(application_id=application_id, seq=seq, application__person_id=actor.id)
