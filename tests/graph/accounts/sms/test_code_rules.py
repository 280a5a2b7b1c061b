"""SMS verification codes end to end (SECURITY checks 4, 5, 6): requestSmsCode → worker → dev inbox → changeMobile."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest

from db.models import OutboxMessage, Person, TrailEntry
from domain.accounts import sms_codes
from domain.accounts.sms_delivery import DevInboxGateway
from domain.kernel import clock, keys
from domain.kernel.actors import RequestMeta
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from tests.helpers import CHANGE_MOBILE, REQUEST_SMS, VIEWER, Api, clear_dev_inbox, sms_code_of
from tests.workers.burst import run_burst

OLD_MOBILE = "13800138001"
NEW_MOBILE = "13912345678"
OTHER_MOBILE = "13700001111"


@pytest.fixture(autouse=True)
def empty_inbox() -> None:
    clear_dev_inbox()


async def request_code(api: Api, mobile: str | None = NEW_MOBILE, purpose: str = "CHANGE_MOBILE") -> dict[str, Any]:
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": purpose, "mobile": mobile}})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["requestSmsCode"]
    return result


async def deliver(api: Api, app: Any, mobile: str = NEW_MOBILE) -> str:
    """Run the worker, then read the newest code sent to the number (as a person reads their phone)."""
    await run_burst(app)
    messages = await api.sms_inbox(mobile)
    assert messages, f"no SMS delivered to {mobile}"
    return sms_code_of(messages[0])


async def change_mobile(api: Api, code: str, mobile: str = NEW_MOBILE, token: str | None = None) -> dict[str, Any]:
    body = await api.gql(CHANGE_MOBILE, {"input": {"newMobile": mobile, "smsCode": code}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["changeMobile"]
    return result


def codes_of(result: dict[str, Any]) -> list[str]:
    return [error["code"] for error in result["errors"]]


def wrong_guesses(right: str, count: int) -> list[str]:
    """Distinct 6-digit codes, none of them the right one."""
    guesses = [f"{(int(right) + step * 7919) % 1_000_000:06d}" for step in range(1, count + 1)]
    assert right not in guesses and len(set(guesses)) == count
    return guesses


async def reset_interval(app: Any, mobile: str) -> None:
    """The 60 s between sends pass (Redis would expire the key; the fake clock only moves our own time)."""
    clock.advance(61)
    await app.state.deps.redis.delete(f"sms:interval:{mobile}")


# --- changeMobile end to end -------------------------------------------------------------------------------


async def test_change_mobile_end_to_end(api: Api, app: Any) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    other_session = (await api.login())["token"]
    assert (await api.gql(VIEWER, {"first": 1}, token=other_session))["data"]["viewer"] is not None

    sent = await request_code(api)
    assert sent["errors"] == [] and sent["sentTo"] == "139****5678"
    assert sent["resendAfterSeconds"] == 60
    code = await deliver(api, app)
    assert await api.sms_inbox(OLD_MOBILE) == []  # the code goes to the new number only

    changed = await change_mobile(api, code)

    assert changed["errors"] == [], changed
    assert changed["person"]["mobileMasked"] == "139****5678"
    assert (await Person.get()).mobile == NEW_MOBILE
    viewer = (await api.gql(VIEWER, {"first": 10}))["data"]["viewer"]
    assert viewer["mobileMasked"] == "139****5678"
    assert (await api.gql(VIEWER, {"first": 1}, token=other_session))["data"]["viewer"] is None  # revoked
    nodes = [edge["node"] for edge in viewer["trail"]["edges"]]
    assert [node["action"] for node in nodes[:2]] == ["MOBILE_CHANGED", "SMS_CODE_REQUESTED"]
    assert "138****8001" in nodes[0]["description"] and "139****5678" in nodes[0]["description"]
    assert all(NEW_MOBILE not in node["description"] for node in nodes)


async def test_change_mobile_refuses_the_current_number(api: Api) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    refused = await request_code(api, OLD_MOBILE)
    assert codes_of(refused) == ["MOBILE_UNCHANGED"]
    assert await OutboxMessage.all().count() == 0
    missing = await request_code(api, None)
    assert codes_of(missing) == ["INVALID_MOBILE"]
    malformed = await request_code(api, "12345")
    assert codes_of(malformed) == ["INVALID_MOBILE"]
    assert all(re.search(r"[\u4e00-\u9fff]", e["message"]) for e in missing["errors"] + malformed["errors"])


async def test_request_sms_code_needs_a_login(api: Api) -> None:
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "FILING"}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await OutboxMessage.all().count() == 0


# --- check 4: expiry, reuse, purpose, mobile, resend ---------------------------------------------------------


async def test_code_fails_after_expiry(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    clock.advance(get_settings().sms_code_ttl_s + 1)

    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]
    assert (await Person.get()).mobile == OLD_MOBILE


async def test_code_works_just_before_expiry(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    clock.advance(get_settings().sms_code_ttl_s - 5)

    assert (await change_mobile(api, code))["errors"] == []


async def test_code_is_single_use(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    assert (await change_mobile(api, code))["errors"] == []

    # Spent: refused as a code (were it still valid, the answer would be MOBILE_UNCHANGED).
    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]


async def test_code_is_bound_to_its_mobile(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)

    assert codes_of(await change_mobile(api, code, mobile=OTHER_MOBILE)) == ["SMS_CODE_INVALID"]
    assert (await Person.get()).mobile == OLD_MOBILE
    assert (await change_mobile(api, code))["errors"] == []  # the code itself was good for its own number


async def test_code_is_bound_to_its_purpose(api: Api, app: Any) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    sent = await request_code(api, None, purpose="FILING")
    assert sent["errors"] == [] and sent["sentTo"] == "138****8001"
    code = await deliver(api, app, OLD_MOBILE)
    redis = app.state.deps.redis

    assert codes_of(await change_mobile(api, code, mobile=OLD_MOBILE)) == ["SMS_CODE_INVALID"]
    with pytest.raises(DomainError) as refused:
        await sms_codes.verify_code(redis, sms_codes.SmsPurpose.CHANGE_MOBILE.value, OLD_MOBILE, code)
    assert refused.value.code is ErrorCode.SMS_CODE_INVALID
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING:RENEWAL", OLD_MOBILE, code)  # bound to the filing kind too
    await sms_codes.verify_code(redis, sms_codes.SmsPurpose.FILING.value, OLD_MOBILE, code)  # accepted for its purpose


async def test_filing_kind_codes_do_not_cross(app: Any) -> None:
    redis = app.state.deps.redis
    meta = RequestMeta("203.0.113.10", "pytest")
    await sms_codes.send_code(app.state.deps, "FILING:INITIAL", OLD_MOBILE, meta)
    await run_burst(app)
    code = sms_code_of(DevInboxGateway().latest(OLD_MOBILE)[0])
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING:RENEWAL", OLD_MOBILE, code)
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING", OLD_MOBILE, code)
    await sms_codes.verify_code(redis, "FILING:INITIAL", OLD_MOBILE, code)


async def test_a_resend_kills_the_old_code(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    first = await deliver(api, app)
    assert codes_of(await request_code(api)) == ["SMS_TOO_SOON"]  # no resend within 60 s
    await reset_interval(app, NEW_MOBILE)
    assert (await request_code(api))["errors"] == []
    second = await deliver(api, app)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 2
    if first == second:  # 1 in a million: the same digits drawn twice prove nothing about replacement
        pytest.skip("the CSPRNG drew the same code twice")

    assert codes_of(await change_mobile(api, first)) == ["SMS_CODE_INVALID"]
    assert (await change_mobile(api, second))["errors"] == []


# --- check 5: wrong guesses, only hashes stored ---------------------------------------------------------------


async def test_six_wrong_guesses_kill_the_code(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)

    for guess in wrong_guesses(code, 6):
        assert codes_of(await change_mobile(api, guess)) == ["SMS_CODE_INVALID"]

    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]  # even the right one
    assert (await Person.get()).mobile == OLD_MOBILE
    assert not await app.state.deps.redis.exists(f"sms:code:CHANGE_MOBILE:{NEW_MOBILE}")


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
    [queued] = await OutboxMessage.all()
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
    [done] = await OutboxMessage.all()
    assert done.payload["text"] is None  # …and wiped once sent
    trail_text = " ".join(str(d) for d in await TrailEntry.all().values_list("description", flat=True))
    assert code not in trail_text


# --- check 6: send limits -------------------------------------------------------------------------------------


async def test_twenty_requests_in_a_minute_send_one_code(api: Api, app: Any) -> None:
    await api.signed_up()

    results = await asyncio.gather(*(request_code(api) for _ in range(20)))

    outcomes = sorted(tuple(codes_of(r)) for r in results)
    assert outcomes == [()] + [("SMS_TOO_SOON",)] * 19
    refused = [e for r in results for e in r["errors"]]
    assert all(e["message"] == "短信验证码发送过于频繁，请60秒后再试。" for e in refused)
    assert await OutboxMessage.all().count() == 1
    await run_burst(app)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1


async def test_daily_cap_per_mobile(api: Api, app: Any) -> None:
    await api.signed_up()
    cap = get_settings().sms_daily_cap_per_mobile
    for _ in range(cap):
        assert (await request_code(api))["errors"] == []
        await reset_interval(app, NEW_MOBILE)

    refused = await request_code(api)

    assert codes_of(refused) == ["SMS_DAILY_LIMIT"]
    assert refused["errors"][0]["message"] == "今日短信验证码发送次数已达上限，请明天再试。"
    assert await OutboxMessage.all().count() == cap
    await reset_interval(app, NEW_MOBILE)
    assert codes_of(await request_code(api)) == ["SMS_DAILY_LIMIT"]  # still today
    clock.advance(24 * 3600)  # a new day (and a new login: sessions last 12 h at most)
    api.token = (await api.login())["token"]
    assert (await request_code(api))["errors"] == []
    assert await OutboxMessage.all().count() == cap + 1


def mobiles(count: int) -> list[str]:
    return [f"135{n:08d}" for n in range(count)]


async def test_daily_cap_per_ip_across_two_hundred_mobiles(api: Api, app: Any) -> None:
    await api.signed_up()
    cap = get_settings().sms_daily_cap_per_ip
    targets = mobiles(200)
    results: list[dict[str, Any]] = []
    for start in range(0, len(targets), 25):
        results += await asyncio.gather(*(request_code(api, m) for m in targets[start : start + 25]))

    accepted = [m for m, r in zip(targets, results, strict=True) if r["errors"] == []]
    refused = [r for r in results if r["errors"]]
    assert len(accepted) == cap
    assert {tuple(codes_of(r)) for r in refused} == {("SMS_DAILY_LIMIT",)}
    assert await OutboxMessage.all().count() == cap
    await run_burst(app)
    delivered = [m for m in targets if await api.sms_inbox(m)]
    assert sorted(delivered) == sorted(accepted)

    # The limit is the IP's: from another address the person can still get a code, even to a number that
    # was refused above (a refused request does not use up that number's interval or daily count).
    refused_mobile = next(m for m in targets if m not in accepted)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        elsewhere = Api(client, app, token=api.token)
        assert (await request_code(elsewhere, refused_mobile))["errors"] == []
