"""Two business steps of one person at once on PostgreSQL, each inserting a row that references the person (a
session, as `login` does) before appending to the trail. Each insert holds a KEY SHARE lock on the person row; the
chain's lock (FOR NO KEY UPDATE) does not conflict with it, so the second append waits for the first to commit.
With FOR UPDATE the two deadlocked (an INTERNAL_SERVER_ERROR, seen under the peak-day load run's login storm on
the scale path). The steps are ordered by events, never by sleeps."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from db.models import Person, TrailEntry
from domain import trail
from domain.accounts import sessions
from domain.kernel.actors import RequestMeta
from domain.trail.chain import append
from tests.conftest import BACKEND
from tests.helpers import VALID_ID_2, Api

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="row locks: SQLite serializes writers (BEGIN IMMEDIATE)")
META = RequestMeta("198.51.100.21", "pytest concurrent trail")


async def test_steps_that_reference_the_person_before_appending_do_not_deadlock(api: Api) -> None:
    await api.signed_up(id_number=VALID_ID_2, mobile="13800138021")
    person = await Person.get(mobile="13800138021")
    before = await TrailEntry.filter(person_id=person.id).count()
    first_inserted, second_inserted = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with in_transaction():
            await sessions.open_session(META, person=person)
            first_inserted.set()
            await second_inserted.wait()  # both transactions now hold a KEY SHARE lock on the person
            await append(person.id, trail.TrailAction.LOGIN_SUCCEEDED, "登录成功", META)

    async def second() -> None:
        await first_inserted.wait()
        async with in_transaction():
            await sessions.open_session(META, person=person)
            second_inserted.set()
            await append(person.id, trail.TrailAction.LOGIN_SUCCEEDED, "登录成功", META)

    await asyncio.wait_for(asyncio.gather(first(), second()), timeout=30)
    seqs = [entry.seq for entry in await TrailEntry.filter(person_id=person.id).order_by("seq")]
    assert seqs == list(range(1, before + 3))
    assert await trail.verify_all() == []
