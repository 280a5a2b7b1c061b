"""超期提醒: a cron flags the filings past their stage's working-day deadline, once each (`overdue_notified_at`,
reset when a filing enters a stage), and tells the stage's reviewers: one SMS per reviewer per run with the count
of their newly overdue filings, to each active staff user of the queue's scope who has a mobile. Flags and notices
are written in one unit of work, so a run that fails sends nothing and the next one does it; a second run finds
nothing new."""

from __future__ import annotations

from collections import Counter

from db.models import Application, ApplicationStatus, StaffRole, StaffUser
from domain import accounts, filings
from domain.kernel import clock
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.review.queue import distinct_keys
from domain.trail import business_step

SYSTEM = RequestMeta.internal("overdue")
STAGE_ROLES = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: StaffRole.ENTERPRISE,
    ApplicationStatus.SPECIALTY_REVIEW: StaffRole.SPECIALTY_MINISTRY,
    ApplicationStatus.MINISTRY_REVIEW: StaffRole.MINISTRY,
}


def overdue_text(count: int) -> str:
    """The reviewer's notice."""
    return f"您有{count}件注册申报已超过审查办理期限，请尽快登录系统办理。"


async def flag_overdue(deps: Deps) -> int:
    """Flag every filing newly past its deadline and notify its reviewers; how many filings were flagged."""
    today, now = clock.business_date(), clock.now()
    flagged: Counter[str] = Counter()
    async with business_step(deps, SYSTEM) as step:
        for stage in filings.REVIEW_STAGES:
            for key in await distinct_keys(stage):
                flagged[key] = await Application.filter(
                    queue_key=key, stage_deadline_on__lt=today, overdue_notified_at__isnull=True
                ).update(overdue_notified_at=now)
        for mobile, count in (await reviewer_counts(+flagged)).items():
            await accounts.notify_by_sms(step, mobile, overdue_text(count))
    return sum(flagged.values())


async def reviewer_counts(flagged: Counter[str]) -> dict[str, int]:
    """Each reviewer's mobile and the sum of the newly overdue filings over the queues they read."""
    counts: Counter[str] = Counter()
    if not flagged:
        return {}
    staff = await StaffUser.filter(active=True, mobile__not_isnull=True, role__in=list(STAGE_ROLES.values())).order_by(
        "id"
    )
    for member in staff:
        if member.mobile:
            total = sum(flagged.get(key, 0) for key in keys_of(member))
            if total:
                counts[member.mobile] += total
    return dict(counts)


def keys_of(member: StaffUser) -> list[str]:
    """The queues a staff member reviews (as domain.review.queue reads them for its role)."""
    role = StaffRole(member.role)
    if role is StaffRole.ENTERPRISE:
        enterprise_id = member.enterprise_id  # type: ignore[attr-defined]
        stage = ApplicationStatus.ENTERPRISE_CONFIRMATION
        return [filings.queue_key(stage, f"E:{enterprise_id}")] if enterprise_id is not None else []
    if role is StaffRole.SPECIALTY_MINISTRY:
        codes = member.specialty_codes or []
        return [filings.queue_key(ApplicationStatus.SPECIALTY_REVIEW, f"S:{code}") for code in codes]
    return [filings.queue_key(ApplicationStatus.MINISTRY_REVIEW, filings.MINISTRY_SCOPE)]
