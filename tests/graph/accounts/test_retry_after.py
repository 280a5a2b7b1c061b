"""Exact waits: SMS_TOO_SOON, ACCOUNT_LOCKED and TOO_MANY_REQUESTS carry `retryAfterSeconds`, read from the Redis
TTL of the limit in force, and the Chinese message names that wait (no fixed "60秒")."""

from __future__ import annotations

from typing import Any

from domain.kernel.errors import wait_text
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import client_at, make_id_number
from tests.helpers import Api

REQUEST_SMS = """mutation($input: RequestSmsCodeInput!) { requestSmsCode(input: $input) {
  errors { field code message retryAfterSeconds } sentTo } }"""
LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  errors { field code message retryAfterSeconds } token } }"""


async def _request_sms(api: Api) -> dict[str, Any]:
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "CHANGE_MOBILE", "mobile": "13912345678"}})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["requestSmsCode"]
    return result


async def _login(api: Api, id_number: str, password: str = "Wrong#guess00") -> dict[str, Any]:
    captcha_id, answer = await api.captcha()
    variables = {"input": {"idNumber": id_number, "password": password, "captchaId": captcha_id}}
    variables["input"]["captchaAnswer"] = answer
    body = await api.gql(LOGIN, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["login"]
    return result


def _only_error(result: dict[str, Any], code: str) -> dict[str, Any]:
    [error] = result["errors"]
    assert error["code"] == code, error
    return dict(error)


async def test_sms_too_soon_says_the_seconds_left(api: Api, app: Any) -> None:
    await api.signed_up()
    assert (await _request_sms(api))["errors"] == []
    interval = "sms:interval:13912345678"
    assert 0 < await app.state.deps.redis.ttl(interval) <= get_settings().sms_resend_interval_s
    await app.state.deps.redis.expire(interval, 45)

    error = _only_error(await _request_sms(api), "SMS_TOO_SOON")

    assert error["retryAfterSeconds"] in (44, 45)  # the TTL, rounded up
    assert error["message"] == f"短信验证码发送过于频繁，请在{error['retryAfterSeconds']}秒后重试。"
    assert "60秒" not in error["message"]


async def test_account_locked_says_the_time_left(api: Api, app: Any) -> None:
    await api.register()
    number = make_id_number()
    redis = app.state.deps.redis
    for i in range(get_settings().login_lock_threshold):
        async with client_at(api, f"198.51.100.{i + 1}") as client:
            assert _only_error(await _login(client, number), "INVALID_CREDENTIALS")["retryAfterSeconds"] is None
    [lock] = [key async for key in redis.scan_iter(match="login:lock:*")]

    first = _only_error(await _login(api, number), "ACCOUNT_LOCKED")
    assert 0 < first["retryAfterSeconds"] <= 60  # the first lock: one minute
    assert first["message"] == f"登录失败次数过多，账号已暂时锁定，请在{wait_text(first['retryAfterSeconds'])}后重试。"

    await redis.expire(lock, 3 * 3600)
    later = _only_error(await _login(api, number), "ACCOUNT_LOCKED")
    assert later["retryAfterSeconds"] in (3 * 3600 - 1, 3 * 3600)
    assert later["message"] == "登录失败次数过多，账号已暂时锁定，请在3小时后重试。"


async def test_ip_throttle_says_the_seconds_left(api: Api) -> None:
    limit = get_settings().login_ip_per_minute
    for n in range(limit):
        assert _only_error(await _login(api, make_id_number(sequence=f"{n + 100:03d}")), "INVALID_CREDENTIALS")

    error = _only_error(await _login(api, make_id_number(sequence="999")), "TOO_MANY_REQUESTS")

    assert 0 < error["retryAfterSeconds"] <= 60
    assert error["message"] == f"操作过于频繁，请在{wait_text(error['retryAfterSeconds'])}后重试。"


def test_wait_text() -> None:
    assert [wait_text(s) for s in (0, 1, 45, 60, 150, 3599, 3600, 3601, 5400, 86399, 86400)] == [
        "1秒",
        "1秒",
        "45秒",
        "1分钟",
        "2分30秒",
        "59分59秒",
        "1小时",
        "1小时1分钟",
        "1小时30分钟",
        "24小时",
        "24小时",
    ]
