"""The dev seed's registered applicants: 李四 verified, profile complete, a temporary registration inside the
renewal window; 王五 with a cancelled one; so every kind of filing can be tried under `make run`. Seeding again
changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.models import Person, RegisteredSpecialty, Registration, RegistrationStatus
from domain import filings
from domain.accounts import id_number_digest, missing_profile_fields, seed_dev
from domain.kernel import clock
from domain.verification import require_verified


async def test_the_registered_demo_applicant(app: Any) -> None:
    accounts = await seed_dev()
    await filings.seed_reference()
    for id_number, password in accounts["applicants"].items():
        assert await filings.seed_registered_applicant(id_number, password) is True
        assert await filings.seed_registered_applicant(id_number, password) is False  # again: nothing
    lisi, wangwu = filings.DEMO_APPLICANTS
    person = await Person.get(id_number_digest=id_number_digest(lisi.id_number))
    await require_verified(person.id)
    assert missing_profile_fields(person) == []
    registration = await Registration.get(person_id=person.id)
    assert registration.status is RegistrationStatus.ACTIVE and registration.temporary
    specialties = await RegisteredSpecialty.filter(registration_id=registration.id).order_by("specialty_code")
    assert [s.specialty_code for s in specialties] == ["02"]  # 10: his other qualification, for 增项
    assert {s.expires_on for s in specialties} == {clock.business_date() + timedelta(days=60)}
    other = await Person.get(id_number_digest=id_number_digest(wangwu.id_number))
    await require_verified(other.id)
    assert (await Registration.get(person_id=other.id)).status is RegistrationStatus.CANCELLED
    assert await Person.all().count() == 2
