"""SECURITY check 27: any malformed callback is a 400, never a 500 — over-long ids (signed or not), a NUL byte in a
field name or value (PostgreSQL refuses NUL in text), and invalid notices while Redis is unreachable."""

from __future__ import annotations

import socket
from dataclasses import replace
from typing import Any

import pytest

from db.models import ProviderNotice, VerificationAttempt, VerificationStatus
from db.redis import connect
from domain.verification.providers import rsa2
from domain.verification.providers.sandbox import build_notice, sandbox_key
from tests.helpers import Api
from tests.verification_helpers import pending_attempt, post_notice


def _signed(params: dict[str, str]) -> dict[str, str]:
    """Signed with the sandbox's key, as the (sandbox) provider signs: these pass the signature check."""
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    return {**unsigned, "sign": rsa2.sign(sandbox_key(), rsa2.signing_string(unsigned, rsa2.UNSIGNED_NOTICE_KEYS))}


def _malformed(certify_id: str) -> dict[str, dict[str, str]]:
    genuine = build_notice(certify_id, True)
    return {
        "certify_id of 65": {**genuine, "certify_id": "A" * 65},
        "certify_id of 2000": {"certify_id": "A" * 2000, "notify_id": "n1"},
        "signed certify_id of 65": build_notice("S" * 65, True),
        "signed notify_id of 129": build_notice(certify_id, True, notify_id="N" * 129),
        "NUL in a name": {**genuine, "cert\x00ify": "x"},
        "NUL in a value": {**genuine, "certify_id": certify_id + "\x00"},
        "NUL in a signed value": _signed({**genuine, "fail_reason": "a\x00b"}),
        "NUL in the signature": {**genuine, "sign": "\x00" + genuine["sign"]},
    }


async def test_malformed_notices_are_refused_with_400(api: Api) -> None:
    attempt, certify_id = await pending_attempt(api)
    cases = _malformed(certify_id)

    for name, params in cases.items():
        assert await post_notice(api, params) == (400, "fail"), name

    rows = await ProviderNotice.all()
    assert len(rows) == len(cases)  # kept for audit, stored whatever the backend
    assert all(not row.valid and row.rejection and row.notify_id is None for row in rows)
    assert all(row.certify_id in (None, certify_id) for row in rows)
    assert all("\x00" not in key + value for row in rows for key, value in row.params.items())
    assert (await VerificationAttempt.get(id=attempt.id)).status is VerificationStatus.PENDING


@pytest.mark.parametrize(
    "body",
    [
        b"certify_id=%ED%A0%80&notify_id=%FF%FE",  # an encoded surrogate and bytes that are not UTF-8
        b"certify_id=%00&%00=%00",
        b"certify_id=" + b"A" * 5000,
        b"%E4%B8%AD" * 30 + b"=1",  # a field name over 64 characters
    ],
)
async def test_raw_bodies_that_are_not_clean_text_are_refused_with_400(api: Api, body: bytes) -> None:
    await pending_attempt(api)
    headers = {"content-type": "application/x-www-form-urlencoded"}
    response = await api.client.post("/callbacks/alipay", content=body, headers=headers)
    assert (response.status_code, response.text) == (400, "fail")
    assert all(not row.valid for row in await ProviderNotice.all())


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_invalid_notices_with_redis_down_are_refused_with_400(
    api: Api, app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    attempt, certify_id = await pending_attempt(api)
    cases = {**_malformed(certify_id), "unsigned": {"certify_id": certify_id, "notify_id": "n2"}}
    working = app.state.deps
    unreachable = connect(f"redis://127.0.0.1:{_closed_port()}/0")
    app.state.deps = replace(working, redis=unreachable)
    try:
        for name, params in cases.items():
            assert await post_notice(api, params) == (400, "fail"), name
    finally:
        app.state.deps = working
        await unreachable.aclose()

    assert await ProviderNotice.all().count() == 0  # not kept: the flood limit could not be checked
    logged = [r for r in caplog.records if r.name == "portal.callbacks" and "Redis unavailable" in r.getMessage()]
    assert len(logged) == len(cases)
    assert (await VerificationAttempt.get(id=attempt.id)).status is VerificationStatus.PENDING
