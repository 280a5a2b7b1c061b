"""Approved filings written directly (as a reviewer's approval leaves them) and the apply_approval job run on them."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    Enterprise,
    OutboxMessage,
    Person,
    Registration,
)
from domain import certificates, filings
from domain.kernel import clock, keys, outbox
from domain.kernel.jobs import Job
from tests.domain.filings.helpers import make_person
from tests.filing_helpers import make_enterprise, qualification

__all__ = ["make_enterprise", "make_person"]


async def qualified_person(codes: tuple[str, ...] = ("01",), issued_on: date = date(2019, 5, 1)) -> Person:
    """A verified person with a qualification (issued on `issued_on`) in each specialty."""
    person = await make_person()
    for code in codes:
        await qualification(person.id_number_digest, person.id_number_masked, code, issued_on)
    return person


async def approved(
    person: Person,
    kind: ApplicationKind,
    enterprise: Enterprise | None = None,
    codes: list[str] | None = None,
    details: dict[str, Any] | None = None,
    status: ApplicationStatus = ApplicationStatus.APPROVED,
) -> Application:
    """A filing of `kind` as the ministry's approval leaves it (closed, decided)."""
    now = clock.now()
    return await Application.create(
        person_id=person.id,
        kind=kind,
        status=status,
        open_key=None,
        enterprise_id=enterprise.id if enterprise is not None else None,
        specialty_codes=codes or [],
        details=details or {},
        terms_version="v1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
        decided_at=now,
    )


async def queued(application: Application) -> str:
    """The outbox row the approval writes (Job.APPLY_APPROVAL); its id is the job's argument."""
    message = await outbox.add(Job.APPLY_APPROVAL.value, {"application_id": application.id})
    return str(message.id)


async def apply(deps: Any, application: Application) -> str:
    """Queue and run the job body once."""
    return await certificates.apply_approval(deps, await queued(application))


async def registered(deps: Any, person: Person, enterprise: Enterprise, codes: list[str]) -> Certificate:
    """Through an approved initial registration: the registration and its first certificate."""
    assert await apply(deps, await approved(person, ApplicationKind.INITIAL, enterprise, codes)) == "issued"
    return await Certificate.get(person_id=person.id, current_key__isnull=False)


async def recorded(person: Person, enterprise: Enterprise, codes: list[str], **facts: Any) -> Registration:
    """A registration as filings.record_registration writes it (no certificate yet)."""
    return await filings.record_registration(
        filings.RegistrationFacts(person_id=person.id, enterprise_id=enterprise.id, specialty_codes=codes, **facts)
    )


async def current(person: Person) -> Certificate:
    return await Certificate.get(person_id=person.id, current_key__isnull=False)


async def sms_texts(mobile: str) -> list[str]:
    """The notices queued for the mobile (decrypted)."""
    rows = await OutboxMessage.filter(job_name=Job.SEND_SMS.value).order_by("created_at")
    return [keys.decrypt(row.payload["text"]) for row in rows if row.payload["mobile"] == mobile]
