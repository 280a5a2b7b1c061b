"""The review queue in keyset pages: every item exactly once in order while items are added and removed, the
overdue filter, and each role's scope (an enterprise never sees another's, a specialty reviewer only its own)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db.models import Application, ApplicationStatus, StaffRole
from domain import review
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.errors import DomainError
from tests.domain.filings.helpers import make_person
from tests.domain.review.helpers import MINISTRY, at, key, queued, staff
from tests.filing_helpers import make_enterprise

ENTERPRISE = ApplicationStatus.ENTERPRISE_CONFIRMATION
SPECIALTY = ApplicationStatus.SPECIALTY_REVIEW


async def all_pages(actor: Actor, first: int, between: Any = None, **kwargs: Any) -> list[int]:
    """Every page until the end, calling `between(page_number)` after each page; the ids in the order seen."""
    seen: list[int] = []
    after: str | None = None
    for number in range(1000):
        items, more = await review.review_queue(actor, review.QueueRequest(first=first, after=after, **kwargs))
        seen += [item.application.id for item in items]
        if between is not None:
            await between(number)
        if not more:
            return seen
        after = items[-1].cursor.text()
    raise AssertionError("no end")


async def test_pages_cover_every_item_once_in_order_while_items_are_added(app: Any) -> None:
    person = await make_person()
    ministry = await staff(StaffRole.MINISTRY)
    rows = [await queued(person, MINISTRY, at(minute)) for minute in range(0, 50, 2)]
    same_time = [await queued(person, MINISTRY, at(10)) for _ in range(3)]  # ties on the entry time: id decides
    added: list[Application] = []

    async def meanwhile(page: int) -> None:
        added.append(await queued(person, MINISTRY, at(100 + page)))  # a later entry: at the end
        if page == 1:
            await queued(person, MINISTRY, at(0) - timedelta(days=1))  # an earlier one: before the cursor, not seen
            await Application.filter(id=rows[-1].id).update(queue_key=None)  # decided meanwhile: leaves the queue

    seen = await all_pages(ministry, 4, meanwhile, stage=ApplicationStatus.MINISTRY_REVIEW)

    # Each item once, in (entry time, id) order: the ones added behind the cursor seen, except the one added after
    # the last page; the one added before the cursor and the one that left the queue not seen.
    expected = sorted([*rows[:-1], *same_time, *added[:-1]], key=lambda r: (r.stage_entered_at, r.id))
    assert seen == [r.id for r in expected]
    assert len(added) > 3


async def test_the_order_is_oldest_first_across_a_specialty_reviewers_queues(app: Any) -> None:
    person = await make_person()
    reviewer = await staff(StaffRole.SPECIALTY_MINISTRY, specialty_codes=["03", "02"])
    mine = [
        await queued(person, key(SPECIALTY, "S:02"), at(5)),
        await queued(person, key(SPECIALTY, "S:03"), at(1)),
        await queued(person, key(SPECIALTY, "S:02"), at(3)),
        await queued(person, key(SPECIALTY, "S:03"), at(7)),
    ]
    await queued(person, key(SPECIALTY, "S:05"), at(2))  # another specialty's
    await queued(person, MINISTRY, at(0))

    seen = await all_pages(reviewer, 3)

    assert seen == [r.id for r in sorted(mine, key=lambda r: r.stage_entered_at)]  # type: ignore[arg-type, return-value]
    request = review.QueueRequest(stage=None, first=10)
    assert await review.review_queue_count(reviewer, request) == 4
    assert await review.queue_keys(reviewer, None) == ["SPECIALTY_REVIEW|S:02", "SPECIALTY_REVIEW|S:03"]


async def test_an_enterprise_sees_only_its_own_employees_filings(app: Any) -> None:
    person = await make_person()
    ours, theirs = await make_enterprise(), await make_enterprise()
    reviewer = await staff(StaffRole.ENTERPRISE, enterprise_id=ours.id)
    own = await queued(person, key(ENTERPRISE, f"E:{ours.id}"), at(2))
    await queued(person, key(ENTERPRISE, f"E:{theirs.id}"), at(1))
    await queued(person, MINISTRY, at(0))

    assert await all_pages(reviewer, 10) == [own.id]
    assert await all_pages(reviewer, 10, stage=ENTERPRISE) == [own.id]
    with pytest.raises(DomainError) as refused:
        await review.review_queue(reviewer, review.QueueRequest(stage=ApplicationStatus.MINISTRY_REVIEW, first=10))
    assert refused.value.code.value == "FORBIDDEN"


async def test_roles_without_a_queue_and_stages_outside_the_role_are_forbidden(app: Any) -> None:
    person = await make_person()
    province = await staff(StaffRole.PROVINCE)
    ministry = await staff(StaffRole.MINISTRY)
    applicant = Actor(ActorKind.PERSON, person.id, 0)
    for actor, stage in ((province, None), (applicant, None), (ministry, ENTERPRISE), (ministry, SPECIALTY)):
        with pytest.raises(DomainError) as refused:
            await review.queue_keys(actor, stage)
        assert refused.value.code.value == "FORBIDDEN"
    with pytest.raises(DomainError) as nobody:
        await review.queue_keys(None, None)
    assert nobody.value.code.value == "UNAUTHENTICATED"
    nothing = await staff(StaffRole.SPECIALTY_MINISTRY)  # no specialties: an empty queue
    assert await all_pages(nothing, 5) == []


async def test_an_administrator_sees_every_queue(app: Any) -> None:
    person = await make_person()
    enterprise = await make_enterprise()
    admin = await staff(StaffRole.ADMIN)
    rows = [
        await queued(person, key(ENTERPRISE, f"E:{enterprise.id}"), at(3)),
        await queued(person, key(SPECIALTY, "S:02"), at(1)),
        await queued(person, MINISTRY, at(2)),
        await queued(person, key(ENTERPRISE, "E:999999"), at(0)),
    ]
    assert await all_pages(admin, 2) == [rows[3].id, rows[1].id, rows[2].id, rows[0].id]
    assert await all_pages(admin, 2, stage=ENTERPRISE) == [rows[3].id, rows[0].id]


async def test_overdue_items_only_earliest_deadline_first(app: Any) -> None:
    person = await make_person()
    ministry = await staff(StaffRole.MINISTRY)
    today = clock.business_date()
    late = await queued(person, MINISTRY, at(5), deadline=today - timedelta(days=3))
    later = await queued(person, MINISTRY, at(1), deadline=today - timedelta(days=1))
    latest = await queued(person, MINISTRY, at(9), deadline=today - timedelta(days=3))
    await queued(person, MINISTRY, at(0), deadline=today)  # due today: not overdue yet
    await queued(person, MINISTRY, at(2), deadline=today + timedelta(days=5))

    assert await all_pages(ministry, 1, overdue=True) == [late.id, latest.id, later.id]
    items, _more = await review.review_queue(ministry, review.QueueRequest(stage=None, first=10))
    flags = {item.application.id: (item.overdue, item.workdays_left) for item in items}
    assert flags[later.id][0] and flags[later.id][1] <= 0
    assert not any(overdue for i, (overdue, _left) in flags.items() if i not in {late.id, later.id, latest.id})
    assert await review.review_queue_count(ministry, review.QueueRequest(stage=None, first=1, overdue=True)) == 3


async def test_a_cursor_of_the_other_order_or_malformed_is_refused(app: Any) -> None:
    ministry = await staff(StaffRole.MINISTRY)
    refused = (
        ("E|2026-01-01T00:00:00+00:00|1", True),  # the other order
        ("D|x|1", False),
        ("E||", False),
        ("E|2026-01-01T00:00:00|1", False),  # no offset
        ("E|2026-01-01T00:00:00+00:00|99999999999", False),  # beyond 32-bit ids
        ("D|2026-01-01|١", True),  # not ASCII digits
    )
    for cursor, overdue in refused:
        with pytest.raises(DomainError):
            await review.review_queue(ministry, review.QueueRequest(stage=None, first=5, after=cursor, overdue=overdue))
