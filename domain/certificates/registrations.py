"""What an approval does to the person's registration (one per person): issue or re-activate it with a new number,
change its employer, add or renew specialties, end it. Each write is conditional on the state it expects."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import F

from db.models import Application, Enterprise, Person, RegisteredSpecialty, Registration, RegistrationStatus
from domain.certificates.numbering import new_number, qualified_year
from domain.kernel import clock
from domain.kernel.errors import DomainError, ErrorCode

VALID_YEARS = 3


def years_after(day: date, years: int = VALID_YEARS) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _person_id(application: Application) -> int:
    person_id: int = application.person_id  # type: ignore[attr-defined]
    return person_id


async def _specialties_from(registration_id: int, codes: list[str], today: date) -> None:
    """The registration's specialties become `codes`, each valid 3 years from today (the others inactive)."""
    await (
        RegisteredSpecialty.filter(registration_id=registration_id)
        .exclude(specialty_code__in=codes)
        .update(active=False)
    )
    for code in codes:
        await _grant(registration_id, code, today)


async def _grant(registration_id: int, code: str, today: date) -> None:
    """One specialty registered today, valid 3 years (a row held before is re-used: one row per code)."""
    changes: dict[str, Any] = {"registered_on": today, "expires_on": years_after(today), "active": True}
    if not await RegisteredSpecialty.filter(registration_id=registration_id, specialty_code=code).update(**changes):
        await RegisteredSpecialty.create(registration_id=registration_id, specialty_code=code, **changes)


async def register(application: Application) -> tuple[Registration, RegistrationStatus | None]:
    """初始注册 / 重新注册: a new registration, or the person's ended one re-activated, with a NEW number (the new
    employer's province, this year) and seal check 0; returns it and the status it had before (None if new)."""
    person = await Person.get(id=_person_id(application))
    existing = await Registration.get_or_none(person_id=person.id)
    if existing is not None and existing.status is RegistrationStatus.ACTIVE:
        raise DomainError(ErrorCode.ALREADY_REGISTERED)
    enterprise = await Enterprise.get(id=application.enterprise_id)  # type: ignore[attr-defined]
    today = clock.business_date()
    codes = list(application.specialty_codes)
    year = await qualified_year(person.id_number_digest, codes, today.year)
    number = await new_number(enterprise.province_code, year, today)
    columns: dict[str, Any] = {
        "enterprise_id": enterprise.id,
        "number": number,
        "seal_check": 0,
        "status": RegistrationStatus.ACTIVE,
        "temporary": application.temporary,
        "registered_on": today,
        "ended_on": None,
        "updated_at": clock.now(),
    }
    if existing is None:
        return await _created(person.id, columns, codes), None
    updated = await Registration.filter(id=existing.id, status=existing.status).update(**columns)
    if updated != 1:
        raise DomainError(ErrorCode.CONFLICT)
    await _specialties_from(existing.id, codes, today)
    return await Registration.get(id=existing.id), existing.status


async def _created(person_id: int, columns: dict[str, Any], codes: list[str]) -> Registration:
    """A first registration and its specialties, each valid 3 years from its registration day."""
    registration = await Registration.create(person_id=person_id, **columns)
    day = columns["registered_on"]
    await RegisteredSpecialty.bulk_create(
        [
            RegisteredSpecialty(
                registration_id=registration.id, specialty_code=code, registered_on=day, expires_on=years_after(day)
            )
            for code in codes
        ]
    )
    return registration


async def reissuing(application: Application, enterprise_id: int | None = None) -> Registration:
    """The person's ACTIVE registration with its seal check code one up (and the new employer for a change): the
    conditional update that also serializes every effect on one registration."""
    changes: dict[str, object] = {"seal_check": F("seal_check") + 1, "updated_at": clock.now()}
    if enterprise_id is not None:
        changes["enterprise_id"] = enterprise_id
    person_id = _person_id(application)
    updated = await Registration.filter(person_id=person_id, status=RegistrationStatus.ACTIVE).update(**changes)
    if updated != 1:
        raise DomainError(ErrorCode.NOT_REGISTERED)
    return await Registration.get(person_id=person_id)


async def active_registration(person_id: int) -> Registration | None:
    """The person's registration when it is ACTIVE."""
    return await Registration.get_or_none(person_id=person_id, status=RegistrationStatus.ACTIVE)


async def add_specialty(registration: Registration, codes: list[str]) -> None:
    """增项注册: each added specialty valid 3 years from today; the others keep their own expiry."""
    today = clock.business_date()
    for code in codes:
        await _grant(registration.id, code, today)


async def renew(registration: Registration, codes: list[str]) -> None:
    """延续注册: each chosen specialty 3 years on from its own expiry (one not held is refused)."""
    held = {
        row.specialty_code: row
        for row in await RegisteredSpecialty.filter(registration_id=registration.id, active=True)
    }
    missing = [code for code in codes if code not in held]
    if missing:
        raise DomainError(ErrorCode.SPECIALTY_NOT_REGISTERED, "specialty_codes")
    for code in codes:
        await RegisteredSpecialty.filter(id=held[code].id).update(expires_on=years_after(held[code].expires_on))


async def cancel(application: Application) -> Registration:
    """注销: the ACTIVE registration ends today (CANCELLED)."""
    today = clock.business_date()
    person_id = _person_id(application)
    updated = await Registration.filter(person_id=person_id, status=RegistrationStatus.ACTIVE).update(
        status=RegistrationStatus.CANCELLED, ended_on=today, updated_at=clock.now()
    )
    if updated != 1:
        raise DomainError(ErrorCode.NOT_REGISTERED)
    return await Registration.get(person_id=person_id)
