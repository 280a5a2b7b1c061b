"""Bench data through the real code: migrations, a person with a profile, a session, attachments, a trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from db.config import tortoise_config
from db.models import Attachment, AttachmentKind, Person, TrailEntry
from domain import accounts, trail
from domain.accounts import sessions
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.settings import get_settings
from domain.trail.chain import append

BENCH_META = RequestMeta(ip="203.0.113.10", user_agent="portal-bench/1.0 (httpx; in-process)")
BENCH_ID_NUMBER = "360426199101010071"
BENCH_PASSWORD = "Gongcheng#2026"
TRAIL_ACTIONS = (
    trail.TrailAction.LOGIN_SUCCEEDED,
    trail.TrailAction.SMS_CODE_REQUESTED,
    trail.TrailAction.PROFILE_UPDATED,
    trail.TrailAction.LOGIN_FAILED,
    trail.TrailAction.LOGOUT,
)
BULK_BATCH = 1000


@dataclass(frozen=True)
class Fixture:
    """What the bench requests with: the person and a valid Bearer token."""

    person_id: int
    session_id: int
    token: str


async def migrate_fresh() -> None:
    """Apply the real migrations to the (new, empty) database file."""
    from tortoise.migrations.api.migrate import migrate

    await migrate(config=tortoise_config(get_settings().database_target))


async def create_person() -> Person:
    """An applicant written the way registration writes one (with its REGISTER trail entry)."""
    resident = accounts.parse_id_number(BENCH_ID_NUMBER)
    async with in_transaction():
        person = await Person.create(
            real_name="张三",
            mobile="13800138001",
            password_hash=await accounts.hash_password(BENCH_PASSWORD),
            **accounts.id_number_columns(resident),
        )
        await append(person.id, trail.TrailAction.REGISTER, "注册账号，绑定手机138****8001", BENCH_META)
    return person


async def complete_profile(deps: Deps, actor: Actor) -> None:
    """Fill every profile field through the domain (so profileComplete is true)."""
    changes = accounts.ProfileChanges(
        ethnicity="汉族",
        email="zhangsan@example.com",
        education=accounts.Education.BACHELOR,
        degree=accounts.Degree.BACHELOR,
        school="同济大学",
    )
    await accounts.update_profile(deps, actor, changes, BENCH_META)


async def add_attachments(person_id: int) -> None:
    """One current attachment of each of the five kinds (rows only; the viewer query reads no files)."""
    now = clock.now()
    for index, kind in enumerate(AttachmentKind):
        await Attachment.create(
            person_id=person_id,
            kind=kind,
            storage_name=f"bench-{person_id}-{index}.jpg",
            content_type="image/jpeg",
            size_bytes=40_000 + index,
            width=413,
            height=579 + index,
            sha256=f"{index:064x}",
            current=True,
            created_at=now - timedelta(minutes=5 - index),
        )


async def append_trail(person_id: int, total: int) -> None:
    """Append entries one by one through the chain's `append` until the trail holds `total`."""
    have = await trail.count(person_id)
    for index in range(have, total):
        action = TRAIL_ACTIONS[index % len(TRAIL_ACTIONS)]
        async with in_transaction():
            await append(person_id, action, f"基准测试记录 #{index + 1}", BENCH_META)


def _chained_entries(person_id: int, last: TrailEntry, count: int) -> list[TrailEntry]:
    """`count` entries continuing the hash chain after `last`, hashed with `domain.trail.compute_hash`."""
    entries: list[TrailEntry] = []
    prev_hash, seq, start = last.entry_hash, last.seq, clock.now()
    for offset in range(count):
        action = TRAIL_ACTIONS[(seq + offset) % len(TRAIL_ACTIONS)]
        entry = TrailEntry(
            person_id=person_id,
            seq=seq + offset + 1,
            created_at=start + timedelta(microseconds=offset),
            action=action.value,
            description=f"基准测试记录 #{seq + offset + 1}",
            actor="本人",
            ip=BENCH_META.ip,
            user_agent=BENCH_META.user_agent,
            prev_hash=prev_hash,
        )
        entry.entry_hash = prev_hash = trail.compute_hash(entry, person_id)
        entries.append(entry)
    return entries


async def grow_trail(person_id: int, total: int) -> None:
    """Bulk-insert entries (a valid chain, head updated) until the trail holds `total`; verified after."""
    last = await TrailEntry.filter(person_id=person_id).order_by("-seq").first()
    assert last is not None, "grow_trail continues an existing chain"
    entries = _chained_entries(person_id, last, total - last.seq)
    async with in_transaction():  # entries and the chain head on the person row, as trail.append keeps them
        await TrailEntry.bulk_create(entries, batch_size=BULK_BATCH)
        await Person.filter(id=person_id).update(trail_head_seq=entries[-1].seq, trail_head_hash=entries[-1].entry_hash)
    broken = await trail.verify_person_chain(person_id)
    assert broken is None, f"bulk trail broke the hash chain: {broken}"
    assert await trail.count(person_id) == total


async def build_fixture(deps: Deps, trail_entries: int) -> Fixture:
    """Migrate, then a person with a full profile, five attachments, a session and `trail_entries` entries;
    `deps`: the portal app's (its lifespan runs), for the domain steps that take them."""
    await migrate_fresh()
    person = await create_person()
    issued = await sessions.open_session(BENCH_META, person=person)
    actor = Actor(ActorKind.PERSON, person.id, issued.session.id)
    await complete_profile(deps, actor)
    await add_attachments(person.id)
    await append_trail(person.id, trail_entries)
    return Fixture(person_id=person.id, session_id=issued.session.id, token=issued.token)


async def refresh_session(fixture: Fixture) -> None:
    """Mark the session as just seen, so no request in a measurement pays the once-a-minute touch."""
    from db.models import Session

    await Session.filter(id=fixture.session_id).update(last_seen_at=clock.now())
