"""On-site verification by province staff: the case and its access on the trail, confirm or refuse, who may,
concurrent confirmations, events, and a pending or in-flight Alipay attempt."""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

from db.models import Person, StaffRole, TrailEntry, VerificationAttempt, VerificationMethod, VerificationStatus
from domain.kernel import events
from domain.verification import onsite as onsite_verification
from tests.helpers import VALID_ID, Api
from tests.verification_helpers import (
    START,
    UNREGISTERED_ID,
    certify_id_of,
    press,
    signed_up_with_materials,
    staff_token,
    started,
    trail_actions,
    viewer,
)
from tests.workers.burst import run_burst
from tests.workers.unavailable_provider import GatedStartProvider
from tests.workers.verification.helpers import drain

ONSITE_CASE = """query($idNumber: String!) { onsiteVerificationCase(idNumber: $idNumber) {
  verified person { realName idNumberMasked } materials { kind url } } }"""
CONFIRM = """mutation($input: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $input) {
  errors { field code message } verification { id method status comment failureReason completedAt } } }"""


async def test_province_staff_open_the_case_and_the_access_is_in_the_trail(api: Api) -> None:
    await signed_up_with_materials(api)
    person_token = api.token
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    body = await api.gql(ONSITE_CASE, {"idNumber": VALID_ID}, token=staff)

    assert "errors" not in body, body
    case = body["data"]["onsiteVerificationCase"]
    assert case["verified"] is False
    assert case["person"] == {"realName": "张三", "idNumberMasked": "3604**********0071"}
    assert sorted(m["kind"] for m in case["materials"]) == ["HANDHELD_ID", "ID_CARD_BACK", "ID_CARD_FRONT"]
    own = await viewer(Api(api.client, api.app, token=person_token))
    assert trail_actions(own)[0] == "VERIFICATION_MATERIALS_VIEWED"
    entry = own["trail"]["edges"][0]["node"]
    assert entry["actor"] == "工作人员 province-test" and "查阅" in entry["description"]


async def test_province_staff_confirm_on_site(api: Api, redis: Redis) -> None:
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    body = await api.gql(
        CONFIRM,
        {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": " 本人到场， 证件一致 "}},
        token=staff,
    )

    payload = body["data"]["confirmOnsiteVerification"]
    assert payload["errors"] == [], payload
    result = payload["verification"]
    assert result["method"] == "ONSITE" and result["status"] == "PASSED"
    assert result["comment"] == "本人到场， 证件一致" and result["completedAt"] is not None
    current = (await viewer(person))["verification"]
    assert current["id"] == result["id"] and current["status"] == "PASSED" and current["method"] == "ONSITE"
    row = await VerificationAttempt.get(method=VerificationMethod.ONSITE)
    assert row.staff_id is not None  # type: ignore[attr-defined]
    own = await viewer(person)
    assert trail_actions(own)[0] == "VERIFICATION_PASSED"
    assert "现场" in own["trail"]["edges"][0]["node"]["description"]
    assert own["trail"]["edges"][0]["node"]["actor"] == "工作人员 province-test"
    again = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
    assert [e["code"] for e in again["data"]["confirmOnsiteVerification"]["errors"]] == ["ALREADY_VERIFIED"]
    start_after = await person.gql("mutation { startAlipayVerification { errors { code } } }")
    assert start_after["data"]["startAlipayVerification"]["errors"] == [{"code": "ALREADY_VERIFIED"}]


async def test_refusing_on_site_needs_a_comment(api: Api) -> None:
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    # Invisible characters (Cf: zero-width space, joiners, BOM, word joiner, bidi marks; Zs: ideographic and
    # no-break spaces) are no comment either.
    for comment in ("", "   ", "\u200b", "\u3000\u00a0", "\u200b\u200c\u200d\ufeff\u2060\u200e\u202e"):
        body = await api.gql(
            CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "REFUSE", "comment": comment}}, token=staff
        )
        payload = body["data"]["confirmOnsiteVerification"]
        assert payload["verification"] is None
        [error] = payload["errors"]
        assert error["code"] == "INVALID_INPUT" and error["field"] == ["comment"] and "意见" in error["message"]
    too_long = await api.gql(
        CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": "长" * 501}}, token=staff
    )
    assert too_long["data"]["confirmOnsiteVerification"]["errors"][0]["code"] == "INVALID_INPUT"
    assert await VerificationAttempt.all().count() == 0

    body = await api.gql(
        CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "REFUSE", "comment": "证件照片与本人不符"}}, token=staff
    )
    result = body["data"]["confirmOnsiteVerification"]["verification"]
    assert result["status"] == "FAILED" and result["failureReason"] == "证件照片与本人不符"
    assert (await viewer(person))["verification"]["status"] == "FAILED"


async def test_only_province_staff_may_verify_on_site(api: Api) -> None:
    await signed_up_with_materials(api)
    person_token = api.token
    enterprise = await staff_token(api, StaffRole.ENTERPRISE, "enterprise-test")
    ministry = await staff_token(api, StaffRole.MINISTRY, "ministry-test")
    confirm = {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": ""}}

    for token, code in ((enterprise, "FORBIDDEN"), (ministry, "FORBIDDEN"), (person_token, "FORBIDDEN")):
        case = await api.gql(ONSITE_CASE, {"idNumber": VALID_ID}, token=token)
        assert case["data"] is None and case["errors"][0]["extensions"]["code"] == code
        done = await api.gql(CONFIRM, confirm, token=token)
        assert done["data"] is None and done["errors"][0]["extensions"]["code"] == code
    api.client.cookies.clear()  # the last login's cookie without its CSRF header would answer CSRF_TOKEN_REQUIRED
    anonymous = await api.client.post("/graphql", json={"query": ONSITE_CASE, "variables": {"idNumber": VALID_ID}})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await VerificationAttempt.all().count() == 0
    viewed = await TrailEntry.filter(action="VERIFICATION_MATERIALS_VIEWED").count()
    assert viewed == 0  # refused lookups leave no access entry because there was no access


async def test_concurrent_on_site_confirmations_verify_once(api: Api) -> None:
    """A double submit (or two officers at once): one ONSITE attempt, one trail entry, the rest ALREADY_VERIFIED."""
    await signed_up_with_materials(api)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    confirm = {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": "本人到场"}}

    bodies = await asyncio.gather(*(api.gql(CONFIRM, confirm, token=staff) for _ in range(4)))

    payloads = [body["data"]["confirmOnsiteVerification"] for body in bodies]
    assert sorted(len(p["errors"]) for p in payloads) == [0, 1, 1, 1], payloads
    assert {e["code"] for p in payloads for e in p["errors"]} == {"ALREADY_VERIFIED"}
    assert await VerificationAttempt.filter(method=VerificationMethod.ONSITE).count() == 1
    assert await TrailEntry.filter(action="VERIFICATION_PASSED").count() == 1


async def test_on_site_lookup_of_an_unknown_or_invalid_id_number(api: Api) -> None:
    await api.signed_up()
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    missing = await api.gql(ONSITE_CASE, {"idNumber": UNREGISTERED_ID}, token=staff)
    assert missing["data"] is None
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "未找到" in missing["errors"][0]["message"]
    invalid = await api.gql(ONSITE_CASE, {"idNumber": "230307196304054513"}, token=staff)
    assert invalid["errors"][0]["extensions"]["code"] == "INVALID_ID_NUMBER"
    body = await api.gql(CONFIRM, {"input": {"idNumber": UNREGISTERED_ID, "decision": "CONFIRM"}}, token=staff)
    assert [e["code"] for e in body["data"]["confirmOnsiteVerification"]["errors"]] == ["NOT_FOUND"]
    assert await VerificationAttempt.all().count() == 0


async def test_on_site_confirmation_is_published(api: Api, redis: Redis) -> None:
    await signed_up_with_materials(api)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    person = await Person.get(id_number_masked="3604**********0071")
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(person.id))
    try:
        await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
        received = [m async for m in drain(pubsub)]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    [(_, event)] = received
    assert event["type"] == "verification" and event["status"] == "PASSED"


async def test_pending_alipay_attempt_and_on_site_confirmation(api: Api, app: Any, redis: Redis) -> None:
    """Confirmed on site while an Alipay attempt is pending: verified once, the Alipay attempt closed (and both
    announced); the Alipay result cannot undo it."""
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    certify_id = certify_id_of(await started(person))
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel((await Person.get(id_number_masked="3604**********0071")).id))
    try:
        await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
        received = [event for _channel, event in [m async for m in drain(pubsub)]]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    alipay = await VerificationAttempt.get(certify_id=certify_id)
    assert (received[0]["attemptId"], received[0]["status"]) == (alipay.id, "EXPIRED")
    assert [e["status"] for e in received] == ["EXPIRED", "PASSED"]
    assert alipay.status == VerificationStatus.EXPIRED
    assert alipay.failure_reason == onsite_verification.SUPERSEDED_REASON
    own = await viewer(person)
    assert trail_actions(own)[:2] == ["VERIFICATION_EXPIRED", "VERIFICATION_PASSED"]
    assert "支付宝扫码认证已关闭" in own["trail"]["edges"][0]["node"]["description"]
    await press(person, certify_id, "fail")
    await run_burst(app)
    current = (await viewer(person))["verification"]
    assert current["status"] == "PASSED" and current["method"] == "ONSITE"
    assert (await VerificationAttempt.get(certify_id=certify_id)).status == VerificationStatus.EXPIRED


async def test_a_start_in_flight_when_confirmed_on_site_opens_no_attempt(api: Api, provider_spec: Any) -> None:
    """The applicant's start is at the provider when the officer confirms on site: the start then answers
    ALREADY_VERIFIED and leaves no PENDING attempt behind (it would otherwise never be closed)."""
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    GatedStartProvider.called, GatedStartProvider.gate = asyncio.Event(), asyncio.Event()
    provider_spec(GatedStartProvider)
    starting = asyncio.create_task(person.gql(START))
    await asyncio.wait_for(GatedStartProvider.called.wait(), 10)
    confirmed = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
    assert confirmed["data"]["confirmOnsiteVerification"]["errors"] == []
    GatedStartProvider.gate.set()
    answered = (await starting)["data"]["startAlipayVerification"]
    assert [e["code"] for e in answered["errors"]] == ["ALREADY_VERIFIED"]
    assert await VerificationAttempt.filter(method=VerificationMethod.ALIPAY).count() == 0
