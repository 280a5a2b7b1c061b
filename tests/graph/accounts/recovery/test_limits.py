"""Password recovery is rate limited per client address and per ID number (Redis), for both steps; a wrong captcha
is refused first and counts nothing."""

from __future__ import annotations

from typing import Any

from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import client_at, codes, make_id_number
from tests.graph.accounts.recovery.helpers import REQUEST_RESET, request_reset, reset
from tests.helpers import VALID_ID, Api


async def test_requests_are_limited_per_account_across_addresses(api: Api) -> None:
    limit = get_settings().password_reset_account_per_hour
    for n in range(limit):
        async with client_at(api, f"198.51.100.{n + 1}") as client:
            assert (await request_reset(client, VALID_ID))["ok"] is True
    async with client_at(api, "198.51.100.99") as client:
        refused = await request_reset(client, VALID_ID)
    assert codes(refused) == ["TOO_MANY_REQUESTS"] and refused["ok"] is False
    assert "请在" in refused["errors"][0]["message"]


async def test_requests_are_limited_per_address_across_accounts(api: Api) -> None:
    limit = get_settings().password_reset_ip_per_hour
    for n in range(limit):
        assert (await request_reset(api, make_id_number(sequence=f"{100 + n:03d}")))["ok"] is True
    assert codes(await request_reset(api, make_id_number(sequence="999"))) == ["TOO_MANY_REQUESTS"]


async def test_a_wrong_captcha_is_refused_first_and_counts_nothing(api: Api) -> None:
    variables: dict[str, Any] = {"input": {"idNumber": VALID_ID, "realName": "张三", "captchaId": "x"}}
    variables["input"]["captchaAnswer"] = "ZZZZ"
    for _ in range(get_settings().password_reset_account_per_hour + 1):
        body = await api.gql(REQUEST_RESET, variables)
        assert codes(body["data"]["requestPasswordReset"]) == ["CAPTCHA_INVALID"]
    assert (await request_reset(api, VALID_ID))["ok"] is True


async def test_reset_attempts_are_limited_per_account(api: Api) -> None:
    limit = get_settings().password_reset_account_per_hour
    for n in range(limit):
        async with client_at(api, f"198.51.100.{n + 1}") as client:
            assert codes(await reset(client, VALID_ID, "000000", "Xin#Mima2026go")) == ["SMS_CODE_INVALID"]
    assert codes(await reset(api, VALID_ID, "000000", "Xin#Mima2026go")) == ["TOO_MANY_REQUESTS"]
