"""Certificates as the approval effects issue them (contracts.md snapshot keys), written directly for the tests of
the electronic certificate: a Registration through `filings.record_registration`, then Certificate rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db.models import Attachment, AttachmentKind, Certificate, Enterprise, Person, Registration
from domain import filings
from domain.kernel import clock
from tests.filing_helpers import make_enterprise

ISSUER = "中华人民共和国住房和城乡建设部"


def snapshot(
    person: Person, enterprise: Enterprise, registration: Registration, seal_check: int, specialties: dict[str, date]
) -> dict[str, Any]:
    """The facts printed on a certificate, as certs writes them."""
    return {
        "name": person.real_name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "id_number_masked": person.id_number_masked,
        "number_with_check": f"{registration.number}({seal_check:02d})",
        "enterprise_name": enterprise.name,
        "enterprise_id": enterprise.id,
        "province_code": enterprise.province_code,
        "specialties": [
            {"code": code, "name": _name(code), "expires_on": expires_on.isoformat()}
            for code, expires_on in sorted(specialties.items())
        ],
        "temporary": registration.temporary,
        "issuer": ISSUER,
        "issued_on": clock.business_date().isoformat(),
        "photo_attachment_id": None,
        "signature_attachment_id": None,
    }


def _name(code: str) -> str:
    known = filings.specialty(code)
    return known.name if known else code


async def issue_certificate(
    person: Person, specialties: dict[str, date] | None = None, enterprise: Enterprise | None = None
) -> Certificate:
    """A registration (each specialty to its expiry; by default 建筑工程, 3 years) and its first certificate."""
    chosen = specialties or {"01": clock.business_date() + timedelta(days=3 * 365)}
    enterprise = enterprise or await make_enterprise()
    registration = await filings.record_registration(
        filings.RegistrationFacts(
            person_id=person.id,
            enterprise_id=enterprise.id,
            specialty_codes=sorted(chosen),
            expires_on=min(chosen.values()),
        )
    )
    printed = snapshot(person, enterprise, registration, 0, chosen)
    images = ((AttachmentKind.PHOTO, "photo_attachment_id"), (AttachmentKind.SIGNATURE, "signature_attachment_id"))
    for kind, key in images:
        current = await Attachment.filter(person_id=person.id, kind=kind, current=True).first()
        printed[key] = current.id if current else None  # the images at issue, as certs records them
    return await Certificate.create(
        registration_id=registration.id,
        person_id=person.id,
        number=registration.number,
        seal_check=0,
        current_key=registration.id,
        reason="INITIAL",
        issued_at=clock.now(),
        issued_on=clock.business_date(),
        snapshot=printed,
    )


async def supersede(certificate: Certificate, reason: str) -> None:
    """The certificate is no longer current (REPLACED, CHANGED, CANCELLED, LAPSED)."""
    await Certificate.filter(id=certificate.id).update(
        current_key=None, superseded_at=clock.now(), superseded_reason=reason
    )


async def reissue(certificate: Certificate, reason: str = "REPLACED") -> Certificate:
    """The next version (seal check + 1), the old one superseded with `reason`."""
    await supersede(certificate, reason)
    seal_check = certificate.seal_check + 1
    facts = {**certificate.snapshot, "number_with_check": f"{certificate.number}({seal_check:02d})"}
    return await Certificate.create(
        registration_id=certificate.registration_id,  # type: ignore[attr-defined]
        person_id=certificate.person_id,  # type: ignore[attr-defined]
        number=certificate.number,
        seal_check=seal_check,
        current_key=certificate.registration_id,  # type: ignore[attr-defined]
        reason="CERTIFICATE_REPLACEMENT" if reason == "REPLACED" else "CHANGE",
        issued_at=clock.now(),
        issued_on=clock.business_date(),
        snapshot=facts,
    )
