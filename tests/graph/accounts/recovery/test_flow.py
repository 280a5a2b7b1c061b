"""Password recovery over HTTP: the whole flow (code read from GET /dev/sms), every session ended, the trail and
the audit log; a wrong, expired or reused code; a weak or mismatched password."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from domain.kernel import clock
from tests.graph.accounts.helpers import NEW_PASSWORD, audit_records, codes, login_code, trail, viewer_id
from tests.graph.accounts.recovery.helpers import delivered_code, inbox_after_worker, request_reset, reset
from tests.helpers import PASSWORD, REQUEST_SMS, VALID_ID, VALID_ID_2, Api, sms_code_of


async def test_whole_flow_ends_every_session(api: Api, app: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    first = await api.signed_up()
    second = (await api.login())["token"]
    assert await viewer_id(api, first) and await viewer_id(api, second)

    answer = await request_reset(api, VALID_ID)
    assert answer == {"errors": [], "ok": True, "resendAfterSeconds": 60}
    code = await delivered_code(api, app)

    assert codes(await reset(api, VALID_ID, code, NEW_PASSWORD, "Other#Mima2026")) == ["PASSWORD_MISMATCH"]
    weak = await reset(api, VALID_ID, code, "12345678")
    assert codes(weak) == ["WEAK_PASSWORD"] and weak["errors"][0]["field"] == ["newPassword"]
    assert await reset(api, VALID_ID, code, NEW_PASSWORD) == {"errors": [], "ok": True}  # the code still worked

    assert await viewer_id(api, first) is None and await viewer_id(api, second) is None
    assert await login_code(api, VALID_ID, PASSWORD) == "INVALID_CREDENTIALS"
    assert await login_code(api, VALID_ID, NEW_PASSWORD) is None
    assert codes(await reset(api, VALID_ID, code, "Third#Mima2026")) == ["SMS_CODE_INVALID"]  # single use

    fresh = (await api.login(password=NEW_PASSWORD))["token"]
    actions = {entry["action"]: entry["description"] for entry in await trail(api, fresh)}
    assert actions["PASSWORD_RESET_REQUESTED"] == "找回密码：验证码已发送至138****8001"
    # every session: the one registering opened and the two logins
    assert actions["PASSWORD_RESET"] == "通过短信验证码重设登录密码，结束全部会话3个"
    assert [r["outcome"] for r in audit_records(caplog, "password_reset_request")] == ["sent"]
    assert [r["outcome"] for r in audit_records(caplog, "password_reset")] == ["success", "failure"]
    assert code not in caplog.text and NEW_PASSWORD not in caplog.text


async def test_wrong_expired_and_foreign_codes_are_refused(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_reset(api, VALID_ID)
    code = await delivered_code(api, app)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert codes(await reset(api, VALID_ID, wrong, NEW_PASSWORD)) == ["SMS_CODE_INVALID"]
    assert codes(await reset(api, VALID_ID_2, code, NEW_PASSWORD)) == ["SMS_CODE_INVALID"]  # unknown account
    clock.advance(301)  # past the 5-minute lifetime
    assert codes(await reset(api, VALID_ID, code, NEW_PASSWORD)) == ["SMS_CODE_INVALID"]
    assert await login_code(api, VALID_ID, PASSWORD) is None  # the password did not change


async def test_a_code_for_another_purpose_does_not_reset(api: Api, app: Any) -> None:
    """A filing code goes to the same mobile but is bound to its purpose; and requestSmsCode cannot issue a
    recovery code (that would skip the captcha, the name check and the recovery limits)."""
    await api.signed_up()
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "FILING_INITIAL"}})
    assert body["data"]["requestSmsCode"]["errors"] == []
    filing_code = sms_code_of((await inbox_after_worker(api, app))[0])
    assert codes(await reset(api, VALID_ID, filing_code, NEW_PASSWORD)) == ["SMS_CODE_INVALID"]
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "RESET_PASSWORD"}})
    assert codes(body["data"]["requestSmsCode"]) == ["INVALID_INPUT"]
