"""Shared steps of the password-recovery tests: the two mutations over HTTP and reading the code from the dev inbox."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api, sms_code_of
from tests.workers.burst import run_burst

MOBILE = "13800138001"
REQUEST_RESET = """mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) {
  errors { field code message } ok resendAfterSeconds } }"""
RESET = """mutation($input: ResetPasswordInput!) { resetPassword(input: $input) {
  errors { field code message } ok } }"""


async def request_reset_response(api: Api, id_number: str, name: str = "张三") -> Any:
    """The raw HTTP response of requestPasswordReset with a fresh captcha."""
    captcha_id, answer = await api.captcha()
    variables = {"input": {"idNumber": id_number, "realName": name, "captchaId": captcha_id, "captchaAnswer": answer}}
    return await api.post(REQUEST_RESET, variables)


async def request_reset(api: Api, id_number: str, name: str = "张三") -> dict[str, Any]:
    response = await request_reset_response(api, id_number, name)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["requestPasswordReset"]
    return result


async def reset(api: Api, id_number: str, code: str, password: str, repeat: str | None = None) -> dict[str, Any]:
    form = {"idNumber": id_number, "smsCode": code, "newPassword": password, "repeatPassword": repeat or password}
    body = await api.gql(RESET, {"input": form})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["resetPassword"]
    return result


async def inbox_after_worker(api: Api, app: Any, mobile: str = MOBILE) -> list[dict[str, Any]]:
    """Run the worker, then read what reached the number (as a person reads their phone), the code that registered
    it left aside."""
    await run_burst(app)
    return [message for message in await api.sms_inbox(mobile) if "注册账号" not in message["text"]]


async def delivered_code(api: Api, app: Any, mobile: str = MOBILE) -> str:
    messages = await inbox_after_worker(api, app, mobile)
    assert messages, f"no SMS delivered to {mobile}"
    assert "找回登录密码" in messages[0]["text"]
    return sms_code_of(messages[0])
