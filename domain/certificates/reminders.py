"""续期提醒 (a daily cron): an SMS to the holder 90 and 30 days before a specialty's expiry (RENEWAL_REMINDER_DAYS),
each once per specialty and expiry (a RenewalReminder row, unique: inserted with the SMS in one unit of work, or
skipped), ACTIVE registrations and active specialties only (not those whose renewal is already filed), one SMS per
person per run listing the specialties.

A run that comes late sends the reminder of the nearest threshold only (no 90-day SMS at 25 days left); a renewal
moves the expiry, so the next expiry's reminders start afresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.exceptions import IntegrityError

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Person,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
    RenewalReminder,
)
from domain import accounts, filings
from domain.kernel import clock
from domain.kernel.deps import Deps
from domain.kernel.settings import get_settings
from domain.kernel.unit_of_work import unit_of_work

BATCH = 200  # registrations read per query


@dataclass(frozen=True)
class DueReminder:
    """One specialty's reminder due today: which threshold (days before expiry) applies."""

    specialty: RegisteredSpecialty
    days_before: int


def threshold(days_left: int, thresholds: list[int]) -> int | None:
    """The nearest threshold the specialty has reached (30 when 25 days are left), None when none yet or expired."""
    reached = [d for d in thresholds if 0 <= days_left <= d]
    return min(reached) if reached else None


def reminder_text(due: list[DueReminder]) -> str:
    """The SMS: every specialty with its expiry, and what to do."""
    listed = "，".join(f"{_name(d.specialty.specialty_code)}（{d.specialty.expires_on:%Y年%m月%d日}到期）" for d in due)
    closes = get_settings().filing_renewal_closes_days
    return f"您注册的一级建造师专业即将到期：{listed}。如需继续执业，请在到期{closes}日前申报延续注册。"


def _name(code: str) -> str:
    known = filings.specialty(code)
    return known.name if known is not None else code


async def send_renewal_reminders(deps: Deps) -> int:
    """Cron body: the reminders due today (business date), one SMS per person; how many SMS were sent."""
    today = clock.business_date()
    thresholds = sorted(set(get_settings().renewal_reminder_days))
    horizon = today + timedelta(days=max(thresholds))
    sent, after_id = 0, 0
    while ids := await _due_registrations(today, horizon, after_id):
        after_id = ids[-1]
        for person_id, due in (await _due_by_person(ids, today, horizon, thresholds)).items():
            sent += await _remind(deps, person_id, due)
    return sent


def _in_window(today: date, horizon: date) -> dict[str, object]:
    return {
        "active": True,
        "registration__status": RegistrationStatus.ACTIVE,
        "expires_on__gte": today,
        "expires_on__lte": horizon,
    }


async def _due_registrations(today: date, horizon: date, after_id: int) -> list[int]:
    """The next registrations (by id) with a specialty expiring within the window."""
    query = RegisteredSpecialty.filter(registration_id__gt=after_id, **_in_window(today, horizon))
    ids = await query.order_by("registration_id").distinct().limit(BATCH).values_list("registration_id", flat=True)
    return [int(i) for i in ids]  # type: ignore[call-overload]


async def _due_by_person(
    registration_ids: list[int], today: date, horizon: date, thresholds: list[int]
) -> dict[int, list[DueReminder]]:
    """The reminders not yet sent, grouped by holder."""
    rows = await RegisteredSpecialty.filter(registration_id__in=registration_ids, **_in_window(today, horizon))
    sent = {
        (r.registered_specialty_id, r.days_before, r.expires_on)  # type: ignore[attr-defined]
        for r in await RenewalReminder.filter(registered_specialty_id__in=[row.id for row in rows])
    }
    holders: dict[int, int] = dict(await Registration.filter(id__in=registration_ids).values_list("id", "person_id"))
    renewing = await renewing_specialties(list(holders.values()))
    grouped: dict[int, list[DueReminder]] = {}
    for row in sorted(rows, key=lambda r: (r.expires_on, r.specialty_code)):
        person_id = holders[row.registration_id]  # type: ignore[attr-defined]
        days = threshold((row.expires_on - today).days, thresholds)
        if days is None or (row.id, days, row.expires_on) in sent or (person_id, row.specialty_code) in renewing:
            continue
        grouped.setdefault(person_id, []).append(DueReminder(row, days))
    return grouped


async def renewing_specialties(person_ids: list[int]) -> set[tuple[int, str]]:
    """(person, specialty) of the renewals filed and not yet decided or applied: no reminder to file one, and no
    lapse meanwhile (a renewal filed in time and decided late is not a lapse)."""
    rows = await Application.filter(
        person_id__in=person_ids,
        kind=ApplicationKind.RENEWAL,
        status__in=[*filings.WITHDRAWABLE, ApplicationStatus.APPROVED, ApplicationStatus.ANNOUNCED],
        effect_applied_at__isnull=True,
    ).only("id", "person_id", "specialty_codes")
    return {(row.person_id, code) for row in rows for code in row.specialty_codes or []}  # type: ignore[attr-defined]


async def _remind(deps: Deps, person_id: int, due: list[DueReminder]) -> int:
    """The reminder rows and the SMS in one unit of work; 0 when another run recorded one of them first."""
    holder = await Person.get_or_none(id=person_id).only("id", "mobile")
    if holder is None:
        return 0
    try:
        async with unit_of_work(deps) as work:
            now = clock.now()
            for item in due:
                await RenewalReminder.create(
                    registered_specialty_id=item.specialty.id,
                    days_before=item.days_before,
                    expires_on=item.specialty.expires_on,
                    sent_at=now,
                )
            await accounts.notify_by_sms(work, holder.mobile, reminder_text(due))
    except IntegrityError:
        return 0
    return 1
