"""SECURITY check 6: SMS send limits per mobile (interval, daily cap) and per IP address."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from db.models import OutboxMessage
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.graph.accounts.sms.helpers import NEW_MOBILE, codes_of, request_code, reset_interval
from tests.helpers import Api
from tests.workers.burst import run_burst


async def test_twenty_requests_in_a_minute_send_one_code(api: Api, app: Any) -> None:
    await api.signed_up()
    registered = await OutboxMessage.all().count()  # the registration code

    results = await asyncio.gather(*(request_code(api) for _ in range(20)))

    outcomes = sorted(tuple(codes_of(r)) for r in results)
    assert outcomes == [()] + [("SMS_TOO_SOON",)] * 19
    refused = [e for r in results for e in r["errors"]]
    waits = [re.fullmatch(r"短信验证码发送过于频繁，请在(\d+秒|1分钟)后重试。", e["message"]) for e in refused]
    assert all(waits), refused  # the real wait left, at most the interval
    assert await OutboxMessage.all().count() == registered + 1
    await run_burst(app)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1


async def test_daily_cap_per_mobile(api: Api, app: Any) -> None:
    await api.signed_up()
    registered = await OutboxMessage.all().count()  # the registration code, to the old number
    cap = get_settings().sms_daily_cap_per_mobile
    for _ in range(cap):
        assert (await request_code(api))["errors"] == []
        await reset_interval(app, NEW_MOBILE)

    refused = await request_code(api)

    assert codes_of(refused) == ["SMS_DAILY_LIMIT"]
    assert refused["errors"][0]["message"] == "今日短信验证码发送次数已达上限，请明天再试。"
    assert await OutboxMessage.all().count() == registered + cap
    await reset_interval(app, NEW_MOBILE)
    assert codes_of(await request_code(api)) == ["SMS_DAILY_LIMIT"]  # still today
    clock.advance(24 * 3600)  # a new day (and a new login: sessions last 12 h at most)
    api.token = (await api.login())["token"]
    assert (await request_code(api))["errors"] == []
    assert await OutboxMessage.all().count() == registered + cap + 1


def mobiles(count: int) -> list[str]:
    return [f"135{n:08d}" for n in range(count)]


async def test_daily_cap_per_ip_across_two_hundred_mobiles(api: Api, app: Any) -> None:
    await api.signed_up()
    registered = await OutboxMessage.all().count()
    cap = get_settings().sms_daily_cap_per_ip - registered  # the registration code came from this address too
    targets = mobiles(200)
    results: list[dict[str, Any]] = []
    for start in range(0, len(targets), 25):
        results += await asyncio.gather(*(request_code(api, m) for m in targets[start : start + 25]))

    accepted = [m for m, r in zip(targets, results, strict=True) if r["errors"] == []]
    refused = [r for r in results if r["errors"]]
    assert len(accepted) == cap
    assert {tuple(codes_of(r)) for r in refused} == {("SMS_DAILY_LIMIT",)}
    assert await OutboxMessage.all().count() == registered + cap
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
