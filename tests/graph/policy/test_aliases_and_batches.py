"""SECURITY check 2: aliases and batches cannot multiply login or SMS-code guesses; refused requests open no
session."""

from __future__ import annotations

from typing import Any

from db.models import Session
from domain.kernel.settings import get_settings
from tests.graph.policy.helpers import CLIENT_IP, assert_no_leak, error_messages
from tests.helpers import CHANGE_MOBILE, LOGIN, PASSWORD, REQUEST_SMS, VALID_ID, Api, clear_dev_inbox, sms_code_of
from tests.workers.burst import run_burst


async def login_counters(redis: Any) -> dict[str, int]:
    """Every login attempt counter in Redis: the per-IP window and per-account failures."""
    counters: dict[str, int] = {}
    async for key in redis.scan_iter(match="*login:*"):
        value = await redis.get(key)
        counters[key.decode()] = int(value or 0)
    return counters


def aliased_logins(count: int) -> str:
    fields = " ".join(f"l{i}: login(input: $input) {{ token errors {{ code }} }}" for i in range(count))
    return f"mutation($input: LoginInput!) {{ {fields} }}"


async def login_input(api: Api, password: str = "Wrong-password-123") -> dict[str, Any]:
    captcha_id, answer = await api.captcha()
    return {"idNumber": VALID_ID, "password": password, "captchaId": captcha_id, "captchaAnswer": answer}


async def test_fifty_aliased_logins_are_rejected_before_any_attempt(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    redis = app.state.deps.redis
    variables = {"input": await login_input(api)}

    body = await api.gql(aliased_logins(50), variables)

    assert body.get("data") is None
    assert "aliases" in error_messages(body)
    assert await login_counters(redis) == {}
    assert await redis.exists(f"captcha:{variables['input']['captchaId']}")  # not even the captcha was spent


async def test_aliased_logins_within_the_alias_limit_count_one_attempt(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    limit = get_settings().graphql_max_aliases

    body = await api.gql(aliased_logins(limit), {"input": await login_input(api)})

    results = [body["data"][f"l{i}"] for i in range(limit)]
    assert all(r["token"] is None for r in results)
    codes = sorted(r["errors"][0]["code"] for r in results)
    assert codes == ["CAPTCHA_INVALID"] * (limit - 1) + ["INVALID_CREDENTIALS"]  # one captcha, one attempt
    counters = await login_counters(app.state.deps.redis)
    assert counters[f"rl:login:ip:{CLIENT_IP}"] == 1
    assert [v for k, v in counters.items() if k.startswith("login:fail:")] == [1]


async def test_a_batch_of_fifty_operations_is_refused(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    operation = {"query": LOGIN, "variables": {"input": await login_input(api)}}

    response = await api.client.post("/graphql", json=[operation] * 50)

    assert response.status_code == 400
    assert_no_leak(response.text)
    assert await login_counters(app.state.deps.redis) == {}


async def test_aliased_sms_code_guesses_share_the_code_s_try_counter(api: Api, app: Any) -> None:
    clear_dev_inbox()
    mobile = "13912345678"
    await api.signed_up()
    await api.gql(REQUEST_SMS, {"input": {"purpose": "CHANGE_MOBILE", "mobile": mobile}})
    await run_burst(app)
    code = sms_code_of((await api.sms_inbox(mobile))[0])
    wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 51)]

    def guesses(codes: list[str]) -> str:
        fields = " ".join(
            f'g{i}: changeMobile(input: {{newMobile: "{mobile}", smsCode: "{c}"}}) {{ errors {{ code }} }}'
            for i, c in enumerate(codes)
        )
        return f"mutation {{ {fields} }}"

    rejected = await api.gql(guesses(wrong))  # 50 guesses in one request: refused at validation
    assert rejected.get("data") is None
    assert await app.state.deps.redis.hget(f"sms:code:CHANGE_MOBILE:{mobile}", "tries") == b"0"

    allowed = get_settings().graphql_max_aliases
    burst = await api.gql(guesses(wrong[:allowed]))  # within the alias limit: each counts as a try
    assert all(burst["data"][f"g{i}"]["errors"][0]["code"] == "SMS_CODE_INVALID" for i in range(allowed))
    spent = await api.gql(CHANGE_MOBILE, {"input": {"newMobile": mobile, "smsCode": code}})
    assert spent["data"]["changeMobile"]["errors"][0]["code"] == "SMS_CODE_INVALID"  # the code died at 5


async def test_session_table_untouched_by_refused_requests(api: Api) -> None:
    """Refused requests open no session (a sanity check that the limits run before resolvers)."""
    assert (await api.register())["errors"] == []
    assert await Session.all().count() == 1  # the one registering opened
    await api.gql(aliased_logins(50), {"input": await login_input(api, PASSWORD)})
    batch = [{"query": LOGIN, "variables": {"input": await login_input(api, PASSWORD)}}] * 3
    assert (await api.client.post("/graphql", json=batch)).status_code == 400
    assert await Session.all().count() == 1
