"""SECURITY check 5: wrong guesses kill a code; Redis and the database hold no plaintext code."""

from __future__ import annotations

import json
import re
from typing import Any

from db.models import OutboxMessage, Person, TrailEntry
from domain.kernel import keys
from domain.kernel.settings import get_settings
from tests.graph.accounts.sms.helpers import NEW_MOBILE, OLD_MOBILE, change_mobile, codes_of, deliver, request_code
from tests.helpers import Api, sms_code_of
from tests.workers.burst import run_burst


def wrong_guesses(right: str, count: int) -> list[str]:
    """Distinct 6-digit codes, none of them the right one."""
    guesses = [f"{(int(right) + step * 7919) % 1_000_000:06d}" for step in range(1, count + 1)]
    assert right not in guesses and len(set(guesses)) == count
    return guesses


async def test_six_wrong_guesses_kill_the_code(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)

    for guess in wrong_guesses(code, 6):
        assert codes_of(await change_mobile(api, guess)) == ["SMS_CODE_INVALID"]

    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]  # even the right one
    assert (await Person.get()).mobile == OLD_MOBILE
    key = f"sms:code:CHANGE_MOBILE:{NEW_MOBILE}"
    redis = app.state.deps.redis
    limit = get_settings().sms_max_wrong_tries
    assert await redis.hgetall(key) == {b"tries": str(limit).encode()}  # dead: only the count of compared guesses
    assert 0 < await redis.ttl(key) <= get_settings().sms_code_ttl_s


async def test_a_few_wrong_guesses_leave_the_code_usable(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    for guess in wrong_guesses(code, get_settings().sms_max_wrong_tries - 1):
        assert codes_of(await change_mobile(api, guess)) == ["SMS_CODE_INVALID"]

    assert (await change_mobile(api, code))["errors"] == []


async def _all_redis_data(redis: Any) -> list[bytes]:
    """Every key and every value in the Redis database, whatever its type."""
    found: list[bytes] = []
    async for key in redis.scan_iter(count=500):
        found.append(key)
        kind = (await redis.type(key)).decode()
        if kind == "string":
            found.append(await redis.get(key))
        elif kind == "hash":
            for field, value in (await redis.hgetall(key)).items():
                found += [field, value]
        elif kind == "list":
            found += await redis.lrange(key, 0, -1)
        elif kind == "set":
            found += list(await redis.smembers(key))
        elif kind == "zset":
            found += [member for member, _ in await redis.zrange(key, 0, -1, withscores=True)]
        else:
            raise AssertionError(f"unexpected Redis type {kind} at {key!r}")
    return found


async def test_redis_and_database_hold_no_plaintext_code(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    [queued] = await OutboxMessage.filter(done_at=None)  # not the registration code, delivered already
    await run_burst(app)
    code = sms_code_of((await api.sms_inbox(NEW_MOBILE))[0])
    redis = app.state.deps.redis
    standalone = re.compile(rb"(?<!\d)" + code.encode() + rb"(?!\d)")

    data = await _all_redis_data(redis)

    assert any(key.startswith(b"sms:code:") for key in data)
    assert not [item for item in data if item and standalone.search(item)]
    stored = await redis.hgetall(f"sms:code:CHANGE_MOBILE:{NEW_MOBILE}")
    assert set(stored) == {b"digest", b"tries", b"expires_at"}
    assert re.fullmatch(rb"[0-9a-f]{64}", stored[b"digest"])
    assert keys.decrypt(queued.payload["text"]).count(code) == 1  # queued as ciphertext…
    assert code not in json.dumps(queued.payload)
    done = await OutboxMessage.get(id=queued.id)
    assert done.payload["text"] is None  # …and wiped once sent
    trail_text = " ".join(str(d) for d in await TrailEntry.all().values_list("description", flat=True))
    assert code not in trail_text
