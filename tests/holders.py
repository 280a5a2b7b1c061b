"""Test set-up for announcements and the certificate crons: people (valid resident ID numbers with a chosen birth
date), approved filings as the review decides them, registrations held. Rows are written as the deciding step
writes them: the tests then drive the real publish, cron and query code."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

from stdnum.cn import ric

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    Enterprise,
    Person,
    RegisteredSpecialty,
    Registration,
)
from domain import accounts, filings
from domain.kernel import clock
from tests.filing_helpers import make_enterprise

_serial = count(1)


def resident_id(birth: date, area: str = "110101") -> str:
    """A valid 18-digit resident ID number born on `birth` (a fresh sequence number each call)."""
    first17 = f"{area}{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum reads the first 17 of 18


async def person(name: str = "王五", birth: date | None = None, mobile: str | None = None) -> Person:
    """A registered applicant (the account as registration writes it; no login needed by these tests)."""
    born = birth or date(1980, 5, 17)
    number = resident_id(born)
    columns = accounts.id_number_columns(accounts.parse_id_number(number))
    serial = next(_serial)
    return await Person.create(real_name=name, mobile=mobile or f"139{serial:08d}", password_hash="-", **columns)


async def approved(
    holder: Person,
    kind: ApplicationKind = ApplicationKind.INITIAL,
    enterprise: Enterprise | None = None,
    specialties: tuple[str, ...] = ("01",),
    decided_at: datetime | None = None,
) -> Application:
    """A filing the ministry approved (as the review's APPROVE leaves it: out of the queues, closed)."""
    now = clock.now()
    employer = enterprise or await make_enterprise()
    return await Application.create(
        person_id=holder.id,
        kind=kind,
        status=ApplicationStatus.APPROVED,
        open_key=None,
        enterprise_id=employer.id,
        contract_start=clock.business_date() - timedelta(days=30),
        contract_end=clock.business_date() + timedelta(days=700),
        specialty_codes=list(specialties),
        terms_version="2024.1",
        terms_accepted_at=now,
        submitted_at=now - timedelta(days=30),
        updated_at=now,
        decided_at=decided_at or now,
        version=5,
    )


async def registered(
    holder: Person, expiries: dict[str, date], enterprise: Enterprise | None = None, **facts: Any
) -> Registration:
    """An ACTIVE registration whose specialties expire as given (code → expiry)."""
    employer = enterprise or await make_enterprise()
    first, *rest = expiries.items()
    registration = await filings.record_registration(
        filings.RegistrationFacts(
            person_id=holder.id,
            enterprise_id=employer.id,
            specialty_codes=[first[0]],
            registered_on=first[1] - timedelta(days=3 * 365),
            expires_on=first[1],
            **facts,
        )
    )
    for code, expires_on in rest:
        await RegisteredSpecialty.create(
            registration_id=registration.id,
            specialty_code=code,
            registered_on=expires_on - timedelta(days=3 * 365),
            expires_on=expires_on,
        )
    return registration


async def certificate(registration: Registration, seal_check: int = 0) -> Certificate:
    """The registration's current certificate (as the approval's effect issues it)."""
    holder_id: int = registration.person_id  # type: ignore[attr-defined]
    return await Certificate.create(
        registration_id=registration.id,
        person_id=holder_id,
        number=registration.number,
        seal_check=seal_check,
        current_key=registration.id,
        reason="INITIAL",
        issued_at=clock.now(),
        issued_on=clock.business_date(),
        snapshot={},
    )


def later(days: int) -> None:
    """The fake clock moves on by whole days."""
    clock.advance(days * 86_400)
