"""注册失效 (fake clock): a specialty past its expiry becomes inactive, the registration lapses when none is left
(the current certificate superseded LAPSED, a trail entry, an SMS, in one unit of work); at the holder's 65th
birthday everything lapses; a second run (or a concurrent one) changes nothing twice."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    OutboxMessage,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
    TrailEntry,
)
from domain import certificates
from domain.certificates.lapse import born_on_or_before
from domain.kernel import clock
from tests.helpers import Api
from tests.holders import approved, certificate, later, person, registered
from tests.workers.burst import run_burst


def in_days(days: int) -> date:
    return clock.business_date() + timedelta(days=days)


async def lapse(app: Any) -> int:
    return await certificates.lapse_registrations(app.state.deps)


async def actives(registration: Registration) -> list[str]:
    rows = await RegisteredSpecialty.filter(registration_id=registration.id, active=True).order_by("specialty_code")
    return [row.specialty_code for row in rows]


async def texts(api: Api, mobile: str) -> list[str]:
    assert (await run_burst(api.app)).failed == 0
    return [message["text"] for message in await api.sms_inbox(mobile)]


def test_the_65th_birthday_and_the_cutoff() -> None:
    assert certificates.birthday_at(date(1961, 6, 30), 65) == date(2026, 6, 30)
    assert certificates.birthday_at(date(1960, 2, 29), 65) == date(2025, 3, 1)  # 2025 has no 29 February
    assert certificates.birthday_at(date(1960, 2, 29), 64) == date(2024, 2, 29)
    assert born_on_or_before(date(2026, 6, 30), 65) == date(1961, 6, 30)
    assert born_on_or_before(date(2028, 2, 29), 65) == date(1963, 2, 28)


async def test_a_registration_lapses_when_its_last_specialty_expires(api: Api) -> None:
    holder = await person("冯二")
    registration = await registered(holder, {"01": in_days(10), "07": in_days(20)})
    current = await certificate(registration)
    last_day = in_days(20)

    later(10)  # the first specialty's last valid day
    assert await lapse(api.app) == 0 and await actives(registration) == ["01", "07"]
    later(1)
    assert await lapse(api.app) == 0  # one specialty expired, the registration goes on
    assert await actives(registration) == ["07"]
    assert (await Registration.get(id=registration.id)).status is RegistrationStatus.ACTIVE
    assert (await Certificate.get(id=current.id)).current_key == registration.id
    [notice] = await texts(api, holder.mobile)
    assert notice == "【一级建造师注册】您注册的一级建造师专业建筑工程有效期已届满（未延续注册），该专业注册已失效。"

    later(10)
    assert await lapse(api.app) == 1
    assert await lapse(api.app) == 0  # run twice: nothing more
    row = await Registration.get(id=registration.id)
    assert (row.status, row.ended_on) == (RegistrationStatus.LAPSED, last_day + timedelta(days=1))
    assert await actives(registration) == []
    superseded = await Certificate.get(id=current.id)
    assert superseded.current_key is None and superseded.superseded_reason == "LAPSED"
    assert superseded.superseded_at is not None
    trail = [t.action for t in await TrailEntry.filter(person_id=holder.id).order_by("seq")]
    assert trail == ["SPECIALTY_EXPIRED", "SPECIALTY_EXPIRED", "REGISTRATION_LAPSED"]
    notices = await texts(api, holder.mobile)  # newest first
    assert len(notices) == 2 and "因注册有效期届满未延续" in notices[0] and registration.number in notices[0]


async def test_everything_lapses_at_65(api: Api) -> None:
    birthday = in_days(2)
    holder = await person("陈三", birth=birthday.replace(year=birthday.year - 65))
    registration = await registered(holder, {"01": in_days(400), "03": in_days(800)})
    current = await certificate(registration, seal_check=2)
    younger = await person(birth=birthday.replace(year=birthday.year - 65) + timedelta(days=1))
    await registered(younger, {"01": in_days(400)})

    later(1)
    assert await lapse(api.app) == 0
    later(1)  # the 65th birthday
    assert await lapse(api.app) == 1
    assert await lapse(api.app) == 0
    row = await Registration.get(id=registration.id)
    assert (row.status, row.ended_on) == (RegistrationStatus.LAPSED, birthday)
    assert await actives(registration) == []
    assert (await Certificate.get(id=current.id)).superseded_reason == "LAPSED"
    assert await Registration.filter(status=RegistrationStatus.ACTIVE).count() == 1  # the younger one's
    [entry] = await TrailEntry.filter(person_id=holder.id)
    assert (entry.action, entry.actor) == ("REGISTRATION_LAPSED", "系统")
    [notice] = await texts(api, holder.mobile)
    assert "年满65周岁" in notice and "电子证书同时失效" in notice
    assert await texts(api, younger.mobile) == []


async def test_ended_registrations_are_left_alone(api: Api) -> None:
    for status in (RegistrationStatus.CANCELLED, RegistrationStatus.LAPSED, RegistrationStatus.REVOKED):
        await registered(await person(birth=date(1950, 1, 1)), {"01": in_days(-30)}, status=status)
    assert await lapse(api.app) == 0
    assert await TrailEntry.all().count() == 0 and await OutboxMessage.all().count() == 0


async def test_concurrent_runs_lapse_once(api: Api) -> None:
    holders = [await person() for _ in range(4)]
    for holder in holders:
        await certificate(await registered(holder, {"01": in_days(-1)}))
    old = await person(birth=date(1955, 3, 3))
    await registered(old, {"01": in_days(100)})
    results = await asyncio.gather(*(lapse(api.app) for _ in range(3)))
    assert sum(results) == 5
    assert await Registration.filter(status=RegistrationStatus.LAPSED).count() == 5
    assert await TrailEntry.filter(action="REGISTRATION_LAPSED").count() == 5
    assert await OutboxMessage.filter(job_name="send_sms").count() == 5
    assert await Certificate.filter(current_key__isnull=False).count() == 0


async def test_a_renewal_under_review_keeps_the_specialty_until_it_is_decided(api: Api) -> None:
    """A renewal filed in time and decided late is no lapse; once refused, the next run lapses the specialty."""
    holder = await person()
    registration = await registered(holder, {"01": in_days(-1), "07": in_days(-1)})
    renewal = await approved(holder, kind=ApplicationKind.RENEWAL, specialties=("01",))
    await Application.filter(id=renewal.id).update(status=ApplicationStatus.MINISTRY_REVIEW)

    assert await lapse(api.app) == 0
    assert await actives(registration) == ["01"]  # 07 was not renewed
    await Application.filter(id=renewal.id).update(status=ApplicationStatus.APPROVED)  # effect not applied yet
    assert await lapse(api.app) == 0 and await actives(registration) == ["01"]
    await Application.filter(id=renewal.id).update(status=ApplicationStatus.REFUSED, decided_at=clock.now())
    assert await lapse(api.app) == 1
    assert (await Registration.get(id=registration.id)).status is RegistrationStatus.LAPSED
