"""SECURITY check 15: the provider's query keeps failing (back-off to the last try, then a visible failure),
fails for a while, or is down while polling."""

from __future__ import annotations

from typing import Any

from arq.constants import default_queue_name
from arq.jobs import Job

from db.models import OutboxMessage, ProviderNotice, VerificationAttempt, VerificationStatus
from domain.kernel import clock
from domain.kernel.jobs import BACKOFF_BASE_S, MAX_TRIES
from domain.kernel.settings import get_settings
from domain.verification.providers import registry
from tests.helpers import Api
from tests.verification_helpers import pending_attempt, press, started, viewer
from tests.workers.burst import run_burst
from tests.workers.unavailable_provider import FlakyQueryProvider, QueryUnavailableProvider
from tests.workers.verification.helpers import process_messages, transitions
from workers.verification import poll_verifications


async def test_query_down_backs_off_to_max_tries_then_a_visible_failure(api: Api, app: Any, provider_spec: Any) -> None:
    provider_spec(QueryUnavailableProvider)
    assert registry.provider().__class__ is QueryUnavailableProvider
    attempt, certify_id = await pending_attempt(api)
    assert await press(api, certify_id, "pass") == 200

    run = await run_burst(app, fast_forward=True)

    assert QueryUnavailableProvider.queries == [certify_id] * MAX_TRIES
    [message] = await process_messages()
    expected_ms = [BACKOFF_BASE_S * 1000 * 2**n for n in range(MAX_TRIES - 1)]  # 5 s, 10 s, 20 s, 40 s
    observed_ms = [ms for job_id, ms in run.deferrals if job_id == str(message.id)]
    assert len(observed_ms) == len(expected_ms), run.deferrals
    for observed, expected in zip(observed_ms, expected_ms, strict=True):
        assert expected - 1000 <= observed <= expected
    assert run.retried == MAX_TRIES - 1 and run.failed == 0

    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.FAILED
    assert attempt.failure_reason and "无法向认证机构确认认证结果" in attempt.failure_reason
    assert "ProviderUnavailable" in attempt.failure_reason
    current = (await viewer(api))["verification"]
    assert current["status"] == "FAILED" and current["failureReason"] == attempt.failure_reason
    assert await transitions(attempt.person_id) == ["VERIFICATION_FAILED"]  # type: ignore[attr-defined]
    message = await OutboxMessage.get(id=message.id)
    assert message.done_at is not None and message.failed_at is None
    info = await Job(str(message.id), app.state.deps.redis).result_info()
    assert info is not None and info.job_try == MAX_TRIES and info.success
    assert await app.state.deps.redis.zcard(default_queue_name) == 0  # nothing stuck
    notice = await ProviderNotice.get(valid=True)
    assert notice.processed_at is not None and notice.outcome == attempt.failure_reason
    # Not a dead end: the person can start again.
    assert (await started(api))["status"] == "PENDING"


async def test_a_transient_fault_then_an_answer_applies_the_answer_once(api: Api, app: Any, provider_spec: Any) -> None:
    provider_spec(FlakyQueryProvider)
    attempt, certify_id = await pending_attempt(api)
    await press(api, certify_id, "pass")

    run = await run_burst(app, fast_forward=True)

    assert len(FlakyQueryProvider.queries) == FlakyQueryProvider.failures + 1
    assert run.retried == FlakyQueryProvider.failures
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.failure_reason is None
    assert await transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]


async def test_polling_with_the_provider_down_keeps_going_and_still_expires(
    api: Api, app: Any, provider_spec: Any
) -> None:
    provider_spec(QueryUnavailableProvider)
    attempt, _ = await pending_attempt(api)
    clock.advance(61)
    assert await poll_verifications({"deps": app.state.deps}) == 1  # the fault is swallowed until the next poll
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING
    clock.advance(get_settings().verification_ttl_s)
    await poll_verifications({"deps": app.state.deps})
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.EXPIRED
