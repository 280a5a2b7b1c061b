"""Registrations as the review issue will issue them. Until then `record_registration` writes one for tests and the
dev seed only (no rule is checked here: the caller states the facts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db.models import Enterprise, RegisteredSpecialty, Registration, RegistrationStatus
from domain.kernel import clock

VALID_YEARS = 3
# GB/T 2260 province codes and the characters registration numbers start with.
PROVINCE_CHARACTERS = dict(
    zip(
        [
            "11",
            "12",
            "13",
            "14",
            "15",
            "21",
            "22",
            "23",
            "31",
            "32",
            "33",
            "34",
            "35",
            "36",
            "37",
            "41",
            "42",
            "43",
            "44",
            "45",
            "46",
            "50",
            "51",
            "52",
            "53",
            "54",
            "61",
            "62",
            "63",
            "64",
            "65",
        ],
        "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新",
        strict=True,
    )
)


def registration_number(province_code: str, qualified_year: int, registered_year: int, serial: int) -> str:
    """注册编号: the province's character, 1 (Level 1), the province code, the two years, a 5-digit serial."""
    character = PROVINCE_CHARACTERS.get(province_code, "京")
    return f"{character}1{province_code}{qualified_year % 100:02d}{registered_year % 100:02d}{serial:05d}"


@dataclass(frozen=True)
class RegistrationFacts:
    """A registration as the caller states it: who, where, which specialties, since and until when."""

    person_id: int
    enterprise_id: int
    specialty_codes: list[str]
    registered_on: date | None = None  # None = today
    expires_on: date | None = None  # None = 3 years on
    temporary: bool = False
    status: RegistrationStatus = RegistrationStatus.ACTIVE
    qualified_year: int | None = None  # None = the year of registration


async def record_registration(facts: RegistrationFacts) -> Registration:
    """A registration with its specialties (each expiring on `expires_on`). Tests and the dev seed only: the
    review issue issues real ones."""
    registered_on = facts.registered_on or clock.business_date()
    expires_on = facts.expires_on or registered_on + timedelta(days=365 * VALID_YEARS)
    enterprise = await Enterprise.get(id=facts.enterprise_id)
    serial = await Registration.all().count() + 1
    qualified_year = facts.qualified_year or registered_on.year
    number = registration_number(enterprise.province_code, qualified_year, registered_on.year, serial)
    registration = await Registration.create(
        person_id=facts.person_id,
        enterprise_id=facts.enterprise_id,
        number=number,
        status=facts.status,
        temporary=facts.temporary,
        registered_on=registered_on,
        ended_on=None if facts.status is RegistrationStatus.ACTIVE else clock.business_date(),
        updated_at=clock.now(),
    )
    for code in facts.specialty_codes:
        await RegisteredSpecialty.create(
            registration_id=registration.id, specialty_code=code, registered_on=registered_on, expires_on=expires_on
        )
    return registration
