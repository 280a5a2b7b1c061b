"""Guards around the provider: a flood of invalid notices, a misconfigured Alipay key, the sandbox in production."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.models import ProviderNotice, VerificationAttempt
from domain.kernel.settings import get_settings
from domain.verification import notices as verification_notices
from domain.verification.alipay_start import PROVIDER_CALLS_PER_START
from domain.verification.providers import registry, rsa2, sandbox
from tests.helpers import Api
from tests.verification_helpers import CALLBACK, certify_id_of, start, started, upload_materials


def _provider_env(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    registry._build.cache_clear()


@pytest.fixture
def restore_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()
    registry._build.cache_clear()


async def test_invalid_notices_from_one_address_are_kept_only_up_to_the_hourly_cap(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verification_notices, "INVALID_NOTICES_KEPT_PER_HOUR", 3)
    forged = {**sandbox.build_notice("SBXunknown", True), "passed": "T", "sign": "AAAA"}
    statuses = [(await api.client.post(CALLBACK, data=forged)).status_code for _ in range(5)]
    assert statuses == [400] * 5
    assert await ProviderNotice.filter(valid=False).count() == 3


async def test_a_missing_alipay_key_answers_503_so_alipay_retries(
    api: Api, monkeypatch: pytest.MonkeyPatch, restore_settings: None
) -> None:
    _provider_env(monkeypatch, IDENTITY_PROVIDER="alipay")
    response = await api.client.post(CALLBACK, data=sandbox.build_notice("SBX0", True))
    assert (response.status_code, response.text) == (503, "fail")
    assert await ProviderNotice.all().count() == 0


async def test_the_sandbox_refuses_to_start_in_production(
    api: Api, monkeypatch: pytest.MonkeyPatch, restore_settings: None
) -> None:
    await api.signed_up()
    await upload_materials(api)
    _provider_env(monkeypatch, APP_ENV="prod", SECRET_KEY="test-secret-key-not-for-production-0123456789")
    payload = await start(api)
    assert [e["code"] for e in payload["errors"]] == ["VERIFICATION_UNAVAILABLE"]
    assert await VerificationAttempt.all().count() == 0


async def test_the_sandbox_starts_in_dev_and_test(api: Api) -> None:
    await api.signed_up()
    await upload_materials(api)
    verification = await started(api)
    assert certify_id_of(verification).startswith("SBX")


def _alipay_unreachable(monkeypatch: pytest.MonkeyPatch, keys_dir: Path) -> None:
    """Alipay as the provider, with real keys, behind a gateway address where nothing listens (loopback)."""
    private_key, public_key = keys_dir / "app.pem", keys_dir / "alipay.pem"
    private_key.write_bytes(rsa2.private_pem(rsa2.generate_private_key()))
    public_key.write_bytes(rsa2.public_pem(rsa2.generate_private_key().public_key()))
    _provider_env(
        monkeypatch,
        IDENTITY_PROVIDER="alipay",
        ALIPAY_GATEWAY_URL="http://127.0.0.1:9/gateway.do",  # discard port, nothing listens
        ALIPAY_APP_PRIVATE_KEY_FILE=str(private_key),
        ALIPAY_PUBLIC_KEY_FILE=str(public_key),
        ALIPAY_TIMEOUT_S="2",
    )


async def test_an_alipay_outage_does_not_use_up_the_hourly_starts(
    api: Api, monkeypatch: pytest.MonkeyPatch, restore_settings: None, tmp_path: Path
) -> None:
    """Alipay's gateway unreachable: each start answers VERIFICATION_UNAVAILABLE and is not counted, so once the
    gateway is back the applicant still has every start of the hour."""
    await api.signed_up()
    await upload_materials(api)
    limit = get_settings().verification_starts_per_hour
    _alipay_unreachable(monkeypatch, tmp_path)
    for _ in range(limit + 2):
        payload = await start(api)
        assert [e["code"] for e in payload["errors"]] == ["VERIFICATION_UNAVAILABLE"]
    assert await VerificationAttempt.all().count() == 0

    _provider_env(monkeypatch, IDENTITY_PROVIDER="sandbox")  # the gateway is back
    assert certify_id_of(await started(api)).startswith("SBX")


async def test_calls_to_a_provider_that_is_down_are_still_capped(
    api: Api, monkeypatch: pytest.MonkeyPatch, restore_settings: None, tmp_path: Path
) -> None:
    """Outages do not count as starts, but the calls to the provider do: 4 per allowed start an hour."""
    await api.signed_up()
    await upload_materials(api)
    calls = get_settings().verification_starts_per_hour * PROVIDER_CALLS_PER_START
    _alipay_unreachable(monkeypatch, tmp_path)
    codes = [[e["code"] for e in (await start(api))["errors"]] for _ in range(calls + 1)]
    assert codes == [["VERIFICATION_UNAVAILABLE"]] * calls + [["TOO_MANY_REQUESTS"]]
