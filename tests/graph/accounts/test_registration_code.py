"""requestRegistrationCode and register's code over HTTP: a captcha per code, the same answer for a bound number,
the limits with their waits, the code bound to purpose and mobile, MOBILE_TAKEN told only after the code."""

from __future__ import annotations

from typing import Any

from db.models import OutboxMessage, Person, Session
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import client_at, codes, has_chinese
from tests.graph.accounts.sms.helpers import change_mobile, deliver, request_code, reset_interval
from tests.helpers import (
    PASSWORD,
    REGISTER,
    REQUEST_REGISTRATION_CODE,
    REQUEST_SMS,
    VALID_ID,
    VALID_ID_2,
    Api,
    sms_code_of,
)
from tests.workers.burst import run_burst

BOUND = "13800138001"
FREE = "13912345678"
FORM = {"realName": "李四", "idNumber": VALID_ID_2, "password": PASSWORD}
REGISTER_WITH_WAIT = REGISTER.replace("message }", "message retryAfterSeconds }")


async def _register(api: Api, mobile: str, code: str, **fields: Any) -> dict[str, Any]:
    body = await api.gql(REGISTER_WITH_WAIT, {"input": FORM | {"mobile": mobile, "smsCode": code} | fields})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["register"]
    return result


async def _request_raw(api: Api, mobile: str) -> Any:
    captcha_id, answer = await api.captcha()
    variables = {"input": {"mobile": mobile, "captchaId": captcha_id, "captchaAnswer": answer}}
    return await api.post(REQUEST_REGISTRATION_CODE, variables)


async def _hour_passes(api: Api, *windows: str) -> None:
    """An hour of the registration limits passes (their Redis windows expire)."""
    await api.app.state.deps.redis.delete(*(f"rl:register:{window}" for window in windows))


async def test_a_bound_and_a_free_number_get_the_same_answer_and_each_a_code(api: Api, app: Any) -> None:
    assert (await api.register(mobile=BOUND))["errors"] == []
    answers = [await _request_raw(api, mobile) for mobile in (BOUND, FREE)]
    assert answers[0].status_code == answers[1].status_code == 200
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["data"]["requestRegistrationCode"] == {"errors": [], "ok": True, "resendAfterSeconds": 60}
    drop = {"date", "content-length"}
    assert {k: v for k, v in answers[0].headers.items() if k not in drop} == {
        k: v for k, v in answers[1].headers.items() if k not in drop
    }
    await run_burst(app)
    for mobile in (BOUND, FREE):  # the holder of the phone gets the code either way
        [latest, *_] = await api.sms_inbox(mobile)
        assert "您正在用本手机号码注册账号" in latest["text"] and len(sms_code_of(latest)) == 6


async def test_a_wrong_captcha_sends_nothing_and_counts_nothing(api: Api, app: Any) -> None:
    captcha_id, _ = await api.captcha()
    body = await api.gql(
        REQUEST_REGISTRATION_CODE, {"input": {"mobile": FREE, "captchaId": captcha_id, "captchaAnswer": "ZZZZ"}}
    )
    result = body["data"]["requestRegistrationCode"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(["captchaAnswer"], "CAPTCHA_INVALID")]
    assert result["ok"] is False
    assert await OutboxMessage.all().count() == 0
    assert await app.state.deps.redis.keys("rl:register:*") == []
    assert await app.state.deps.redis.keys("sms:*") == []


async def test_an_invalid_mobile_is_a_field_error(api: Api) -> None:
    result = await api.request_registration_code("1380013800")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(["mobile"], "INVALID_MOBILE")]
    assert await OutboxMessage.all().count() == 0


async def test_a_second_code_within_the_interval_says_how_long_to_wait(api: Api) -> None:
    assert (await api.request_registration_code(FREE))["errors"] == []
    [error] = (await api.request_registration_code(FREE))["errors"]
    assert error["code"] == "SMS_TOO_SOON"
    assert 1 <= error["retryAfterSeconds"] <= 60 and has_chinese(error["message"])
    assert await OutboxMessage.all().count() == 1


async def test_codes_per_mobile_per_hour_are_limited(api: Api, app: Any) -> None:
    limit = get_settings().registration_mobile_per_hour
    for _ in range(limit):
        assert (await api.request_registration_code(FREE))["errors"] == []
        await reset_interval(app, FREE)
    [error] = (await api.request_registration_code(FREE))["errors"]
    assert error["code"] == "TOO_MANY_REQUESTS" and 3500 <= error["retryAfterSeconds"] <= 3600
    assert "后重试" in error["message"]
    async with client_at(api, "198.51.100.7") as elsewhere:  # the number's limit, whatever the address
        assert codes(await elsewhere.request_registration_code(FREE)) == ["TOO_MANY_REQUESTS"]
    assert await OutboxMessage.all().count() == limit


async def test_codes_per_address_per_hour_are_limited(api: Api) -> None:
    limit = get_settings().registration_ip_per_hour
    for n in range(limit):
        assert (await api.request_registration_code(f"1370000{n:04d}"))["errors"] == []
    [error] = (await api.request_registration_code("13799999999"))["errors"]
    assert error["code"] == "TOO_MANY_REQUESTS" and error["retryAfterSeconds"] > 0
    async with client_at(api, "198.51.100.8") as elsewhere:
        assert (await elsewhere.request_registration_code("13799999999"))["errors"] == []
    assert await OutboxMessage.all().count() == limit + 1


async def test_the_daily_cap_per_mobile_applies_with_the_wait_to_midnight(api: Api, app: Any) -> None:
    cap = get_settings().sms_daily_cap_per_mobile
    for _ in range(cap):
        assert (await api.request_registration_code(FREE))["errors"] == []
        await reset_interval(app, FREE)
        await _hour_passes(api, f"code:m:{FREE}")
    [error] = (await api.request_registration_code(FREE))["errors"]
    assert error["code"] == "SMS_DAILY_LIMIT" and 1 <= error["retryAfterSeconds"] <= 24 * 3600 + 1


async def test_request_sms_code_does_not_issue_registration_codes(api: Api) -> None:
    await api.signed_up()
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "REGISTER", "mobile": FREE}})
    [error] = body["data"]["requestSmsCode"]["errors"]
    assert (error["field"], error["code"]) == (["purpose"], "INVALID_INPUT")


async def test_a_code_registers_its_own_number_once(api: Api) -> None:
    code = await api.registration_code(FREE)
    assert codes(await _register(api, "13700001111", code)) == ["SMS_CODE_INVALID"]  # bound to the mobile
    result = await _register(api, FREE, code)
    assert result["errors"] == [] and result["person"]["mobileMasked"] == "139****5678"
    again = await _register(api, FREE, code, idNumber=VALID_ID, realName="张三")
    assert codes(again) == ["SMS_CODE_INVALID"]  # single use
    assert await Person.all().count() == 1


async def test_codes_of_other_purposes_do_not_cross(api: Api, app: Any) -> None:
    await api.signed_up(mobile=BOUND)
    assert (await request_code(api, FREE))["errors"] == []  # a CHANGE_MOBILE code to the free number
    change_code = await deliver(api, app, FREE)
    anonymous = Api(api.client, app)
    assert codes(await _register(anonymous, FREE, change_code)) == ["SMS_CODE_INVALID"]
    await reset_interval(app, FREE)
    register_code = await anonymous.registration_code(FREE)
    assert codes(await change_mobile(api, register_code, FREE)) == ["SMS_CODE_INVALID"]


async def test_five_wrong_codes_kill_the_code(api: Api) -> None:
    code = await api.registration_code(FREE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(get_settings().sms_max_wrong_tries):
        assert codes(await _register(api, FREE, wrong)) == ["SMS_CODE_INVALID"]
    assert codes(await _register(api, FREE, code)) == ["SMS_CODE_INVALID"]
    assert await Person.all().count() == 0


async def test_register_attempts_per_address_per_hour_are_limited(api: Api) -> None:
    limit = get_settings().registration_ip_per_hour
    for _ in range(limit):
        assert codes(await _register(api, FREE, "000000")) == ["SMS_CODE_INVALID"]
    [error] = (await _register(api, FREE, "000000"))["errors"]
    assert error["code"] == "TOO_MANY_REQUESTS" and error["retryAfterSeconds"] > 0


async def test_the_deprecated_captcha_fields_are_accepted_and_ignored(api: Api) -> None:
    code = await api.registration_code(FREE)
    result = await _register(api, FREE, code, captchaId="anything", captchaAnswer="ABCD")
    assert result["errors"] == []


async def test_a_bound_number_is_refused_after_its_code(api: Api) -> None:
    assert (await api.register(mobile=BOUND))["errors"] == []
    code = await api.registration_code(BOUND)
    result = await _register(api, BOUND, code)
    assert result["person"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"]) == (["mobile"], "MOBILE_TAKEN")
    assert "已绑定其他账号" in error["message"]
    assert await Person.all().count() == 1 and await Session.all().count() == 1  # no second account, no session
    assert codes(await _register(api, BOUND, code)) == ["SMS_CODE_INVALID"]  # the code is spent


async def test_a_taken_id_number_and_a_bound_number_are_both_told(api: Api) -> None:
    assert (await api.register(mobile=BOUND))["errors"] == []
    code = await api.registration_code(BOUND)
    result = await _register(api, BOUND, code, idNumber=VALID_ID, realName="张三")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        (["idNumber"], "REGISTRATION_REFUSED"),
        (["mobile"], "MOBILE_TAKEN"),
    ]


async def test_strangers_registration_codes_do_not_use_up_the_holders_limits(api: Api, app: Any) -> None:
    """Registration codes are asked for anonymously: they count against an interval and a daily cap of their own,
    so that asking for them to someone's number blocks none of the codes that person needs signed in."""
    await api.signed_up(mobile=BOUND)  # its own registration code: 1 in the registration pool
    await reset_interval(app, BOUND)
    stranger = Api(api.client, api.app)
    assert (await stranger.request_registration_code(BOUND))["errors"] == []
    [again] = (await stranger.request_registration_code(BOUND))["errors"]
    assert again["code"] == "SMS_TOO_SOON"  # the stranger waits
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "FILING_INITIAL"}})
    assert body["data"]["requestSmsCode"]["errors"] == [], body  # the holder does not
    day = clock.business_date().strftime("%Y%m%d")
    redis = app.state.deps.redis
    assert int(await redis.get(f"rl:sms:day:{day}:m:register:{BOUND}")) == 2
    assert int(await redis.get(f"rl:sms:day:{day}:m:{BOUND}")) == 1  # the holder's cap counts the holder's codes only
