"""Shared steps of the SMS-code tests: requestSmsCode, the worker's delivery to the dev inbox, changeMobile."""

from __future__ import annotations

from typing import Any

from domain.kernel import clock
from tests.helpers import CHANGE_MOBILE, REQUEST_SMS, Api, sms_code_of
from tests.workers.burst import run_burst

OLD_MOBILE = "13800138001"
NEW_MOBILE = "13912345678"
OTHER_MOBILE = "13700001111"


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


async def reset_interval(app: Any, mobile: str) -> None:
    """The 60 s between sends pass (Redis would expire the key; the fake clock only moves our own time)."""
    clock.advance(61)
    await app.state.deps.redis.delete(f"sms:interval:{mobile}", f"sms:interval:register:{mobile}")
