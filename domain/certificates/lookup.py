"""Reading certificates: a person's versions (newest first), the current one, one by id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import Certificate
from domain.certificates.numbering import with_check


@dataclass(frozen=True)
class CertificateVersion:
    """One issued version of a person's certificate; `current` until a later issue, a cancellation or a lapse."""

    id: int
    person_id: int
    registration_id: int
    application_id: int | None
    number: str
    seal_check: int
    reason: str  # the ApplicationKind that issued it
    issued_at: datetime
    issued_on: date
    snapshot: dict[str, Any]  # what it says (keys in notes/contracts.md)
    superseded_at: datetime | None
    superseded_reason: str | None  # REPLACED, CHANGED, CANCELLED, LAPSED
    current: bool  # current_key is set: not superseded

    @property
    def number_with_check(self) -> str:
        """The number with the seal check code: 京111050700001(02)."""
        return with_check(self.number, self.seal_check)


def version_of(row: Certificate) -> CertificateVersion:
    """The row as a plain value."""
    return CertificateVersion(
        id=row.id,
        person_id=row.person_id,  # type: ignore[attr-defined]
        registration_id=row.registration_id,  # type: ignore[attr-defined]
        application_id=row.application_id,  # type: ignore[attr-defined]
        number=row.number,
        seal_check=row.seal_check,
        reason=row.reason,
        issued_at=row.issued_at,
        issued_on=row.issued_on,
        snapshot=row.snapshot,
        superseded_at=row.superseded_at,
        superseded_reason=row.superseded_reason,
        current=row.current_key is not None,
    )


async def versions_of(person_id: int) -> list[CertificateVersion]:
    """Every version issued to the person, newest first."""
    rows = await Certificate.filter(person_id=person_id).order_by("-issued_at", "-id")
    return [version_of(row) for row in rows]


async def current_certificate(person_id: int) -> CertificateVersion | None:
    """The person's current version, if any."""
    row = await Certificate.filter(person_id=person_id, current_key__isnull=False).first()
    return version_of(row) if row is not None else None


async def certificate_by_id(certificate_id: int) -> CertificateVersion | None:
    """One version by its id (no access check: the caller decides who may see it)."""
    row = await Certificate.get_or_none(id=certificate_id)
    return version_of(row) if row is not None else None
