"""Dev seed (make run only): registered demo applicants, so that every kind of filing can be tried over HTTP before
the review issue issues registrations: 李四 holds a temporary registration (change, additional specialty, renewal,
cancellation, replacement, personal-info change) and 王五 a cancelled one (re-registration)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from db.models import (
    Enterprise,
    Person,
    RegistrationStatus,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain.accounts import Degree, Education, hash_password, id_number_columns, id_number_digest, parse_id_number
from domain.filings.registrations import RegistrationFacts, record_registration
from domain.kernel import clock

EXPIRES_IN_DAYS = 60  # 李四's specialty: inside the renewal window (90 to 30 days before expiry)


@dataclass(frozen=True)
class DemoApplicant:
    """A seeded person and the registration they hold (qualifications come from the reference seed)."""

    id_number: str
    real_name: str
    mobile: str
    employer_credit_prefix: str  # a demo employer of the accounts seed
    specialty_codes: tuple[str, ...]
    temporary: bool
    status: RegistrationStatus
    qualified_year: int


DEMO_APPLICANTS = (
    DemoApplicant(
        "120103198806018241", "李四", "13900139002", "91120000MA0000003", ("02",), True, RegistrationStatus.ACTIVE, 2021
    ),
    DemoApplicant(
        "110105198503121234",
        "王五",
        "13700137003",
        "91110000MA0000001",
        ("01",),
        False,
        RegistrationStatus.CANCELLED,
        2019,
    ),
)


async def seed_registered_applicant(id_number: str, password: str) -> bool:
    """The demo applicant of this ID number: verified on site, profile complete, holding their registration.
    Nothing when the person exists already (running it again changes nothing)."""
    demo = next(d for d in DEMO_APPLICANTS if d.id_number == id_number)
    if await Person.exists(id_number_digest=id_number_digest(id_number)):
        return False
    enterprise = await Enterprise.get(credit_code__startswith=demo.employer_credit_prefix)
    async with in_transaction():
        person = await Person.create(
            real_name=demo.real_name,
            mobile=demo.mobile,
            password_hash=await hash_password(password),
            nationality="CN",
            email=f"demo{demo.mobile[-4:]}@example.com",
            education=Education.BACHELOR.value,
            degree=Degree.BACHELOR.value,
            school="天津大学",
            **id_number_columns(parse_id_number(id_number)),
        )
        await _verified_on_site(person.id)
    await record_registration(_registration(demo, person.id, enterprise.id))
    return True


async def _verified_on_site(person_id: int) -> None:
    now = clock.now()
    await VerificationAttempt.create(
        person_id=person_id,
        method=VerificationMethod.ONSITE,
        status=VerificationStatus.PASSED,
        outer_order_no="DEV" + secrets.token_hex(14),
        provider="onsite",
        comment="开发数据：现场认证通过",
        created_at=now,
        expires_at=now,
        completed_at=now,
    )


def _registration(demo: DemoApplicant, person_id: int, enterprise_id: int) -> RegistrationFacts:
    if demo.status is RegistrationStatus.ACTIVE:
        expires_on = clock.business_date() + timedelta(days=EXPIRES_IN_DAYS)
    else:  # cancelled a year ago, a year before it would have expired
        expires_on = clock.business_date() - timedelta(days=365)
    return RegistrationFacts(
        person_id=person_id,
        enterprise_id=enterprise_id,
        specialty_codes=list(demo.specialty_codes),
        registered_on=expires_on - timedelta(days=3 * 365),
        expires_on=expires_on,
        temporary=demo.temporary,
        status=demo.status,
        qualified_year=demo.qualified_year,
    )
