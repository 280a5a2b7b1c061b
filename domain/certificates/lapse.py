"""注册失效 (第16条, a daily cron): a specialty past its expiry unrenewed becomes inactive (one whose renewal was filed
and is not yet decided or applied stays valid until it is); a registration with no active specialty left lapses
(LAPSED, ended_on the day after the last expiry); at the holder's 65th birthday the whole registration lapses
(ended_on that birthday). In the unit of work that lapses it, the current certificate is superseded (LAPSED), a trail
entry is written and the holder gets an SMS. Every change is a conditional update, so a second run (or a run racing
another) changes nothing twice. Dates are business dates (Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, timedelta

from db.models import (
    Person,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
)
from domain import accounts, filings
from domain.certificates.reminders import renewing_specialties
from domain.certificates.versions import SupersededReason, supersede_current
from domain.kernel import clock
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.settings import get_settings
from domain.trail import BusinessStep, TrailAction, business_step

SYSTEM = RequestMeta.internal("lapse")
BATCH = 200


def birthday_at(birth: date, years: int) -> date:
    """The day one turns `years` (born on 29 February: 1 March in a year without one)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def born_on_or_before(today: date, years: int) -> date:
    """The latest birth date of someone who is `years` old today."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # today is 29 February: nobody was born on that day `years` (≢ 0 mod 4) years ago
        return date(today.year - years, 2, 28)


async def lapse_registrations(deps: Deps) -> int:
    """Cron body: age first (everything lapses), then specialties past expiry; how many registrations lapsed."""
    today = clock.business_date()
    lapsed = 0
    after_id = 0
    while ids := await _over_age(today, after_id):
        after_id = ids[-1]
        for registration_id in ids:
            lapsed += await _lapse_at_age(deps, registration_id)
    after_id = 0
    while ids := await _with_expired_specialties(today, after_id):
        after_id = ids[-1]
        for registration_id in ids:
            lapsed += await _expire_specialties(deps, registration_id, today)
    return lapsed


async def _over_age(today: date, after_id: int) -> list[int]:
    cutoff = born_on_or_before(today, get_settings().filing_max_age_years)
    query = Registration.filter(id__gt=after_id, status=RegistrationStatus.ACTIVE, person__birth_date__lte=cutoff)
    return [row.id for row in await query.order_by("id").limit(BATCH).only("id")]


async def _with_expired_specialties(today: date, after_id: int) -> list[int]:
    query = RegisteredSpecialty.filter(
        registration_id__gt=after_id,
        active=True,
        expires_on__lt=today,
        registration__status=RegistrationStatus.ACTIVE,
    )
    ids = await query.order_by("registration_id").distinct().limit(BATCH).values_list("registration_id", flat=True)
    return [int(i) for i in ids]  # type: ignore[call-overload]


async def _lapse_at_age(deps: Deps, registration_id: int) -> int:
    registration = await Registration.get(id=registration_id)
    person = await Person.get(id=registration.person_id)  # type: ignore[attr-defined]
    ended_on = birthday_at(person.birth_date, get_settings().filing_max_age_years)
    async with business_step(deps, SYSTEM) as step:
        if not await _lapse(step, registration, ended_on):
            return 0
        await RegisteredSpecialty.filter(registration_id=registration_id, active=True).update(active=False)
        years = get_settings().filing_max_age_years
        await step.trail(person.id, TrailAction.REGISTRATION_LAPSED, f"年满{years}周岁，注册于{ended_on}失效", "系统")
        text = (
            f"您已年满{years}周岁，一级建造师注册（{registration.number}）已于{ended_on:%Y年%m月%d日}失效，"
            "电子证书同时失效。"
        )
        await accounts.notify_by_sms(step, person.mobile, text)
    return 1


async def _expire_specialties(deps: Deps, registration_id: int, today: date) -> int:
    """The specialties past expiry become inactive; with none active left, the registration lapses."""
    registration = await Registration.get(id=registration_id)
    person = await Person.get(id=registration.person_id)  # type: ignore[attr-defined]
    try:
        async with business_step(deps, SYSTEM) as step:
            return await _expire_in(step, registration, person, today)
    except _NothingDone:
        return 0


class _NothingDone(Exception):
    """Nothing to change (another run or an effect changed the rows first, or a renewal is under way): roll back
    what this unit of work wrote."""


async def _expire_in(step: BusinessStep, registration: Registration, person: Person, today: date) -> int:
    # The registration row first, as every approval's effect takes it (no lock-order deadlock with a renewal).
    held = await Registration.filter(id=registration.id, status=RegistrationStatus.ACTIVE).update(
        updated_at=clock.now()
    )
    if held != 1:
        raise _NothingDone
    past = {"active": True, "expires_on__lt": today}
    rows = await RegisteredSpecialty.filter(registration_id=registration.id, **past)
    renewing = await renewing_specialties([person.id])
    expired = [row for row in rows if (person.id, row.specialty_code) not in renewing]
    if not expired:
        raise _NothingDone  # nothing to do (a renewal is under way): write nothing, not even updated_at
    ended = await RegisteredSpecialty.filter(id__in=[r.id for r in expired], **past).update(active=False)
    if ended != len(expired):  # renewed or ended meanwhile
        raise _NothingDone
    names = "、".join(_name(row.specialty_code) for row in expired)
    await step.trail(person.id, TrailAction.SPECIALTY_EXPIRED, f"注册专业{names}有效期届满未延续，已失效", "系统")
    if await RegisteredSpecialty.exists(registration_id=registration.id, active=True):
        text = f"您注册的一级建造师专业{names}有效期已届满（未延续注册），该专业注册已失效。"
        await accounts.notify_by_sms(step, person.mobile, text)
        return 0
    ended_on = max(row.expires_on for row in expired) + timedelta(days=1)
    if not await _lapse(step, registration, ended_on):
        raise _NothingDone
    description = f"注册有效期届满未延续，注册于{ended_on}失效"
    await step.trail(person.id, TrailAction.REGISTRATION_LAPSED, description, "系统")
    text = (
        f"您的一级建造师注册（{registration.number}）因注册有效期届满未延续，已于{ended_on:%Y年%m月%d日}失效，"
        "电子证书同时失效。如需继续执业，请申请重新注册。"
    )
    await accounts.notify_by_sms(step, person.mobile, text)
    return 1


async def _lapse(step: BusinessStep, registration: Registration, ended_on: date) -> bool:
    """ACTIVE → LAPSED (conditional) and the current certificate superseded, in the caller's unit of work."""
    now = clock.now()
    updated = await Registration.filter(id=registration.id, status=RegistrationStatus.ACTIVE).update(
        status=RegistrationStatus.LAPSED, ended_on=ended_on, updated_at=now
    )
    if updated != 1:
        return False
    await supersede_current(registration.id, SupersededReason.LAPSED)
    return True


def _name(code: str) -> str:
    known = filings.specialty(code)
    return known.name if known is not None else code
