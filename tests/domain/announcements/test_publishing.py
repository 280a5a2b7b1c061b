"""发布公告 in the domain: approved filings batched into the year's next number (oldest decided first, capped, or the
ones named), each moved APPROVED → ANNOUNCED with its step, trail entry and event, in one unit of work; the
numbering under concurrency; nothing half-written when a publish fails."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio import Redis

from db.models import (
    Announcement,
    Application,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    StaffRole,
    StaffUser,
    TrailEntry,
)
from domain import announcements
from domain.kernel import clock, events
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from tests.holders import approved, person
from tests.workers.verification.helpers import drain

META = RequestMeta(ip="203.0.113.30", user_agent="announcement-test")


async def staff(role: StaffRole = StaffRole.MINISTRY) -> Actor:
    row, _ = await StaffUser.get_or_create(
        username=f"a-{role.value.lower()}", defaults={"display_name": "公告员", "role": role, "password_hash": "-"}
    )
    return Actor(kind=ActorKind.STAFF, id=row.id, session_id=0, role=role.value, label=row.display_name)


async def publish(app: Any, ids: tuple[int, ...] | None = None, actor: Actor | None = None, **kw: Any) -> Announcement:
    request = announcements.PublishRequest(application_ids=ids, **kw)
    return await announcements.publish(app.state.deps, actor or await staff(), request, META)


async def test_approved_filings_are_announced_oldest_decided_first(app: Any, redis: Redis) -> None:
    now = clock.now()
    late, early = await person("李雷"), await person("韩梅梅")
    second = await approved(late, decided_at=now - timedelta(days=1))
    first = await approved(early, kind=ApplicationKind.RENEWAL, decided_at=now - timedelta(days=3))
    pending = await approved(await person(), decided_at=now - timedelta(days=9))
    await Application.filter(id=pending.id).update(status=ApplicationStatus.MINISTRY_REVIEW)  # not decided yet
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(late.id), events.person_channel(early.id))

    row = await publish(app)

    assert (row.year, row.seq, row.application_count) == (clock.business_date().year, 1, 2)
    assert row.title == announcements.DEFAULT_TITLE
    number = f"住房和城乡建设部公告 {row.year}年第1号"
    assert announcements.number_text(row.year, row.seq) == number
    for filed in (first, second):
        fresh = await Application.get(id=filed.id)
        assert fresh.status is ApplicationStatus.ANNOUNCED and fresh.announcement_id == row.id  # type: ignore[attr-defined]
        assert fresh.version == filed.version + 1
        step = await ApplicationStep.get(application_id=filed.id)
        assert (step.stage, step.outcome.value, step.actor_role) == ("ANNOUNCEMENT", "DONE", "MINISTRY")
        assert step.comment == f"已列入{number}"
    assert (await Application.get(id=pending.id)).status is ApplicationStatus.MINISTRY_REVIEW
    trail = await TrailEntry.filter(action="APPLICATION_ANNOUNCED").order_by("person_id")
    assert [(t.person_id, t.actor) for t in trail] == [(late.id, "住房和城乡建设部"), (early.id, "住房和城乡建设部")]  # type: ignore[attr-defined]
    assert "延续注册申报" in next(t.description for t in trail if t.person_id == early.id)  # type: ignore[attr-defined]
    seen = sorted([(event["applicationId"], event["type"]) async for _channel, event in drain(pubsub)])
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    assert seen == sorted([(first.id, "application.step"), (second.id, "application.step")])


async def test_a_batch_is_capped_and_the_next_one_takes_the_rest(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "announcement_max_applications", 2)
    now = clock.now()
    rows = [await approved(await person(), decided_at=now - timedelta(hours=h)) for h in (1, 5, 3)]

    one, two = await publish(app), await publish(app)

    assert [(a.seq, a.application_count) for a in (one, two)] == [(1, 2), (2, 1)]
    by_announcement = {a.id: a.announcement_id for a in await Application.all()}  # type: ignore[attr-defined]
    assert [by_announcement[r.id] for r in rows] == [two.id, one.id, one.id]  # the oldest decided went first
    with pytest.raises(DomainError) as nothing:
        await publish(app)
    assert nothing.value.code is ErrorCode.NOTHING_TO_ANNOUNCE
    assert await Announcement.all().count() == 2  # the refused publish left no number behind


async def test_named_filings_are_announced_all_or_nothing(app: Any) -> None:
    a, b, c = [await approved(await person()) for _ in range(3)]
    row = await publish(app, (a.id, c.id, a.id), title="  关于张三等2人注册的公告  ")
    assert row.application_count == 2 and row.title == "关于张三等2人注册的公告"
    assert (await Application.get(id=b.id)).status is ApplicationStatus.APPROVED

    for ids, code in (((b.id, a.id), ErrorCode.APPLICATION_NOT_APPROVED), ((b.id, 99_999), ErrorCode.NOT_FOUND)):
        with pytest.raises(DomainError) as refused:
            await publish(app, ids)
        assert (refused.value.code, refused.value.field) == (code, "application_ids")
    assert (await Application.get(id=b.id)).status is ApplicationStatus.APPROVED  # nothing half-written
    assert await Announcement.all().count() == 1 and await ApplicationStep.filter(application_id=b.id).count() == 0


async def test_the_year_starts_a_new_sequence(app: Any) -> None:
    await approved(await person())
    assert (await publish(app)).seq == 1
    await Announcement.all().update(year=clock.business_date().year - 1, seq=7)  # last year's seventh
    await approved(await person())
    row = await publish(app)
    assert (row.year, row.seq) == (clock.business_date().year, 1)


async def test_only_ministry_staff_may_publish(app: Any) -> None:
    await approved(await person())
    person_actor = Actor(kind=ActorKind.PERSON, id=1, session_id=0)
    for actor, code in (
        (await staff(StaffRole.ENTERPRISE), ErrorCode.FORBIDDEN),
        (await staff(StaffRole.ADMIN), ErrorCode.FORBIDDEN),
        (await staff(StaffRole.SPECIALTY_MINISTRY), ErrorCode.FORBIDDEN),
        (person_actor, ErrorCode.FORBIDDEN),
    ):
        with pytest.raises(DomainError) as refused:
            await publish(app, actor=actor)
        assert refused.value.code is code
    with pytest.raises(DomainError) as anonymous:
        await announcements.publish(app.state.deps, None, announcements.PublishRequest(), META)
    assert anonymous.value.code is ErrorCode.UNAUTHENTICATED
    assert await Announcement.all().count() == 0


@pytest.mark.parametrize("title", ["公" * 201])
async def test_a_title_over_its_length_is_refused(app: Any, title: str) -> None:
    await approved(await person())
    with pytest.raises(DomainError) as refused:
        await publish(app, title=title)
    assert (refused.value.code, refused.value.field) == (ErrorCode.TEXT_TOO_LONG, "title")


async def test_concurrent_publishes_get_distinct_numbers_or_a_coded_error(app: Any) -> None:
    """Ten publishes at once over twenty approved filings: each filing in exactly one announcement, the numbers
    1..n without gaps or repeats, every loser a coded error (nothing half-written)."""
    for _ in range(20):
        await approved(await person())
    actor = await staff()
    request = announcements.PublishRequest()
    results = await asyncio.gather(
        *(announcements.publish(app.state.deps, actor, request, META) for _ in range(10)), return_exceptions=True
    )
    won = [r for r in results if isinstance(r, Announcement)]
    lost = [r for r in results if not isinstance(r, Announcement)]
    assert all(isinstance(e, DomainError) for e in lost), lost
    assert {e.code for e in lost if isinstance(e, DomainError)} <= {ErrorCode.NOTHING_TO_ANNOUNCE, ErrorCode.CONFLICT}
    rows = await Announcement.all().order_by("seq")
    assert [r.seq for r in rows] == list(range(1, len(won) + 1))
    assert sum(r.application_count for r in rows) == 20
    assert await Application.filter(status=ApplicationStatus.ANNOUNCED, announcement_id__isnull=False).count() == 20
    assert await ApplicationStep.filter(stage="ANNOUNCEMENT").count() == 20
    assert await TrailEntry.filter(action="APPLICATION_ANNOUNCED").count() == 20


async def test_concurrent_publishes_of_named_filings_each_get_a_number(app: Any) -> None:
    rows = [await approved(await person()) for _ in range(6)]
    actor = await staff()
    requests = [announcements.PublishRequest(application_ids=(r.id,)) for r in rows]
    results = await asyncio.gather(
        *(announcements.publish(app.state.deps, actor, request, META) for request in requests), return_exceptions=True
    )
    assert all(isinstance(r, Announcement) for r in results), results
    assert sorted(r.seq for r in results if isinstance(r, Announcement)) == [1, 2, 3, 4, 5, 6]
