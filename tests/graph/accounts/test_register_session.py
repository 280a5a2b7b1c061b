"""register opens a session in the same step as the account (no captcha at all: it was solved for the SMS code): a
token and the viewer in the payload, the cookies set like login, one trail entry, audited as a login."""

from __future__ import annotations

import logging

import pytest

from tests.graph.accounts.helpers import audit_records, trail, viewer_id
from tests.helpers import VALID_ID, Api

REGISTER_WITH_SESSION = """mutation($input: RegisterInput!) { register(input: $input) {
  errors { field code message } token viewer { id realName mobileMasked } person { id } } }"""


async def test_register_returns_a_live_session(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    code = await api.registration_code("13800138001")
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": "Gongcheng#2026"}
    response = await api.post(REGISTER_WITH_SESSION, {"input": form | {"smsCode": code}})
    result = response.json()["data"]["register"]
    assert result["errors"] == [] and result["viewer"]["id"] == result["person"]["id"]
    assert result["viewer"]["mobileMasked"] == "138****8001"
    token = result["token"]
    assert await viewer_id(api, token) == result["person"]["id"]
    assert response.cookies.get("portal_session") == token and response.cookies.get("portal_csrf")
    entries = await trail(api, token)
    assert [(e["action"], e["description"]) for e in entries] == [
        ("REGISTER", "注册账号，绑定手机138****8001，并已登录")
    ]
    assert [r["outcome"] for r in audit_records(caplog, "register")] == ["success"]
    assert [(r["outcome"], r["via"]) for r in audit_records(caplog, "login")] == [("success", "register")]


async def test_a_refused_registration_opens_no_session(api: Api) -> None:
    assert (await api.register())["errors"] == []
    code = await api.registration_code("13900139002")
    form = {"realName": "李四", "idNumber": VALID_ID, "mobile": "13900139002", "password": "Gongcheng#2026"}
    response = await api.post(REGISTER_WITH_SESSION, {"input": form | {"smsCode": code}})
    result = response.json()["data"]["register"]
    assert [e["code"] for e in result["errors"]] == ["REGISTRATION_REFUSED"]
    assert result["token"] is None and result["viewer"] is None and "set-cookie" not in response.headers
