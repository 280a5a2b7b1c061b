"""The operation trail (操作轨迹): append-only entries in one HMAC-SHA256 hash chain per person, and its verifier."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from db.models import Person, TrailEntry
from domain.kernel import clock, keys
from domain.kernel.actors import RequestMeta
from domain.trail.actions import TrailAction

GENESIS_HASH = "0" * 64


def _canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(entry: TrailEntry, person_id: int) -> str:
    """HMAC-SHA256 (server key) over every stored field and the previous hash: someone with write access to the
    database but not the key cannot rewrite an entry and re-chain the ones after it."""
    material = [
        person_id,
        entry.seq,
        _canonical_time(entry.created_at),
        entry.action,
        entry.description,
        entry.actor,
        entry.ip,
        entry.user_agent,
        entry.prev_hash,
    ]
    return hmac.new(
        keys.subkey("trail-chain"), json.dumps(material, ensure_ascii=False).encode(), hashlib.sha256
    ).hexdigest()


async def append(
    person_id: int, action: TrailAction, description: str, meta: RequestMeta, actor: str = "本人"
) -> TrailEntry:
    """Add an entry; call inside the business transaction. The person row lock orders concurrent appends."""
    # FOR NO KEY UPDATE (PostgreSQL): it excludes other appends but not the KEY SHARE lock that inserting a row
    # referencing the person takes (a session at login): with FOR UPDATE two such steps at once deadlocked.
    await Person.select_for_update(no_key=True).filter(id=person_id).only("id").first()
    last = await TrailEntry.filter(person_id=person_id).order_by("-seq").only("seq", "entry_hash").first()
    entry = TrailEntry(
        person_id=person_id,
        seq=(last.seq + 1) if last else 1,
        created_at=clock.now(),
        action=action.value,
        description=description[:200],
        actor=actor[:80],
        ip=meta.ip[:45],
        user_agent=meta.user_agent[:300],
        prev_hash=last.entry_hash if last else GENESIS_HASH,
    )
    entry.entry_hash = compute_hash(entry, person_id)
    await entry.save()
    await Person.filter(id=person_id).update(trail_head_seq=entry.seq, trail_head_hash=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose hash, link or sequence does not hold."""

    person_id: int
    entry_id: int
    seq: int
    reason: str


async def verify_person_chain(person_id: int) -> ChainBreak | None:
    """Walk one person's chain from the start, then compare its end with the head kept on the person."""
    expected_prev, expected_seq, last_id = GENESIS_HASH, 1, 0
    async for entry in TrailEntry.filter(person_id=person_id).order_by("seq", "id"):
        reason = None
        if entry.seq != expected_seq:
            reason = f"序号不连续：应为{expected_seq}，实为{entry.seq}"
        elif entry.prev_hash != expected_prev:
            reason = "前一条记录的哈希不匹配（记录被删除、插入或调换）"
        elif compute_hash(entry, person_id) != entry.entry_hash:
            reason = "记录内容与哈希不符（记录被修改）"
        if reason:
            return ChainBreak(person_id, entry.id, entry.seq, reason)
        expected_prev, expected_seq, last_id = entry.entry_hash, entry.seq + 1, entry.id
    head = await Person.get_or_none(id=person_id).only("id", "trail_head_seq", "trail_head_hash")
    if head is not None and (head.trail_head_seq, head.trail_head_hash) != (expected_seq - 1, expected_prev):
        missing = head.trail_head_seq - expected_seq + 1
        return ChainBreak(
            person_id, last_id, expected_seq, f"链尾与链头不符：第{expected_seq}条起的{missing}条记录缺失或被替换"
        )
    return None


async def verify_all() -> list[ChainBreak]:
    """Verify every person's chain; one break reported per broken chain."""
    breaks = []
    person_ids: list[int] = await TrailEntry.all().distinct().values_list("person_id", flat=True)  # type: ignore[assignment]
    for person_id in sorted(set(person_ids)):
        found = await verify_person_chain(person_id)
        if found:
            breaks.append(found)
    return breaks
