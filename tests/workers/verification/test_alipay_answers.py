"""Alipay's answer reaches the attempt: a final refusal fails it at once with Alipay's code and sub_code in the
reason; an unsigned "service unavailable" is retried with back-off like an outage, and only the last try fails it,
naming the sub_code."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import VerificationAttempt, VerificationStatus
from domain.kernel.jobs import MAX_TRIES
from tests.helpers import Api
from tests.verification_helpers import pending_attempt, press
from tests.workers.alipay_answer_provider import SignedErrorResponseProvider, UnsignedUnavailableProvider
from tests.workers.burst import run_burst


@pytest.mark.parametrize(
    ("provider", "retries", "expected"),
    [
        (
            SignedErrorResponseProvider,
            0,
            ["ProviderRejected", "返回码 40002", "子码 isv.invalid-signature", "验签出错"],
        ),
        (UnsignedUnavailableProvider, MAX_TRIES - 1, ["ProviderUnavailable", "返回码 20000", "子码 isp.unknow-error"]),
    ],
)
async def test_the_failure_reason_names_alipays_sub_code(
    api: Api, app: Any, provider_spec: Any, provider: type, retries: int, expected: list[str]
) -> None:
    provider_spec(provider)
    attempt, certify_id = await pending_attempt(api)
    assert await press(api, certify_id, "pass") == 200

    run = await run_burst(app, fast_forward=True)

    assert run.retried == retries and run.failed == 0
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.FAILED
    reason = attempt.failure_reason or ""
    assert reason.startswith("无法向认证机构确认认证结果") and len(reason) <= 200
    for part in expected:
        assert part in reason, reason
