"""startAlipayVerification through the API: the materials it needs, the certify URL and QR code, one pending
attempt at a time, restarts, the hourly limit, a provider that refuses."""

from __future__ import annotations

import asyncio
import base64
import io
from typing import Any

import pytest
from PIL import Image

from db.models import VerificationAttempt, VerificationStatus
from domain.kernel.settings import get_settings
from domain.verification.providers.sandbox import SandboxProvider
from tests.helpers import Api
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


def _codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


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
