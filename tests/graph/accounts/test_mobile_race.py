"""One number, one person, under concurrency: the unique index on person.mobile decides, and the loser's
IntegrityError becomes MOBILE_TAKEN (never a 500), on SQLite and PostgreSQL.

Over HTTP, ten registrations of one number cannot all reach the insert: each needs the number's code, and only one
code per number and purpose exists at a time (single use, checked atomically). So the ten-way race runs one level
down, on `create_account` (the step `register` runs once the code is accepted); over HTTP, a registration and a
mobile change race for the same number (two purposes, two codes), and ten registrations race for one code."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.models import Person, Session, TrailEntry
from domain import accounts
from domain.kernel.actors import RequestMeta
from domain.kernel.errors import DomainErrors, ErrorCode
from tests.graph.accounts.helpers import make_id_number
from tests.graph.accounts.sms.helpers import change_mobile, deliver, request_code
from tests.helpers import PASSWORD, REGISTER, Api

MOBILE = "13912345678"
META = RequestMeta("203.0.113.10", "pytest")


async def test_ten_concurrent_accounts_with_one_mobile_make_one(app: Any) -> None:
    password_hash = await accounts.hash_password(PASSWORD)
    residents = [accounts.parse_id_number(make_id_number(sequence=f"{n:03d}")) for n in range(10)]
    accounts_to_create = [accounts.NewAccount("张三", resident, MOBILE, password_hash) for resident in residents]
    outcomes = await asyncio.gather(
        *(accounts.create_account(app.state.deps, account, META) for account in accounts_to_create),
        return_exceptions=True,
    )
    created = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, DomainErrors)]
    assert len(created) == 1 and len(refused) == 9, outcomes
    assert {tuple((e.field, e.code) for e in refusal.errors) for refusal in refused} == {
        (("mobile", ErrorCode.MOBILE_TAKEN),)
    }
    assert await Person.filter(mobile=MOBILE).count() == 1
    assert await Session.all().count() == 1 and await TrailEntry.all().count() == 1  # the losers left nothing


@pytest.mark.parametrize("round_", range(3))
async def test_a_registration_and_a_mobile_change_race_for_one_number(api: Api, app: Any, round_: int) -> None:
    await api.signed_up(mobile="13800138001")
    assert (await request_code(api, MOBILE))["errors"] == []
    change_code = await deliver(api, app, MOBILE)
    await app.state.deps.redis.delete(f"sms:interval:{MOBILE}")  # the other purpose's code, a minute later
    newcomer = Api(api.client, app)
    register_code = await newcomer.registration_code(MOBILE)
    form = {"realName": "李四", "idNumber": make_id_number(sequence="201"), "mobile": MOBILE, "password": PASSWORD}

    registered, changed = await asyncio.gather(
        newcomer.post(REGISTER, {"input": form | {"smsCode": register_code}}),
        change_mobile(api, change_code, MOBILE),
    )

    assert registered.status_code == 200 and "errors" not in registered.json(), registered.text
    outcomes = sorted(
        [
            [e["code"] for e in registered.json()["data"]["register"]["errors"]],
            [e["code"] for e in changed["errors"]],
        ]
    )
    assert outcomes == [[], ["MOBILE_TAKEN"]]
    assert await Person.filter(mobile=MOBILE).count() == 1


async def test_ten_registrations_racing_for_one_code_make_one_account(api: Api, app: Any) -> None:
    code = await api.registration_code(MOBILE)
    forms = [
        {"realName": "张三", "idNumber": make_id_number(sequence=f"{n:03d}"), "mobile": MOBILE, "password": PASSWORD}
        for n in range(10)
    ]
    responses = await asyncio.gather(*(api.post(REGISTER, {"input": form | {"smsCode": code}}) for form in forms))
    assert {response.status_code for response in responses} == {200}
    results = [[e["code"] for e in response.json()["data"]["register"]["errors"]] for response in responses]
    assert sorted(results) == [[]] + [["SMS_CODE_INVALID"]] * 9
    assert await Person.all().count() == 1 and await Person.filter(mobile=MOBILE).count() == 1
