"""Full sandbox flows (page → notice → worker), the certify page, the NOT_VERIFIED rule, and who may see an
attempt."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from db.models import Person, ProviderNotice, SandboxCertification
from domain import trail, verification
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import UnsafeConfigurationError, get_settings
from graph.app import create_app
from tests.helpers import VALID_ID, VALID_ID_2, Api
from tests.verification_helpers import certify_id_of, press, signed_up_with_materials, started, trail_actions, viewer
from tests.workers.burst import run_burst


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


async def test_production_refuses_to_start_with_the_sandbox(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """IDENTITY_PROVIDER left at its default in production must not let anyone press "pass": the app refuses to
    be built at all (the rest of the configuration is fit for production)."""
    await signed_up_with_materials(api)
    certify_id = certify_id_of(await started(api))
    monkeypatch.setenv("APP_ENV", "prod")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("SMS_GATEWAY", "tests.e2e.prod_plugins:RecordingGateway")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://jzs.example.gov.cn")  # QR codes need a public https address
    get_settings.cache_clear()
    try:
        with pytest.raises(UnsafeConfigurationError) as refused:
            create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert [problem.split(" ", 1)[0] for problem in refused.value.problems] == ["IDENTITY_PROVIDER"]
    assert (await SandboxCertification.get(certify_id=certify_id)).passed is None
    assert await press(api, certify_id, "pass") == 200  # the test-mode app still has it


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


NODE = """query($id: ID!) { node(id: $id) { id ... on Verification { status certifyUrl } } }"""


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
