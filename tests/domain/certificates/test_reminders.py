"""续期提醒: an SMS 90 and 30 days before a specialty's expiry, each once (the cron run twice sends nothing more),
one SMS per person listing the specialties, ACTIVE registrations and active specialties only (fake clock)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    OutboxMessage,
    RegisteredSpecialty,
    RegistrationStatus,
    RenewalReminder,
)
from domain import certificates
from domain.certificates.reminders import threshold
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.helpers import Api
from tests.holders import approved, later, person, registered
from tests.workers.burst import run_burst


def in_days(days: int) -> date:
    return clock.business_date() + timedelta(days=days)


async def remind(app: Any) -> int:
    return await certificates.send_renewal_reminders(app.state.deps)


async def texts(api: Api, mobile: str) -> list[str]:
    """What reached the phone (the worker sends the outbox's SMS)."""
    assert (await run_burst(api.app)).failed == 0
    return [message["text"] for message in await api.sms_inbox(mobile)]


def test_the_nearest_threshold_reached_applies() -> None:
    assert [threshold(days, [30, 90]) for days in (91, 90, 60, 31, 30, 1, 0, -1)] == [
        None,
        90,
        90,
        90,
        30,
        30,
        30,
        None,
    ]


async def test_reminders_at_90_and_30_days_each_once(api: Api) -> None:
    holder = await person("周九")
    await registered(holder, {"01": in_days(90), "07": in_days(90)})
    other = await person("吴十")
    await registered(other, {"10": in_days(30)})
    quiet = await person("郑一")
    await registered(quiet, {"01": in_days(91)})

    assert await remind(api.app) == 2
    assert await remind(api.app) == 0  # run twice: nothing more
    [text] = await texts(api, holder.mobile)
    assert text == (
        "【一级建造师注册】您注册的一级建造师专业即将到期：建筑工程（"
        f"{in_days(90):%Y年%m月%d日}到期），市政公用工程（{in_days(90):%Y年%m月%d日}到期）。"
        "如需继续执业，请在到期30日前申报延续注册。"
    )
    assert len(await texts(api, other.mobile)) == 1 and await texts(api, quiet.mobile) == []
    assert sorted(r.days_before for r in await RenewalReminder.all()) == [30, 90, 90]

    later(1)  # 90 days before the quiet one's expiry
    assert await remind(api.app) == 1
    later(59)  # 30 days before the first holder's
    assert await remind(api.app) == 1
    assert await remind(api.app) == 0
    sent = await texts(api, holder.mobile)
    assert len(sent) == 2 and "建筑工程" in sent[0] and "市政公用工程" in sent[0]  # newest first
    later(29)  # the quiet one's 30 days came and went meanwhile: sent late, once; the other's expiry has passed
    assert await remind(api.app) == 1
    assert await remind(api.app) == 0
    assert len(await texts(api, quiet.mobile)) == 2 and len(await texts(api, other.mobile)) == 1
    assert await RenewalReminder.all().count() == 7


async def test_only_active_registrations_and_specialties_are_reminded(api: Api) -> None:
    cancelled = await person()
    await registered(cancelled, {"01": in_days(30)}, status=RegistrationStatus.CANCELLED)
    partly = await person()
    registration = await registered(partly, {"01": in_days(30), "07": in_days(30)})
    await RegisteredSpecialty.filter(registration_id=registration.id, specialty_code="07").update(active=False)
    expired = await person()
    await registered(expired, {"01": in_days(-1)})

    assert await remind(api.app) == 1
    assert await texts(api, cancelled.mobile) == [] and await texts(api, expired.mobile) == []
    [text] = await texts(api, partly.mobile)
    assert "建筑工程" in text and "市政公用工程" not in text


async def test_a_renewal_starts_the_reminders_of_the_new_expiry(api: Api) -> None:
    holder = await person()
    registration = await registered(holder, {"01": in_days(30)})
    assert await remind(api.app) == 1
    renewed = in_days(30) + timedelta(days=3 * 365)
    await RegisteredSpecialty.filter(registration_id=registration.id).update(expires_on=renewed)
    later(3 * 365 - 60)  # 90 days before the new expiry
    assert await remind(api.app) == 1
    assert sorted((r.days_before, r.expires_on) for r in await RenewalReminder.all()) == [
        (30, in_days(-3 * 365 + 90)),
        (90, renewed),
    ]


async def test_the_days_come_from_the_settings(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "renewal_reminder_days", [60])
    holder = await person()
    await registered(holder, {"01": in_days(60)})
    other = await person()
    await registered(other, {"01": in_days(90)})
    assert await remind(api.app) == 1
    assert [r.days_before for r in await RenewalReminder.all()] == [60]


async def test_concurrent_runs_send_each_reminder_once(api: Api) -> None:
    for _ in range(5):
        await registered(await person(), {"01": in_days(30)})
    counts = await asyncio.gather(*(remind(api.app) for _ in range(3)))
    assert sum(counts) == 5
    assert await RenewalReminder.all().count() == 5
    assert await OutboxMessage.filter(job_name="send_sms").count() == 5


async def test_no_reminder_for_a_specialty_whose_renewal_is_filed(api: Api) -> None:
    holder = await person()
    await registered(holder, {"01": in_days(30), "07": in_days(30)})
    renewal = await approved(holder, kind=ApplicationKind.RENEWAL, specialties=("01",))
    await Application.filter(id=renewal.id).update(status=ApplicationStatus.ENTERPRISE_CONFIRMATION)
    assert await remind(api.app) == 1
    [text] = await texts(api, holder.mobile)
    assert "市政公用工程" in text and "建筑工程" not in text
    await Application.filter(id=renewal.id).update(status=ApplicationStatus.REFUSED)  # refused: remind after all
    assert await remind(api.app) == 1 and "建筑工程" in (await texts(api, holder.mobile))[0]
