"""SECURITY check 4: an SMS code expires, is single use, bound to its mobile and purpose, and killed by a resend."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import Person
from domain.accounts import sms_codes
from domain.accounts.sms_delivery import DevInboxGateway
from domain.kernel import clock
from domain.kernel.actors import RequestMeta
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from tests.graph.accounts.sms.helpers import (
    NEW_MOBILE,
    OLD_MOBILE,
    OTHER_MOBILE,
    change_mobile,
    codes_of,
    deliver,
    request_code,
    reset_interval,
)
from tests.helpers import Api, sms_code_of
from tests.workers.burst import run_burst


async def test_code_fails_after_expiry(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    clock.advance(get_settings().sms_code_ttl_s + 1)

    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]
    assert (await Person.get()).mobile == OLD_MOBILE


async def test_code_works_just_before_expiry(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    clock.advance(get_settings().sms_code_ttl_s - 5)

    assert (await change_mobile(api, code))["errors"] == []


async def test_code_is_single_use(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)
    assert (await change_mobile(api, code))["errors"] == []

    # Spent: refused as a code (were it still valid, the answer would be MOBILE_UNCHANGED).
    assert codes_of(await change_mobile(api, code)) == ["SMS_CODE_INVALID"]


async def test_code_is_bound_to_its_mobile(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    code = await deliver(api, app)

    assert codes_of(await change_mobile(api, code, mobile=OTHER_MOBILE)) == ["SMS_CODE_INVALID"]
    assert (await Person.get()).mobile == OLD_MOBILE
    assert (await change_mobile(api, code))["errors"] == []  # the code itself was good for its own number


async def test_code_is_bound_to_its_purpose(api: Api, app: Any) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    sent = await request_code(api, None, purpose="FILING_INITIAL")
    assert sent["errors"] == [] and sent["sentTo"] == "138****8001"
    code = await deliver(api, app, OLD_MOBILE)
    redis = app.state.deps.redis

    assert codes_of(await change_mobile(api, code, mobile=OLD_MOBILE)) == ["SMS_CODE_INVALID"]
    with pytest.raises(DomainError) as refused:
        await sms_codes.verify_code(redis, sms_codes.SmsPurpose.CHANGE_MOBILE.value, OLD_MOBILE, code)
    assert refused.value.code is ErrorCode.SMS_CODE_INVALID
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING_RENEWAL", OLD_MOBILE, code)  # bound to the filing kind too
    await sms_codes.verify_code(
        redis, sms_codes.SmsPurpose.FILING_INITIAL.value, OLD_MOBILE, code
    )  # accepted for its purpose


async def test_filing_kind_codes_do_not_cross(app: Any) -> None:
    redis = app.state.deps.redis
    meta = RequestMeta("203.0.113.10", "pytest")
    await sms_codes.send_code(app.state.deps, "FILING_INITIAL", OLD_MOBILE, meta)
    await run_burst(app)
    code = sms_code_of(DevInboxGateway().latest(OLD_MOBILE)[0])
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING_RENEWAL", OLD_MOBILE, code)
    with pytest.raises(DomainError):
        await sms_codes.verify_code(redis, "FILING_CHANGE", OLD_MOBILE, code)
    await sms_codes.verify_code(redis, "FILING_INITIAL", OLD_MOBILE, code)


async def test_a_resend_kills_the_old_code(api: Api, app: Any) -> None:
    await api.signed_up()
    await request_code(api)
    first = await deliver(api, app)
    assert codes_of(await request_code(api)) == ["SMS_TOO_SOON"]  # no resend within 60 s
    await reset_interval(app, NEW_MOBILE)
    assert (await request_code(api))["errors"] == []
    second = await deliver(api, app)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 2
    if first == second:  # 1 in a million: the same digits drawn twice prove nothing about replacement
        pytest.skip("the CSPRNG drew the same code twice")

    assert codes_of(await change_mobile(api, first)) == ["SMS_CODE_INVALID"]
    assert (await change_mobile(api, second))["errors"] == []
