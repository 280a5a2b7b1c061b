"""Real-name verification through the API: start rules, the QR code, full sandbox flows (page → notice → worker),
the NOT_VERIFIED rule, and who may see an attempt."""

from __future__ import annotations

import asyncio
import base64
import io
from typing import Any

import httpx
import pytest
from PIL import Image

from db.models import Person, ProviderNotice, SandboxCertification, VerificationAttempt, VerificationStatus
from domain import trail, verification
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.verification.providers.sandbox import SandboxProvider
from graph.app import create_app
from tests.helpers import VALID_ID, VALID_ID_2, Api
from tests.verification_helpers import (
    certify_id_of,
    later,
    press,
    signed_up_with_materials,
    start,
    started,
    trail_actions,
    upload_materials,
    viewer,
)
from tests.workers.burst import run_burst
from workers.verification import poll_verifications

NODE = """query($id: ID!) { node(id: $id) { id ... on Verification { status certifyUrl } } }"""


def _codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


# --- start rules ------------------------------------------------------------------------------------------------


async def test_start_needs_all_three_identity_materials(api: Api) -> None:
    await api.signed_up()
    assert _codes(await start(api)) == ["ATTACHMENTS_MISSING"]
    await upload_materials(api, ("ID_CARD_FRONT", "ID_CARD_BACK"))
    payload = await start(api)
    assert _codes(payload) == ["ATTACHMENTS_MISSING"] and payload["verification"] is None
    assert "手持身份证" in payload["errors"][0]["message"]
    assert await VerificationAttempt.all().count() == 0

    await upload_materials(api, ("HANDHELD_ID",))
    verification_ = await started(api)
    assert verification_["method"] == "ALIPAY" and verification_["status"] == "PENDING"


async def test_start_needs_a_login(api: Api) -> None:
    body = await api.gql("mutation { startAlipayVerification { errors { code } } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["data"] is None


async def test_start_returns_certify_url_and_a_png_qr_code(api: Api) -> None:
    await signed_up_with_materials(api)
    verification_ = await started(api)

    base = get_settings().public_base_url
    assert verification_["certifyUrl"].startswith(f"{base}/sandbox/alipay/certify/SBX")
    assert verification_["failureReason"] is None and verification_["completedAt"] is None
    prefix = "data:image/png;base64,"
    assert verification_["qrCodeDataUrl"].startswith(prefix)
    png = base64.b64decode(verification_["qrCodeDataUrl"][len(prefix) :], validate=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
        assert image.format == "PNG" and image.width == image.height >= 100
    attempt = await VerificationAttempt.get(certify_id=certify_id_of(verification_))
    assert attempt.provider == "sandbox" and attempt.outer_order_no.isalnum() and len(attempt.outer_order_no) <= 32
    assert (attempt.expires_at - attempt.created_at).total_seconds() == get_settings().verification_ttl_s
    page = await api.client.get(f"/sandbox/alipay/certify/{attempt.certify_id}")
    assert page.status_code == 200 and "刷脸通过" in page.text
    assert "360426199101010071" not in page.text and "3604**********0071" in page.text  # masked on the page


async def test_a_pending_attempt_is_returned_again(api: Api) -> None:
    await signed_up_with_materials(api)
    first = await started(api)
    second = await started(api)
    assert second["id"] == first["id"] and second["certifyUrl"] == first["certifyUrl"]
    assert await VerificationAttempt.all().count() == 1
    assert trail_actions(await viewer(api)).count("VERIFICATION_STARTED") == 1


async def test_concurrent_starts_open_one_attempt(api: Api) -> None:
    """A double click (or five): one attempt, one certify id, one trail entry."""
    await signed_up_with_materials(api)
    payloads = await asyncio.gather(*(start(api) for _ in range(5)))
    assert all(p["errors"] == [] for p in payloads), payloads
    assert len({p["verification"]["id"] for p in payloads}) == 1
    assert await VerificationAttempt.all().count() == 1
    assert trail_actions(await viewer(api)).count("VERIFICATION_STARTED") == 1


async def test_an_expired_attempt_can_be_restarted(api: Api) -> None:
    await signed_up_with_materials(api)
    first = await started(api)
    await later(api, get_settings().verification_ttl_s + 1)
    second = await started(api)  # the old one is past its expiry even before the cron marks it EXPIRED
    assert second["id"] != first["id"] and second["certifyUrl"] != first["certifyUrl"]
    assert (await viewer(api))["verification"]["id"] == second["id"]

    await poll_verifications({"deps": api.app.state.deps})
    old = await VerificationAttempt.get(certify_id=certify_id_of(first))
    assert old.status is VerificationStatus.EXPIRED
    await later(api, get_settings().verification_ttl_s + 1)
    await poll_verifications({"deps": api.app.state.deps})
    assert (await viewer(api))["verification"]["status"] == "EXPIRED"
    third = await started(api)  # after an EXPIRED one
    assert third["status"] == "PENDING" and third["id"] not in (first["id"], second["id"])
    actions = trail_actions(await viewer(api))
    assert actions.count("VERIFICATION_STARTED") == 3 and actions.count("VERIFICATION_EXPIRED") == 2


async def test_too_many_starts_in_an_hour(api: Api) -> None:
    await signed_up_with_materials(api)
    limit = get_settings().verification_starts_per_hour
    for _ in range(limit):
        assert (await started(api))["status"] == "PENDING"
        await later(api, get_settings().verification_ttl_s + 1)  # each one lapses: the next start opens another
    payload = await start(api)
    assert _codes(payload) == ["TOO_MANY_REQUESTS"]
    assert await VerificationAttempt.all().count() == limit


async def test_already_verified(api: Api, app: Any) -> None:
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    assert await press(api, certify_id, "pass") == 200
    await run_burst(app)
    assert _codes(await start(api)) == ["ALREADY_VERIFIED"]
    assert await VerificationAttempt.all().count() == 1


async def test_provider_refusing_the_start_is_a_clear_error(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider rejects the initialization: a coded error, no attempt, nothing half-written."""
    await signed_up_with_materials(api)

    async def refuse(self: SandboxProvider, *args: Any) -> str:
        from domain.verification.providers.base import ProviderUnavailable

        raise ProviderUnavailable("gateway timeout")

    monkeypatch.setattr(SandboxProvider, "initialize", refuse)
    payload = await start(api)
    assert _codes(payload) == ["VERIFICATION_UNAVAILABLE"]
    assert await VerificationAttempt.all().count() == 0
    assert "VERIFICATION_STARTED" not in trail_actions(await viewer(api))


# --- full sandbox flows -----------------------------------------------------------------------------------------


async def test_sandbox_pass_flow(api: Api, app: Any) -> None:
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    person = await viewer(api)
    assert trail_actions(person)[0] == "VERIFICATION_STARTED"

    assert await press(api, certify_id, "pass") == 200
    assert (await viewer(api))["verification"]["status"] == "PENDING"  # the worker has not run yet

    run = await run_burst(app)

    assert run.failed == 0 and run.complete == 2  # the sandbox's notice sender, then the notice job
    person = await viewer(api)
    current = person["verification"]
    assert current["status"] == "PASSED" and current["method"] == "ALIPAY"
    assert current["completedAt"] is not None and current["failureReason"] is None
    assert current["qrCodeDataUrl"] is None  # nothing left to scan
    assert trail_actions(person)[:2] == ["VERIFICATION_PASSED", "VERIFICATION_STARTED"]
    passed = person["trail"]["edges"][0]["node"]
    assert "支付宝" in passed["description"] and passed["actor"] == "系统"
    [notice] = await ProviderNotice.all()
    assert notice.valid and notice.processed_at is not None and notice.outcome == "PASSED"
    assert await press(api, certify_id, "fail") == 409  # the first press counts
    assert await trail.verify_all() == []  # the worker's entries extend the chain properly


async def test_sandbox_fail_flow(api: Api, app: Any) -> None:
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    assert await press(api, certify_id, "fail") == 200

    await run_burst(app)

    person = await viewer(api)
    current = person["verification"]
    assert current["status"] == "FAILED"
    assert current["failureReason"] == "人脸比对未通过（沙箱）"
    assert trail_actions(person)[:2] == ["VERIFICATION_FAILED", "VERIFICATION_STARTED"]
    assert "人脸比对未通过" in person["trail"]["edges"][0]["node"]["description"]
    # A failed attempt can be followed by a new one, which then passes.
    again = await started(api)
    assert again["status"] == "PENDING"
    assert await press(api, certify_id_of(again), "pass") == 200
    await run_burst(app)
    person = await viewer(api)
    assert person["verification"]["status"] == "PASSED" and person["verification"]["id"] == again["id"]


async def test_certify_page_rejects_unknown_ids_and_bad_decisions(api: Api) -> None:
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    assert (await api.client.get("/sandbox/alipay/certify/SBXunknown")).status_code == 404
    assert await press(api, "SBXunknown", "pass") == 409
    assert await press(api, certify_id, "maybe") == 400
    page = await api.client.get(f"/sandbox/alipay/certify/{certify_id}")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in page.headers["content-security-policy"]


async def test_production_serves_no_sandbox_certify_page(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """IDENTITY_PROVIDER left at its default in production must not let anyone press "pass"."""
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    monkeypatch.setenv("APP_ENV", "prod")
    get_settings.cache_clear()
    try:
        production = create_app()  # routing alone answers these: no lifespan (the test app's ORM stays open)
        transport = httpx.ASGITransport(app=production, client=("203.0.113.10", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            page = await client.get(f"/sandbox/alipay/certify/{certify_id}")
            pressed = await client.post(f"/sandbox/alipay/certify/{certify_id}", data={"decision": "pass"})
    finally:
        monkeypatch.setenv("APP_ENV", "test")
        get_settings.cache_clear()
    assert (page.status_code, pressed.status_code) == (404, 404)
    assert (await SandboxCertification.get(certify_id=certify_id)).passed is None
    assert await press(api, certify_id, "pass") == 200  # the test-mode app still has it


# --- the rule filings depend on -----------------------------------------------------------------------------------


async def test_require_verified_before_and_after(api: Api, app: Any) -> None:
    await signed_up_with_materials(api)
    person = await Person.get(id_number_masked="3604**********0071")
    with pytest.raises(DomainError) as refused:
        await verification.require_verified(person.id)
    assert refused.value.code is ErrorCode.NOT_VERIFIED
    assert "实名认证" in refused.value.message

    certify_id = certify_id_of(await started(api))
    with pytest.raises(DomainError):  # pending is not verified
        await verification.require_verified(person.id)
    await press(api, certify_id, "pass")
    await run_burst(app)

    await verification.require_verified(person.id)
    assert await verification.is_verified(person.id)


# --- visibility -------------------------------------------------------------------------------------------------


async def test_another_person_cannot_see_a_verification_by_node_id(api: Api) -> None:
    await signed_up_with_materials(api)
    mine = await started(api)
    own = await api.gql(NODE, {"id": mine["id"]})
    assert own["data"]["node"] == {"id": mine["id"], "status": "PENDING", "certifyUrl": mine["certifyUrl"]}

    other_token = await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    theirs = await api.gql(NODE, {"id": mine["id"]}, token=other_token)
    assert theirs["data"]["node"] is None
    nodes = await api.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [mine["id"]]}, token=other_token)
    assert nodes["data"]["nodes"] == [None]
    assert (await api.gql("{ viewer { verification { id } } }", token=other_token))["data"]["viewer"] == {
        "verification": None
    }
    anonymous = await api.client.post("/graphql", json={"query": NODE, "variables": {"id": mine["id"]}})
    assert anonymous.json()["data"]["node"] is None
    assert VALID_ID not in str(own)  # the full ID number never shows up in a payload
