"""login (SECURITY check 1): tokens, the account lock and its back-off, the per-IP throttle, the audit log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from domain.accounts import login
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import (
    audit_records,
    client_at,
    codes,
    login_code,
    make_id_number,
    pk_of,
    trail,
    viewer_id,
)
from tests.helpers import PASSWORD, VALID_ID, Api


async def test_login_sets_token_and_viewer(api: Api) -> None:
    await api.register()
    result = await api.login()
    assert result["errors"] == []
    assert result["viewer"]["idNumberMasked"] == "3604**********0071"
    assert await viewer_id(api, result["token"]) == result["viewer"]["id"]


async def test_login_with_malformed_id_number_is_a_user_error(api: Api) -> None:
    result = await api.login(id_number="not-an-id")
    assert codes(result) == ["INVALID_ID_NUMBER"]
    assert result["token"] is None


async def test_check1_rotating_ips_lock_the_account_and_every_attempt_is_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    """SECURITY check 1: 30 wrong passwords for one account from 30 addresses → locked past the threshold."""
    caplog.set_level(logging.INFO, logger="portal.audit")
    token = await api.signed_up()
    person_pk = pk_of(await viewer_id(api, token) or "")
    caplog.clear()
    threshold = get_settings().login_lock_threshold
    assert 1 <= threshold <= 10

    ips = [f"198.51.100.{i}" for i in range(1, 31)]
    seen = []
    for i, ip in enumerate(ips):
        async with client_at(api, ip) as attacker:
            payload = await attacker.login(password=f"Wrong#guess{i:02d}")
            assert payload["token"] is None and payload["viewer"] is None
            seen.append(codes(payload))
    assert seen == [["INVALID_CREDENTIALS"]] * threshold + [["ACCOUNT_LOCKED"]] * (30 - threshold)

    async with client_at(api, "198.51.100.200") as owner:  # even the right password waits for the lock
        assert await login_code(owner, VALID_ID, PASSWORD) == "ACCOUNT_LOCKED"
    ips.append("198.51.100.200")

    records = audit_records(caplog, "login")
    assert [r["ip"] for r in records] == ips
    assert [r["outcome"] for r in records] == ["failure"] * threshold + ["locked"] * (31 - threshold)
    assert {r["actor"] for r in records} == {f"person:{person_pk}"}
    for record in records:
        assert record["time"].endswith("+00:00")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Wrong#guess" not in logged and PASSWORD not in logged and VALID_ID not in logged

    entries = [e for e in await trail(api, token) if e["action"] in ("LOGIN_FAILED", "LOGIN_LOCKED")]
    # one entry per lock episode (when the lock starts), not one per refused attempt
    assert [e["action"] for e in entries] == ["LOGIN_FAILED"] * threshold + ["LOGIN_LOCKED"]
    assert [e["ip"] for e in entries] == [*ips[:threshold], ips[threshold - 1]]
    assert await viewer_id(api, token) is not None  # the lock stops guessing, not the owner's open session


async def test_lock_backs_off_and_a_success_resets_the_count(api: Api, redis: Any) -> None:
    await api.register()
    threshold = get_settings().login_lock_threshold
    attempt = 0

    async def wrong(expected: str) -> None:
        nonlocal attempt
        attempt += 1
        async with client_at(api, f"198.51.100.{attempt}") as attacker:
            assert await login_code(attacker, VALID_ID, "Wrong#guess00") == expected

    async def expire_lock(max_ttl_s: int, min_ttl_s: int = 1) -> None:
        [key] = await redis.keys("login:lock:*")
        assert min_ttl_s <= await redis.ttl(key) <= max_ttl_s
        await redis.delete(key)  # the lock runs out

    for _ in range(threshold):
        await wrong("INVALID_CREDENTIALS")
    await wrong("ACCOUNT_LOCKED")
    await expire_lock(60)
    for _ in range(threshold):
        await wrong("INVALID_CREDENTIALS")
    await wrong("ACCOUNT_LOCKED")
    await expire_lock(120, 61)  # second lock doubles
    async with client_at(api, "198.51.100.250") as owner:
        assert await login_code(owner, VALID_ID, PASSWORD) is None
    for _ in range(threshold):  # the count restarted at zero after the success
        await wrong("INVALID_CREDENTIALS")
    await expire_lock(60)


def test_lock_seconds_back_off_has_a_hard_cap() -> None:
    settings = get_settings()
    threshold, cap = settings.login_lock_threshold, settings.login_max_failures
    assert cap <= 100
    assert [login.lock_seconds(n) for n in range(threshold)] == [0] * threshold
    assert login.lock_seconds(threshold) == 60
    assert login.lock_seconds(threshold + 1) == 0
    assert login.lock_seconds(2 * threshold) == 120
    assert login.lock_seconds(3 * threshold) == 240
    locks = [login.lock_seconds(n) for n in range(threshold, cap, threshold)]
    assert locks == sorted(locks)
    assert all(0 < lock <= login.MAX_LOCK_S for lock in locks)
    assert login.lock_seconds(cap) == login.MAX_LOCK_S == 24 * 3600
    assert login.lock_seconds(cap + 1) == login.MAX_LOCK_S  # past the cap every failure locks for a day


async def test_per_ip_throttle(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    token = await api.signed_up()
    caplog.clear()
    limit, threshold = get_settings().login_ip_per_minute, get_settings().login_lock_threshold
    target = make_id_number(sequence="901")
    results = [await login_code(api, target, "Wrong#guess00") for _ in range(limit - 1)]
    # with the owner's login, `limit` attempts so far; refused attempts at a locked account count too
    assert results == ["INVALID_CREDENTIALS"] * threshold + ["ACCOUNT_LOCKED"] * (limit - 1 - threshold)
    assert await login_code(api, make_id_number(sequence="902"), "Wrong#guess00") == "TOO_MANY_REQUESTS"
    assert await login_code(api, VALID_ID, PASSWORD) == "TOO_MANY_REQUESTS"  # right password, same address
    async with client_at(api, "198.51.100.77") as elsewhere:
        assert await login_code(elsewhere, VALID_ID, PASSWORD) is None

    records = audit_records(caplog, "login")
    throttled = [r for r in records if r["outcome"] == "throttled"]
    assert len(throttled) == 2
    assert {r["ip"] for r in throttled} == {"203.0.113.10"}
    entries = [e for e in await trail(api, token) if e["action"] == "LOGIN_LOCKED"]
    assert [e["ip"] for e in entries] == ["203.0.113.10"]
    assert "频繁" in entries[0]["description"]
