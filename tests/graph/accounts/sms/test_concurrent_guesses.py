"""SECURITY check 26 for SMS codes: 40 concurrent requests against one code, after wrong guesses. Whatever the
interleaving: at most `sms_max_wrong_tries` guesses compared, at most one success, no 5xx, no key without expiry.
The assertions are invariants that hold for every order the requests may run in."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from db.models import Person
from domain.kernel.settings import get_settings
from tests.graph.accounts.sms.helpers import NEW_MOBILE, OLD_MOBILE, change_mobile, codes_of, deliver, request_code
from tests.graph.accounts.sms.test_guesses_and_storage import wrong_guesses
from tests.helpers import CHANGE_MOBILE, Api

CODE_KEY = f"sms:code:CHANGE_MOBILE:{NEW_MOBILE}"
CONCURRENT = 40


async def _ready_code(api: Api, app: Any, wrong_first: int) -> tuple[str, list[str]]:
    """A delivered code, `wrong_first` wrong guesses already made; returns it and unused wrong guesses."""
    await api.signed_up(mobile=OLD_MOBILE)
    await request_code(api)
    code = await deliver(api, app)
    guesses = wrong_guesses(code, wrong_first + CONCURRENT)
    for guess in guesses[:wrong_first]:
        assert codes_of(await change_mobile(api, guess)) == ["SMS_CODE_INVALID"]
    return code, guesses[wrong_first:]


async def _all_at_once(api: Api, codes: list[str]) -> list[httpx.Response]:
    """One changeMobile request per code, all in flight together."""

    async def one(code: str) -> httpx.Response:
        return await api.post(CHANGE_MOBILE, {"input": {"newMobile": NEW_MOBILE, "smsCode": code}})

    return list(await asyncio.gather(*(one(code) for code in codes)))


def _successes(responses: list[httpx.Response]) -> int:
    """Every answer is a 200 with a payload; the number of them without errors."""
    bodies = [response.json() for response in responses]
    assert [response.status_code for response in responses] == [200] * len(responses), [r.text for r in responses]
    assert all("errors" not in body for body in bodies), bodies
    results = [body["data"]["changeMobile"] for body in bodies]
    assert all(codes_of(result) in ([], ["SMS_CODE_INVALID"]) for result in results), results
    return sum(1 for result in results if result["errors"] == [])


async def _assert_every_key_expires(redis: Any) -> None:
    """No key of ours without a TTL (arq's own queue keys are not ours to expire)."""
    async for key in redis.scan_iter(count=500):
        if not key.startswith(b"arq:"):
            assert await redis.ttl(key) > 0, key


async def _compared_tries(redis: Any) -> int:
    """The guesses compared against a dead code (its hash keeps only the count)."""
    stored = await redis.hgetall(CODE_KEY)
    assert set(stored) == {b"tries"}, stored  # the digest is gone: the code is dead
    return int(stored[b"tries"])


async def test_right_code_after_the_limit_never_works_concurrently(api: Api, app: Any) -> None:
    limit = get_settings().sms_max_wrong_tries
    code, _unused = await _ready_code(api, app, wrong_first=limit)

    responses = await _all_at_once(api, [code] * CONCURRENT)

    assert _successes(responses) == 0
    assert (await Person.get()).mobile == OLD_MOBILE
    assert await _compared_tries(app.state.deps.redis) == limit
    await _assert_every_key_expires(app.state.deps.redis)


async def test_forty_concurrent_wrong_guesses_compare_at_most_the_limit(api: Api, app: Any) -> None:
    limit = get_settings().sms_max_wrong_tries
    _code, unused = await _ready_code(api, app, wrong_first=2)

    responses = await _all_at_once(api, unused[:CONCURRENT])

    assert _successes(responses) == 0
    assert await _compared_tries(app.state.deps.redis) == limit  # 2 before, 3 of the 40: the rest never compared
    await _assert_every_key_expires(app.state.deps.redis)


async def test_forty_concurrent_right_codes_succeed_once(api: Api, app: Any) -> None:
    code, _unused = await _ready_code(api, app, wrong_first=2)

    responses = await _all_at_once(api, [code] * CONCURRENT)

    assert _successes(responses) == 1
    assert (await Person.get()).mobile == NEW_MOBILE
    assert not await app.state.deps.redis.exists(CODE_KEY)
    await _assert_every_key_expires(app.state.deps.redis)


async def test_one_right_code_among_forty_guesses(api: Api, app: Any) -> None:
    """Success or not depends on the order; that the outcome and the stored state agree does not."""
    limit = get_settings().sms_max_wrong_tries
    code, unused = await _ready_code(api, app, wrong_first=2)
    mixed = unused[: CONCURRENT - 1]
    mixed.insert(CONCURRENT // 2, code)

    responses = await _all_at_once(api, mixed)

    succeeded = _successes(responses)
    assert succeeded in (0, 1)
    redis = app.state.deps.redis
    if succeeded:
        assert (await Person.get()).mobile == NEW_MOBILE
        assert not await redis.exists(CODE_KEY)
    else:
        assert (await Person.get()).mobile == OLD_MOBILE
        assert await _compared_tries(redis) == limit
    await _assert_every_key_expires(redis)
