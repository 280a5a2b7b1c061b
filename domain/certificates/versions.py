"""Certificate versions: every issue is a new row with what it says (the snapshot); the previous one stops being
current (current_key NULL) with the time and reason it was superseded."""

from __future__ import annotations

from enum import Enum
from typing import Any

from db.models import (
    Application,
    Attachment,
    AttachmentKind,
    Certificate,
    Enterprise,
    Person,
    RegisteredSpecialty,
    Registration,
)
from domain import filings
from domain.certificates.numbering import with_check
from domain.kernel import clock

ISSUER = "中华人民共和国住房和城乡建设部"


class SupersededReason(str, Enum):
    """Why a version stopped being current."""

    REPLACED = "REPLACED"  # 证书更换
    CHANGED = "CHANGED"  # what it says changed: employer, specialties, expiry, name or ID number
    CANCELLED = "CANCELLED"  # the registration was cancelled (or ended) without a new certificate
    LAPSED = "LAPSED"  # the registration lapsed


async def _current_attachment_ids(person_id: int) -> dict[AttachmentKind, int]:
    """The ids of the person's current photo and signature (one query; the newest if ever two)."""
    rows = await Attachment.filter(
        person_id=person_id, kind__in=(AttachmentKind.PHOTO, AttachmentKind.SIGNATURE), current=True
    ).order_by("id")
    return {AttachmentKind(row.kind): row.id for row in rows}


async def snapshot_of(registration: Registration) -> dict[str, Any]:
    """What the certificate says, as issued now (the keys the renderer reads, fixed in notes/contracts.md)."""
    person = await Person.get(id=registration.person_id)  # type: ignore[attr-defined]
    enterprise = await Enterprise.get(id=registration.enterprise_id)  # type: ignore[attr-defined]
    held = await RegisteredSpecialty.filter(registration_id=registration.id, active=True).order_by("specialty_code")
    attachments = await _current_attachment_ids(person.id)
    specialties = []
    for row in held:
        found = filings.specialty(row.specialty_code)
        name = found.name if found is not None else row.specialty_code
        specialties.append({"code": row.specialty_code, "name": name, "expires_on": row.expires_on.isoformat()})
    return {
        "name": person.real_name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "id_number_masked": person.id_number_masked,
        "number_with_check": with_check(registration.number, registration.seal_check),
        "enterprise_name": enterprise.name,
        "enterprise_id": enterprise.id,
        "province_code": enterprise.province_code,
        "specialties": specialties,
        "temporary": registration.temporary,
        "issuer": ISSUER,
        "issued_on": clock.business_date().isoformat(),
        "photo_attachment_id": attachments.get(AttachmentKind.PHOTO),
        "signature_attachment_id": attachments.get(AttachmentKind.SIGNATURE),
    }


async def supersede_current(registration_id: int, reason: SupersededReason) -> Certificate | None:
    """The registration's current version stops being current; returns it (None when there was none)."""
    current = await Certificate.get_or_none(current_key=registration_id)
    if current is None:
        return None
    now = clock.now()
    updated = await Certificate.filter(id=current.id, current_key=registration_id).update(
        current_key=None, superseded_at=now, superseded_reason=reason.value
    )
    if updated != 1:
        return None  # not reachable inside the effect's unit of work (the registration row is written first)
    current.current_key, current.superseded_at, current.superseded_reason = None, now, reason.value
    return current


async def issue(registration: Registration, application: Application) -> Certificate:
    """A new current version of the registration's certificate with its seal check code (supersede the previous
    one first: one current version per registration is a unique index)."""
    return await Certificate.create(
        registration_id=registration.id,
        person_id=registration.person_id,  # type: ignore[attr-defined]
        application_id=application.id,
        number=registration.number,
        seal_check=registration.seal_check,
        current_key=registration.id,
        reason=application.kind.value,
        issued_at=clock.now(),
        issued_on=clock.business_date(),
        snapshot=await snapshot_of(registration),
    )
