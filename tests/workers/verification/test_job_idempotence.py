"""SECURITY check 16: one job id, one execution; a job rerun after its effect committed does not repeat it."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.constants import default_queue_name

from db.models import OutboxMessage, ProviderNotice, VerificationAttempt, VerificationStatus
from domain import trail
from domain.kernel import clock
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job as PortalJob
from domain.verification.notices import confirm_with_provider, receive_notice
from domain.verification.providers.sandbox import build_notice
from tests.helpers import Api
from tests.verification_helpers import decided_without_notice, pending_attempt
from tests.workers.burst import run_burst
from tests.workers.verification.helpers import process_messages, transitions
from workers.outbox import relay_outbox
from workers.queue import ArqQueue, connect_pool
from workers.verification import process_verification_notice


async def test_the_same_job_id_enqueued_ten_times_concurrently_runs_once(api: Api, app: Any) -> None:
    deps = app.state.deps
    attempt, certify_id = await pending_attempt(api)
    await decided_without_notice(certify_id, True)
    unreachable = connect_pool("redis://127.0.0.1:1/0")  # the enqueue after commit fails: stored, not queued
    try:
        notice = build_notice(certify_id, True)
        meta = RequestMeta(ip="127.0.0.1", user_agent="test")
        accepted = await receive_notice(Deps(deps.redis, ArqQueue(unreachable)), notice, meta)
    finally:
        await unreachable.aclose()
    assert accepted
    [message] = await process_messages()
    assert message.enqueued_at is None and await deps.redis.zcard(default_queue_name) == 0

    queued = await asyncio.gather(
        *(deps.queue.enqueue(PortalJob.PROCESS_VERIFICATION_NOTICE.value, str(message.id)) for _ in range(10))
    )

    assert sorted(queued) == [False] * 9 + [True]
    run = await run_burst(app)
    assert (run.complete, run.failed) == (1, 0)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.check_count == 1
    assert await transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
    # Again after it ran: collapsed onto the kept result; and the job itself is idempotent.
    assert not any(
        await asyncio.gather(
            *(deps.queue.enqueue(PortalJob.PROCESS_VERIFICATION_NOTICE.value, str(message.id)) for _ in range(10))
        )
    )
    ctx = {"deps": deps, "job_try": 1}
    assert await process_verification_notice(ctx, str(message.id)) == "skipped"
    assert await process_verification_notice(ctx, "not-a-uuid") == "skipped"
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.check_count == 1


async def test_a_job_rerun_after_its_effect_committed_does_not_repeat_it(api: Api, app: Any) -> None:
    """A worker dies after the transition committed but before the outbox row was acknowledged (check 14, the
    part after the commit): the rerun finds the attempt final and only acknowledges."""
    deps = app.state.deps
    attempt, certify_id = await pending_attempt(api)
    await decided_without_notice(certify_id, True)
    unreachable = connect_pool("redis://127.0.0.1:1/0")
    try:
        meta = RequestMeta(ip="127.0.0.1", user_agent="test")
        assert await receive_notice(Deps(deps.redis, ArqQueue(unreachable)), build_notice(certify_id, True), meta)
    finally:
        await unreachable.aclose()
    [message] = await process_messages()
    # What the dead worker got done: the query and the transition, committed; no acknowledgement.
    assert await confirm_with_provider(deps, attempt) == "PASSED"
    message = await OutboxMessage.get(id=message.id)
    assert message.done_at is None

    clock.advance(31)
    assert await relay_outbox({"deps": deps}) == 1  # the relay hands the unacknowledged row to arq again
    run = await run_burst(app)

    assert run.complete == 1
    message = await OutboxMessage.get(id=message.id)
    assert message.done_at is not None
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.check_count == 1  # not queried again
    assert await transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
    assert (await ProviderNotice.get(valid=True)).outcome == "已是最终状态 PASSED"
    assert await trail.verify_all() == []
