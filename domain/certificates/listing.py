"""我的证书: a holder's certificates (owner only: nobody else, staff included, sees them here), current first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from db.models import Certificate
from domain.certificates.downloads import usable_until
from domain.kernel import clock
from domain.kernel.actors import Actor


async def certificates_of(actor: Actor | None, person_id: int) -> list[Certificate]:
    """The person's certificates, the current one first, then the older versions newest first."""
    if actor is None or not actor.is_person or actor.id != person_id:
        return []
    rows = await Certificate.filter(person_id=person_id).order_by("-issued_at", "-id")
    return sorted(rows, key=lambda row: row.current_key is None)


async def certificates_visible_to(actor: Actor | None, certificate_ids: Iterable[int]) -> dict[int, Certificate]:
    """Those of the ids that are the actor's own certificates, by id (node(id:))."""
    wanted = sorted(set(certificate_ids))
    if actor is None or not actor.is_person or not wanted:
        return {}
    return {row.id: row for row in await Certificate.filter(id__in=wanted, person_id=actor.id)}


def usable_until_today(certificate: Certificate) -> date | None:
    """Until when a download made today would be usable; None for a version that is no longer current."""
    if certificate.current_key is None:
        return None
    today = clock.business_date()
    until = usable_until(certificate.snapshot, today)
    return until if until >= today else None
