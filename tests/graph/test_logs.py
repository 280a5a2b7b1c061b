"""What the logs hold after real flows (SECURITY check 24): no secrets, structured auth events, no forged lines."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime as dt
from datetime import timedelta
from typing import Any

import pytest

from db.models import Session
from tests.helpers import (
    CHANGE_MOBILE,
    CHANGE_PASSWORD,
    PASSWORD,
    REQUEST_SMS,
    VALID_ID,
    Api,
    clear_dev_inbox,
    sms_code_of,
)
from tests.workers.burst import run_burst

CLIENT_IP = "203.0.113.10"
NEW_MOBILE = "13912345678"
WRONG_PASSWORD = "Wrong-password-123"
NEW_PASSWORD = "Xinmima#2026-changed"
STAFF_LOGIN = """mutation($input: StaffLoginInput!) { staffLogin(input: $input) { errors { code } token } }"""
LOGOUT = "mutation { logout { ok errors { code } } }"


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger, from DEBUG up."""
    caplog.set_level(logging.DEBUG)
    clear_dev_inbox()
    return caplog


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything a log file would hold: formatted messages, raw args and tracebacks."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    parts = [handler.format(record) for record in caplog.records]
    parts += [repr(record.args) for record in caplog.records]
    return "\n".join(parts)


def audit_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]


def assert_secret_free(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret was logged: {secret[:4]}…"


async def full_flow(api: Api, app: Any) -> dict[str, Any]:
    """Register, fail and succeed a login, change the mobile by SMS code, change the password, log out."""
    assert (await api.register())["errors"] == []
    assert (await api.login(password=WRONG_PASSWORD))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    api.token = (await api.login())["token"]
    second_session = (await api.login())["token"]
    sent = await api.gql(REQUEST_SMS, {"input": {"purpose": "CHANGE_MOBILE", "mobile": NEW_MOBILE}})
    assert sent["data"]["requestSmsCode"]["errors"] == []
    await run_burst(app)
    code = sms_code_of((await api.sms_inbox(NEW_MOBILE))[0])
    changed = await api.gql(CHANGE_MOBILE, {"input": {"newMobile": NEW_MOBILE, "smsCode": code}})
    assert changed["data"]["changeMobile"]["errors"] == []
    password_change = {"oldPassword": PASSWORD, "newPassword": NEW_PASSWORD, "repeatPassword": NEW_PASSWORD}
    wrong_old = {**password_change, "oldPassword": WRONG_PASSWORD}
    assert (await api.gql(CHANGE_PASSWORD, {"input": wrong_old}))["data"]["changePassword"]["errors"]
    assert (await api.gql(CHANGE_PASSWORD, {"input": password_change}))["data"]["changePassword"]["ok"]
    assert (await api.gql(LOGOUT))["data"]["logout"]["ok"]
    return {"code": code, "tokens": [api.token, second_session]}


async def test_logs_after_a_full_flow_hold_no_secrets(api: Api, app: Any, all_logs: pytest.LogCaptureFixture) -> None:
    flow = await full_flow(api, app)
    assert await Session.all().count() == 3  # registering opens one, then two logins

    text = log_text(all_logs)

    assert all_logs.records, "nothing was logged at all"
    assert_secret_free(text, [PASSWORD, WRONG_PASSWORD, NEW_PASSWORD, VALID_ID, *flow["tokens"]])
    assert not re.search(rf"(?<!\d){flow['code']}(?!\d)", text), "the SMS code was logged"
    ours = [r.getMessage() for r in all_logs.records if r.name.startswith("portal.")]
    assert any("139****5678" in message for message in ours)
    assert not [m for m in ours if NEW_MOBILE in m]  # the portal's own logs show mobiles masked


async def test_auth_events_are_structured_with_utc_time_actor_ip_and_outcome(
    api: Api, app: Any, all_logs: pytest.LogCaptureFixture
) -> None:
    await full_flow(api, app)

    events = audit_events(all_logs)

    outcomes = [(e["event"], e["outcome"]) for e in events]
    assert outcomes == [
        ("registration_code", "sent"),
        ("register", "success"),
        ("login", "success"),  # the session registering opens ("via": "register")
        ("login", "failure"),
        ("login", "success"),
        ("login", "success"),
        ("change_mobile", "success"),
        ("change_password", "failure"),
        ("change_password", "success"),
        ("logout", "success"),
    ]
    for event in events:
        moment = dt.fromisoformat(event["time"])
        assert moment.utcoffset() == timedelta(0)
        assert event["ip"] == CLIENT_IP
        assert re.fullmatch(r"person:\d+|mobile:1\d\d\*{4}\d{4}", event["actor"]), event
    records = [r for r in all_logs.records if r.name == "portal.audit"]
    assert all(r.levelno == logging.INFO for r in records)


async def test_an_unknown_account_is_logged_without_its_id_number(api: Api, all_logs: pytest.LogCaptureFixture) -> None:
    assert (await api.login(id_number=VALID_ID))["errors"][0]["code"] == "INVALID_CREDENTIALS"

    [event] = audit_events(all_logs)

    assert (event["event"], event["outcome"]) == ("login", "failure")
    assert event["actor"].startswith("unknown:") and VALID_ID not in event["actor"]
    assert VALID_ID not in log_text(all_logs)


async def test_crlf_in_inputs_cannot_forge_log_lines(api: Api, all_logs: pytest.LogCaptureFixture) -> None:
    forged = 'x\n2026-01-01 00:00:00 INFO portal.audit {"event": "login", "outcome": "success"}\r\ninjected'
    captcha_id, answer = await api.captcha()
    staff_input = {"username": forged, "password": WRONG_PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}
    body = await api.gql(STAFF_LOGIN, {"input": staff_input})
    assert body["data"]["staffLogin"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    query_with_newlines = '{ viewer { id }\n}\n# 2026-01-01 00:00:00 INFO portal.audit {"outcome": "success"}\n{ nope }'
    assert (await api.post(query_with_newlines)).status_code in (200, 400)

    [event] = audit_events(all_logs)
    assert event["event"] == "staff_login" and event["outcome"] == "failure"
    assert event["actor"].startswith("unknown-staff:")  # an unknown name is logged only as a digest
    assert "injected" not in log_text(all_logs)
    for record in all_logs.records:
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message, (record.name, message)
    for line in log_text(all_logs).splitlines():
        assert not line.startswith(("injected", "2026-01-01", "# 2026")), line


async def test_graphql_errors_do_not_log_the_query_text(api: Api, all_logs: pytest.LogCaptureFixture) -> None:
    """A client may inline secrets in the query itself; an error must not copy that text into the log."""
    inline = (
        f'mutation {{ login(input: {{idNumber: "{VALID_ID}", password: "{PASSWORD}", captchaId: "x",'
        f' captchaAnswer: "y"}}) {{ tokn }} }}'
    )
    body = (await api.post(inline)).json()
    assert body["errors"] and body.get("data") is None
    variables_error = await api.post(
        "mutation($input: LoginInput!) { login(input: $input) { token } }",
        {"input": {"idNumber": VALID_ID, "password": PASSWORD, "extra": 1}},
    )
    assert variables_error.json()["errors"]

    assert_secret_free(log_text(all_logs), [PASSWORD, VALID_ID])
