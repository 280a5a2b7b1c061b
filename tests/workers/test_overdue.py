"""The overdue cron: filings past their deadline are flagged once, and each reviewer of the queue's scope (active,
with a mobile) gets one SMS per run with the count; a second run flags and sends nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.models import Application, ApplicationStatus, StaffRole
from domain import review
from domain.kernel import clock
from tests.domain.filings.helpers import make_person
from tests.domain.review.helpers import MINISTRY, at, key, queued, staff
from tests.filing_helpers import make_enterprise
from tests.helpers import Api, clear_dev_inbox
from tests.workers.burst import run_burst
from workers.review import flag_overdue_reviews

ENTERPRISE, SPECIALTY = ApplicationStatus.ENTERPRISE_CONFIRMATION, ApplicationStatus.SPECIALTY_REVIEW


async def test_overdue_filings_are_flagged_once_and_reviewers_told_once(api: Api, app: Any) -> None:
    clear_dev_inbox()
    person = await make_person()
    ours, theirs = await make_enterprise(), await make_enterprise()
    await staff(StaffRole.ENTERPRISE, ours.id, mobile="13700000001")
    await staff(StaffRole.ENTERPRISE, ours.id)  # no mobile: not told
    await staff(StaffRole.ENTERPRISE, ours.id, mobile="13700000002", active=False)
    await staff(StaffRole.ENTERPRISE, theirs.id, mobile="13700000003")
    await staff(StaffRole.SPECIALTY_MINISTRY, specialty_codes=["02", "03"], mobile="13700000004")
    await staff(StaffRole.SPECIALTY_MINISTRY, specialty_codes=["05"], mobile="13700000007")
    await staff(StaffRole.MINISTRY, mobile="13700000005")
    await staff(StaffRole.ADMIN, mobile="13700000006")
    past, today = clock.business_date() - timedelta(days=1), clock.business_date()
    ours_key = key(ENTERPRISE, f"E:{ours.id}")
    late = [await queued(person, ours_key, at(n), deadline=past) for n in range(2)]
    await queued(person, ours_key, at(5), deadline=today)  # due today: not late
    told = await queued(person, key(ENTERPRISE, f"E:{theirs.id}"), at(1), deadline=past)
    await Application.filter(id=told.id).update(overdue_notified_at=clock.now())  # flagged by an earlier run
    for scope in ("S:02", "S:03", "S:03"):
        late.append(await queued(person, key(SPECIALTY, scope), at(2), deadline=past))
    late.append(await queued(person, MINISTRY, at(3), deadline=past - timedelta(days=9)))

    assert await flag_overdue_reviews({"deps": app.state.deps}) == 6
    assert (await run_burst(app)).failed == 0

    expected = {"13700000001": 2, "13700000004": 3, "13700000005": 1}
    for n in range(1, 8):
        mobile = f"1370000000{n}"
        texts = [m["text"] for m in await api.sms_inbox(mobile)]
        if mobile in expected:
            assert len(texts) == 1 and review.overdue_text(expected[mobile]) in texts[0], (mobile, texts)
        else:
            assert texts == [], mobile
    flagged: list[Any] = list(await Application.filter(overdue_notified_at__isnull=False).values_list("id", flat=True))
    assert set(flagged) == {row.id for row in late} | {told.id}

    assert await flag_overdue_reviews({"deps": app.state.deps}) == 0  # run twice: told once
    await run_burst(app)
    assert [len(await api.sms_inbox(m)) for m in expected] == [1, 1, 1]


async def test_nothing_overdue_sends_nothing(api: Api, app: Any) -> None:
    clear_dev_inbox()
    person = await make_person()
    await staff(StaffRole.MINISTRY, mobile="13700000005")
    await queued(person, MINISTRY, at(0), deadline=clock.business_date() + timedelta(days=3))
    assert await review.flag_overdue(app.state.deps) == 0
    await run_burst(app)
    assert await api.sms_inbox("13700000005") == []
