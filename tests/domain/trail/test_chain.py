"""The operation trail's hash chain (SECURITY check 22): edits, deletions and reorders are found and named."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from pathlib import Path

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from db.models import Person, TrailEntry
from domain import trail
from domain.kernel.actors import RequestMeta
from domain.trail.chain import GENESIS_HASH, append
from tests.helpers import VALID_ID_2, Api

PROJECT_ROOT = Path(__file__).resolve().parents[3]
META = RequestMeta("198.51.100.20", "pytest trail")


async def person_with_trail(api: Api, id_number: str, mobile: str, extra_entries: int = 5) -> int:
    """A registered person (REGISTER, LOGIN_SUCCEEDED) plus a few more entries: seq 1 … extra + 2."""
    await api.signed_up(id_number=id_number, mobile=mobile)
    person = await Person.get(mobile=mobile)
    for n in range(extra_entries):
        async with in_transaction():
            await append(person.id, trail.TrailAction.PROFILE_UPDATED, f"修改个人基本信息：第{n + 1}次", META)
    return person.id


async def entry(person_id: int, seq: int) -> TrailEntry:
    return await TrailEntry.get(person_id=person_id, seq=seq)


async def raw_sql(statement: str) -> None:
    """Tampering straight in the database, as someone with SQL access would (bypassing the ORM and the app)."""
    await connections.get("default").execute_script(statement)


@pytest.fixture
async def chain(api: Api) -> int:
    person_id = await person_with_trail(api, "360426199101010071", "13800138001")
    assert await TrailEntry.filter(person_id=person_id).count() == 7
    return person_id


async def test_an_intact_chain_verifies(chain: int) -> None:
    assert await trail.verify_person_chain(chain) is None
    assert await trail.verify_all() == []
    entries = await TrailEntry.filter(person_id=chain).order_by("seq")
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))


async def test_an_edited_description_is_named(chain: int) -> None:
    target = await entry(chain, 4)
    await raw_sql(f"UPDATE trail_entry SET description = '修改个人基本信息：伪造' WHERE id = {target.id}")

    found = await trail.verify_person_chain(chain)

    assert found is not None
    assert (found.entry_id, found.seq, found.person_id) == (target.id, 4, chain)
    assert "修改" in found.reason


@pytest.mark.parametrize(
    ("column", "value"),
    [("ip", "'10.0.0.1'"), ("actor", "'工作人员 admin'"), ("action", "'LOGOUT'"), ("user_agent", "'x'")],
)
async def test_any_edited_field_is_named(chain: int, column: str, value: str) -> None:
    target = await entry(chain, 3)
    await raw_sql(f"UPDATE trail_entry SET {column} = {value} WHERE id = {target.id}")

    found = await trail.verify_person_chain(chain)

    assert found is not None and found.entry_id == target.id


async def test_an_edit_with_a_recomputed_own_hash_breaks_the_next_link(chain: int) -> None:
    """A forger who also fixes the edited entry's hash is caught by the following entry's link."""
    target = await entry(chain, 3)
    target.description = "修改个人基本信息：伪造"
    forged_hash = trail.compute_hash(target, chain)
    await raw_sql(
        f"UPDATE trail_entry SET description = '修改个人基本信息：伪造', entry_hash = '{forged_hash}' "
        f"WHERE id = {target.id}"
    )
    following = await entry(chain, 4)

    found = await trail.verify_person_chain(chain)

    assert found is not None and (found.entry_id, found.seq) == (following.id, 4)


async def test_a_deleted_entry_is_named_by_the_one_after_the_gap(chain: int) -> None:
    removed, after_gap = await entry(chain, 3), await entry(chain, 4)
    await raw_sql(f"DELETE FROM trail_entry WHERE id = {removed.id}")

    found = await trail.verify_person_chain(chain)

    assert found is not None and (found.entry_id, found.seq) == (after_gap.id, 4)
    assert "3" in found.reason


async def test_swapped_entries_are_named(chain: int) -> None:
    second, third = await entry(chain, 2), await entry(chain, 3)
    await raw_sql(f"UPDATE trail_entry SET seq = -1 WHERE id = {second.id}")
    await raw_sql(f"UPDATE trail_entry SET seq = 2 WHERE id = {third.id}")
    await raw_sql(f"UPDATE trail_entry SET seq = 3 WHERE id = {second.id}")

    found = await trail.verify_person_chain(chain)

    assert found is not None and (found.entry_id, found.seq) == (third.id, 2)


async def test_verify_all_names_one_break_per_broken_chain(api: Api, chain: int) -> None:
    intact = await person_with_trail(api, VALID_ID_2, "13800138002", extra_entries=2)
    target = await entry(chain, 5)
    await raw_sql(f"UPDATE trail_entry SET created_at = created_at WHERE id = {target.id}")  # a no-op stays fine
    assert await trail.verify_all() == []
    await raw_sql(f"UPDATE trail_entry SET description = '篡改' WHERE id = {target.id}")

    breaks = await trail.verify_all()

    assert [(b.person_id, b.entry_id) for b in breaks] == [(chain, target.id)]
    assert await trail.verify_person_chain(intact) is None


async def run_verify_trail() -> tuple[int, str]:
    """`python manage.py verify-trail` in a child process on the same database and settings."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "manage.py",
        "verify-trail",
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_the_verify_trail_command(api: Api, chain: int) -> None:
    code, output = await run_verify_trail()
    assert code == 0, output
    assert "完整" in output

    target = await entry(chain, 6)
    await raw_sql(f"UPDATE trail_entry SET description = '篡改' WHERE id = {target.id}")
    code, output = await run_verify_trail()

    assert code == 1, output
    assert f"person {chain}: first broken entry id={target.id} seq=6" in output


async def test_deleting_the_newest_entries_is_found_through_the_head(chain: int) -> None:
    """A chain cut at its end still links up; the head kept on the person row no longer matches it."""
    last_kept = await entry(chain, 5)
    await raw_sql(f"DELETE FROM trail_entry WHERE person_id = {chain} AND seq > 5")
    found = await trail.verify_person_chain(chain)
    assert found is not None
    assert (found.entry_id, found.seq) == (last_kept.id, 6)
    assert "2条记录缺失" in found.reason


async def test_rechaining_without_the_server_key_does_not_verify(chain: int) -> None:
    """Entry hashes are HMACs under the server key: a plain SHA-256 re-chain by a database user is caught."""
    import hashlib
    import json

    target = await entry(chain, 7)
    material = [
        chain,
        7,
        target.created_at.isoformat(timespec="microseconds"),
        target.action,
        "伪造",
        target.actor,
        target.ip,
        target.user_agent,
        target.prev_hash,
    ]
    forged = hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()
    await raw_sql(f"UPDATE trail_entry SET description = '伪造', entry_hash = '{forged}' WHERE id = {target.id}")
    await raw_sql(f"UPDATE person SET trail_head_hash = '{forged}' WHERE id = {chain}")
    found = await trail.verify_person_chain(chain)
    assert found is not None and found.entry_id == target.id
