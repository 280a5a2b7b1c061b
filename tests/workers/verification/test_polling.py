"""Polling pending attempts: a lost notice resolved, an unfinished attempt expired, small batches reach all."""

from __future__ import annotations

from typing import Any

from db.models import VerificationAttempt, VerificationStatus
from domain import verification
from domain.kernel import clock
from tests.helpers import VALID_ID_2, Api
from tests.verification_helpers import (
    certify_id_of,
    decided_without_notice,
    later,
    pending_attempt,
    press,
    signed_up_with_materials,
    started,
    viewer,
)
from tests.workers.burst import run_burst
from tests.workers.verification.helpers import transitions
from workers.verification import poll_verifications


async def test_polling_resolves_an_attempt_whose_notice_never_came(api: Api, app: Any) -> None:
    deps = app.state.deps
    attempt, certify_id = await pending_attempt(api)
    await decided_without_notice(certify_id, True)
    assert await poll_verifications({"deps": deps}) == 0  # too young: the notice may still come
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING and attempt.check_count == 0

    clock.advance(61)
    assert await poll_verifications({"deps": deps}) == 1

    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.check_count == 1
    assert await transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
    clock.advance(61)
    assert await poll_verifications({"deps": deps}) == 0  # nothing pending any more


async def test_an_unfinished_attempt_expires_after_its_ttl(api: Api, app: Any) -> None:
    deps = app.state.deps
    attempt, certify_id = await pending_attempt(api)
    clock.advance(61)
    assert await poll_verifications({"deps": deps}) == 1
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING and attempt.check_count == 1
    assert attempt.last_checked_at is not None
    assert await poll_verifications({"deps": deps}) == 0  # just checked: not queried again
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.check_count == 1

    clock.advance(1801)
    await poll_verifications({"deps": deps})

    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.EXPIRED
    assert attempt.failure_reason == "超过有效时间未完成认证" and attempt.completed_at is not None
    assert await transitions(attempt.person_id) == ["VERIFICATION_EXPIRED"]  # type: ignore[attr-defined]
    # Pressing pass afterwards (a late scan): the notice is processed, the expired attempt stays expired.
    assert await press(api, certify_id, "pass") == 200
    await run_burst(app)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.EXPIRED
    await later(api, 0)
    assert (await viewer(api))["verification"]["status"] == "EXPIRED"


async def test_polling_in_small_batches_reaches_every_due_attempt(api: Api, app: Any) -> None:
    """Recently checked attempts must not fill a batch and starve never-checked ones (PostgreSQL sorts NULL
    last_checked_at after every timestamp)."""
    deps = app.state.deps
    first, _ = await pending_attempt(api)
    clock.advance(61)
    assert await verification.poll_pending(deps, batch_size=1) == 1  # first: checked at t+61
    await signed_up_with_materials(api, id_number=VALID_ID_2, mobile="13800138002")
    second = await VerificationAttempt.get(certify_id=certify_id_of(await started(api)))  # created at t+61
    clock.advance(61)  # both are due now: the first was checked 61 s ago, the second never

    for _ in range(2):
        assert await verification.poll_pending(deps, batch_size=1) == 1

    first = await VerificationAttempt.get(id=first.id)
    second = await VerificationAttempt.get(id=second.id)
    assert (first.check_count, second.check_count) == (2, 1)
    assert await verification.poll_pending(deps, batch_size=1) == 0  # both just checked
