"""register over HTTP: masked answers, field errors, the captcha of requestRegistrationCode (single use, expiry),
taken ID numbers."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from db.models import Person as PersonRow
from tests.graph.accounts.helpers import codes, has_chinese, login_code, make_id_number
from tests.helpers import LOGIN, PASSWORD, REGISTER, REQUEST_REGISTRATION_CODE, VALID_ID, VALID_ID_2, Api

ID_WITH_X = "11010519491231002X"


FORM = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": PASSWORD}


async def register_body(
    api: Api, given: dict[str, str] | None = None, *, with_code: bool = True, **more: str
) -> dict[str, Any]:
    """The whole response body of a register call (no top-level errors allowed): with a real code sent to the mobile,
    or (`with_code=False`, for field errors, which are reported before the code is tried) a well-formed made-up one."""
    fields = (given or {}) | more
    code = await api.registration_code(fields.get("mobile", FORM["mobile"])) if with_code else "123456"
    body = await api.gql(REGISTER, {"input": FORM | {"smsCode": code} | fields})
    assert "errors" not in body, body
    return body


async def request_code_with(api: Api, captcha_id: str, answer: str, mobile: str = "13800138001") -> dict[str, Any]:
    body = await api.gql(
        REQUEST_REGISTRATION_CODE, {"input": {"mobile": mobile, "captchaId": captcha_id, "captchaAnswer": answer}}
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["requestRegistrationCode"]
    return result


async def test_register_returns_masked_person(api: Api) -> None:
    body = await register_body(api, idNumber="11010519491231002x", realName="阿依古丽·买买提", mobile="13912345678")
    result = body["data"]["register"]
    assert result["errors"] == []
    person = result["person"]
    assert person["realName"] == "阿依古丽·买买提"
    assert person["idNumberMasked"] == "1101**********002X"
    assert person["mobileMasked"] == "139****5678"
    assert person["gender"] == "FEMALE"
    assert person["birthDate"] == "1949-12-31"
    assert "19491231" not in json.dumps(body)
    assert await login_code(api, ID_WITH_X, PASSWORD) is None  # upper-case X logs in to the lower-case x account


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("realName", "Zhang San", "INVALID_NAME"),
        ("realName", "张", "INVALID_NAME"),
        ("realName", "王" * 31, "INVALID_NAME"),
        ("realName", "张\x00三", "INVALID_NAME"),
        ("realName", "张" * 2_000, "INVALID_NAME"),  # 10,000 no longer fit the anonymous body cap (413)
        ("idNumber", "230307196304054513", "INVALID_ID_NUMBER"),
        ("idNumber", "36042619910101007", "INVALID_ID_NUMBER"),
        ("idNumber", "360426199102300071", "INVALID_ID_NUMBER"),
        ("idNumber", make_id_number("19800101", area="119999"), "INVALID_ID_NUMBER"),
        ("idNumber", "3" * 5_000, "INVALID_ID_NUMBER"),
        ("mobile", "12800138000", "INVALID_MOBILE"),
        ("mobile", "1380013800", "INVALID_MOBILE"),
        ("password", "12345678", "WEAK_PASSWORD"),
        ("password", "short#1", "WEAK_PASSWORD"),
        ("password", "Mima#19910101", "WEAK_PASSWORD"),  # the birth date of VALID_ID
        ("password", "Mima#010071", "WEAK_PASSWORD"),  # the last 6 of VALID_ID
        ("password", "x" * 5_000 + "Yz1!", "WEAK_PASSWORD"),
        ("smsCode", "", "SMS_CODE_INVALID"),
        ("smsCode", "12345a", "SMS_CODE_INVALID"),
        ("smsCode", "1" * 5_000, "SMS_CODE_INVALID"),
    ],
)
async def test_register_bad_field_is_a_user_error(api: Api, field: str, value: str, code: str) -> None:
    body = await register_body(api, {field: value}, with_code=False)
    result = body["data"]["register"]
    assert result["person"] is None
    assert len(result["errors"]) == 1, result
    error = result["errors"][0]
    assert error["code"] == code
    assert error["field"] == [field]
    assert has_chinese(error["message"])
    assert await PersonRow.all().count() == 0


async def test_register_reports_every_bad_field_at_once(api: Api) -> None:
    fields = {"realName": "Zhang3", "idNumber": "230307196304054513", "mobile": "110", "password": "123", "smsCode": ""}
    body = await register_body(api, fields, with_code=False)
    result = body["data"]["register"]
    assert result["person"] is None
    found = {error["code"]: error["field"] for error in result["errors"]}
    assert found == {
        "INVALID_NAME": ["realName"],
        "INVALID_ID_NUMBER": ["idNumber"],
        "INVALID_MOBILE": ["mobile"],
        "WEAK_PASSWORD": ["password"],
        "SMS_CODE_INVALID": ["smsCode"],
    }
    assert await PersonRow.all().count() == 0


async def test_a_field_error_does_not_spend_the_code(api: Api) -> None:
    code = await api.registration_code()
    body = await api.gql(REGISTER, {"input": FORM | {"realName": "Zhang San", "smsCode": code}})
    assert codes(body["data"]["register"]) == ["INVALID_NAME"]
    body = await api.gql(REGISTER, {"input": FORM | {"smsCode": code}})
    assert body["data"]["register"]["errors"] == []


async def test_captcha_is_single_use_and_case_insensitive(api: Api) -> None:
    captcha_id, answer = await api.captcha()
    wrong = "Z" * len(answer)  # Z is not in the captcha alphabet, so never the answer
    result = await request_code_with(api, captcha_id, wrong)
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(["captchaAnswer"], "CAPTCHA_INVALID")]
    assert result["ok"] is False
    # a wrong answer spends the captcha: the right answer no longer works
    assert codes(await request_code_with(api, captcha_id, answer)) == ["CAPTCHA_INVALID"]

    captcha_id, answer = await api.captcha()
    assert (await request_code_with(api, captcha_id, f" {answer.lower()} "))["errors"] == []
    # a used captcha cannot be replayed
    assert codes(await request_code_with(api, captcha_id, answer, mobile="13900000000")) == ["CAPTCHA_INVALID"]


@pytest.mark.parametrize(
    ("captcha_id", "answer"),
    [("no-such-captcha", "ABCD"), ("", ""), ("x" * 5000, "ABCD"), ("no-such-captcha", "A" * 5000)],
)
async def test_unknown_or_malformed_captcha(api: Api, captcha_id: str, answer: str) -> None:
    assert codes(await request_code_with(api, captcha_id, answer)) == ["CAPTCHA_INVALID"]
    login_body = await api.gql(
        LOGIN, {"input": {"idNumber": VALID_ID, "password": PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}}
    )
    assert codes(login_body["data"]["login"]) == ["CAPTCHA_INVALID"]


async def test_captcha_expires_after_five_minutes(api: Api, redis: Any) -> None:
    body = await api.gql("query { captcha { id imageDataUrl expiresAt } }")
    issued = body["data"]["captcha"]
    assert issued["imageDataUrl"].startswith("data:image/png;base64,")
    assert base64.b64decode(issued["imageDataUrl"].split(",", 1)[1]).startswith(b"\x89PNG")
    ttl_s = await redis.ttl(f"captcha:{issued['id']}")
    assert 0 < ttl_s <= 300
    answer = (await api.client.get(f"/dev/captcha/{issued['id']}")).json()["answer"]
    await redis.pexpire(f"captcha:{issued['id']}", 1)  # the TTL runs out in Redis
    await redis.pexpire(f"dev:captcha:{issued['id']}", 1)
    deadline = time.monotonic() + 2
    while await redis.exists(f"captcha:{issued['id']}") and time.monotonic() < deadline:
        pass
    assert codes(await request_code_with(api, issued["id"], answer)) == ["CAPTCHA_INVALID"]


async def test_taken_id_number_is_refused_without_detail(api: Api) -> None:
    first = await register_body(api, idNumber=ID_WITH_X)
    assert first["data"]["register"]["errors"] == []

    attempts: list[dict[str, str]] = [
        {"idNumber": ID_WITH_X, "realName": "李四", "mobile": "13900000000", "password": "Another#Pass99"},
        {"idNumber": "11010519491231002x", "realName": "王五", "mobile": "13700000000", "password": "Third#Pass77"},
    ]
    results = []
    for fields in attempts:
        body = await register_body(api, fields)
        results.append(body["data"]["register"])
    assert results[0] == results[1]
    assert results[0]["person"] is None
    [error] = results[0]["errors"]
    assert error["code"] == "REGISTRATION_REFUSED"
    assert error["field"] == ["idNumber"]
    assert has_chinese(error["message"])
    for secret in ("张三", "138", "8001", "1101", "002X"):
        assert secret not in error["message"]
    # the existing account is untouched
    assert await PersonRow.all().count() == 1
    assert await login_code(api, ID_WITH_X, "Another#Pass99") == "INVALID_CREDENTIALS"
    assert await login_code(api, ID_WITH_X, PASSWORD) is None


async def test_the_code_is_checked_before_anything_is_revealed(api: Api) -> None:
    assert (await api.register())["errors"] == []
    for fields in ({"idNumber": VALID_ID, "mobile": "13900000000"}, {"idNumber": VALID_ID_2}):
        body = await api.gql(REGISTER, {"input": FORM | fields | {"realName": "李四", "smsCode": "000000"}})
        assert codes(body["data"]["register"]) == ["SMS_CODE_INVALID"]
    assert await PersonRow.all().count() == 1
