"""SMS delivery through the outbox and a real arq worker (SECURITY checks 13, 15, 16)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from arq.constants import default_queue_name
from arq.jobs import Job, JobStatus
from tortoise.transactions import in_transaction

from db.models import OutboxMessage
from domain.kernel import clock, keys, outbox
from domain.kernel.jobs import BACKOFF_BASE_S, MAX_TRIES
from domain.kernel.jobs import Job as PortalJob
from domain.kernel.settings import get_settings
from tests.helpers import REQUEST_SMS, Api, clear_dev_inbox, sms_code_of
from tests.workers.burst import run_burst
from tests.workers.failing_gateway import CarrierDownGateway
from workers.outbox import relay_outbox
from workers.queue import ArqQueue, connect_pool
from workers.sms import send_sms

NEW_MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def empty_inbox() -> None:
    clear_dev_inbox()


async def _committed_not_enqueued(mobile: str, text: str = "【一级建造师注册】测试短信") -> OutboxMessage:
    """An outbox row as left by a process that crashed between the commit and the enqueue."""
    async with in_transaction():
        message = await outbox.add(PortalJob.SEND_SMS.value, {"mobile": mobile, "text": keys.encrypt(text)})
    return message


async def _request_change_mobile_code(api: Api, mobile: str = NEW_MOBILE) -> dict[str, Any]:
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "CHANGE_MOBILE", "mobile": mobile}})
    result: dict[str, Any] = body["data"]["requestSmsCode"]
    return result


async def test_request_sms_code_is_delivered_by_the_worker_and_the_text_wiped(api: Api, app: Any) -> None:
    await api.signed_up()
    result = await _request_change_mobile_code(api)
    assert result["errors"] == [], result
    assert result["sentTo"] == "139****5678"

    [row] = await OutboxMessage.filter(job_name=PortalJob.SEND_SMS.value, done_at=None)  # not the registration's
    assert row.done_at is None and row.enqueued_at is not None and row.enqueue_count == 1
    assert row.payload["mobile"] == NEW_MOBILE
    assert "验证码" not in row.payload["text"]  # ciphertext at rest
    assert await api.sms_inbox(NEW_MOBILE) == []  # nothing sent before a worker runs

    run = await run_burst(app)

    assert (run.complete, run.failed, run.retried) == (1, 0, 0)
    [message] = await api.sms_inbox(NEW_MOBILE)
    assert message["mobile"] == NEW_MOBILE
    assert message["idempotencyKey"] == str(row.id)  # the carrier deduplicates on the outbox id
    assert "更换绑定手机号" in message["text"]
    assert len(sms_code_of(message)) == 6
    await row.refresh_from_db()
    assert row.done_at is not None and row.failed_at is None
    assert row.payload["text"] is None  # the encrypted text is gone once delivered
    assert row.payload["mobile"] == NEW_MOBILE
    assert await app.state.deps.redis.zcard(default_queue_name) == 0


async def test_same_outbox_id_enqueued_ten_times_concurrently_runs_once(api: Api, app: Any) -> None:
    deps = app.state.deps
    message = await _committed_not_enqueued(NEW_MOBILE)
    outbox_id = str(message.id)

    accepted = await asyncio.gather(*(deps.queue.enqueue(PortalJob.SEND_SMS.value, outbox_id) for _ in range(10)))

    assert sorted(accepted) == [False] * 9 + [True]
    assert await deps.redis.zcard(default_queue_name) == 1
    run = await run_burst(app)
    assert (run.complete, run.failed) == (1, 0)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1
    # Enqueued again after it ran: arq keeps the result under the same id, so nothing is queued.
    again = await asyncio.gather(*(deps.queue.enqueue(PortalJob.SEND_SMS.value, outbox_id) for _ in range(10)))
    assert not any(again)
    assert (await Job(outbox_id, deps.redis).status()) is JobStatus.complete
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1


async def test_a_duplicate_job_under_another_arq_id_sends_nothing(api: Api, app: Any) -> None:
    """Even if the queue hands the same outbox row out twice, the job is idempotent."""
    deps = app.state.deps
    message = await _committed_not_enqueued(NEW_MOBILE)
    await outbox.dispatch(deps.queue, [message])
    await run_burst(app)
    await deps.redis.enqueue_job(PortalJob.SEND_SMS.value, str(message.id))  # a fresh arq job id, same outbox row

    run = await run_burst(app)

    assert run.complete == 1
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1
    assert await send_sms({"job_try": 1}, str(message.id)) == "skipped"
    assert await send_sms({"job_try": 1}, "not-a-uuid") == "skipped"
    assert await send_sms({"job_try": 1}, str(uuid.uuid4())) == "skipped"


async def test_relay_resends_a_row_committed_but_never_enqueued_exactly_once(api: Api, app: Any) -> None:
    deps = app.state.deps
    message = await _committed_not_enqueued(NEW_MOBILE)
    assert await deps.redis.zcard(default_queue_name) == 0

    assert await outbox.relay(deps.queue) == 0  # too fresh: its own request may still enqueue it
    clock.advance(31)
    assert await outbox.relay(deps.queue) == 1
    assert await outbox.relay(deps.queue) == 0  # just enqueued: not re-sent
    clock.advance(31)
    assert await relay_outbox({"deps": deps}) == 1  # the cron job: still not done, so sent again…
    assert await deps.redis.zcard(default_queue_name) == 1  # …but arq collapses it onto the same job id

    run = await run_burst(app)

    assert run.complete == 1
    [delivered] = await api.sms_inbox(NEW_MOBILE)
    assert delivered["text"] == "【一级建造师注册】测试短信"
    await message.refresh_from_db()
    assert message.done_at is not None and message.enqueue_count == 2
    clock.advance(31)
    assert await outbox.relay(deps.queue) == 0  # done rows are never re-sent
    assert await run_burst(app) == type(run)(0, 0, 0)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1


async def test_relay_delivers_what_was_committed_while_redis_was_down(api: Api, app: Any) -> None:
    """dispatch() to an unreachable Redis logs and moves on; the relay delivers the message later."""
    message = await _committed_not_enqueued(NEW_MOBILE)
    unreachable = connect_pool("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        await outbox.dispatch(ArqQueue(unreachable), [message])
    finally:
        await unreachable.aclose()
    await message.refresh_from_db()
    assert message.enqueued_at is None and message.enqueue_count == 0

    clock.advance(31)
    assert await outbox.relay(app.state.deps.queue) == 1
    await run_burst(app)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1


@pytest.fixture
def carrier_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[CarrierDownGateway]]:
    """SMS_GATEWAY pointing at a gateway that always fails; settings restored afterwards."""
    monkeypatch.setenv("SMS_GATEWAY", f"{CarrierDownGateway.__module__}:{CarrierDownGateway.__name__}")
    get_settings.cache_clear()
    CarrierDownGateway.attempts.clear()
    CarrierDownGateway.idempotency_keys.clear()
    yield CarrierDownGateway
    monkeypatch.delenv("SMS_GATEWAY", raising=False)
    get_settings.cache_clear()
    CarrierDownGateway.attempts.clear()
    CarrierDownGateway.idempotency_keys.clear()


async def test_gateway_failure_retries_with_backoff_then_marks_the_row_failed(
    api: Api, app: Any, carrier_down: type[CarrierDownGateway], monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = app.state.deps
    with monkeypatch.context() as then:  # the carrier still worked when the person registered
        then.delenv("SMS_GATEWAY")
        get_settings.cache_clear()
        await api.signed_up()
    get_settings.cache_clear()
    assert (await _request_change_mobile_code(api))["errors"] == []
    [row] = await OutboxMessage.filter(job_name=PortalJob.SEND_SMS.value, done_at=None)

    run = await run_burst(app, fast_forward=True)

    assert carrier_down.attempts == [NEW_MOBILE] * MAX_TRIES
    assert carrier_down.idempotency_keys == [str(row.id)] * MAX_TRIES  # every try: one key for the carrier
    assert (run.complete, run.retried, run.failed) == (0, MAX_TRIES - 1, 1)
    expected_ms = [BACKOFF_BASE_S * 1000 * 2**n for n in range(MAX_TRIES - 1)]  # 5 s, 10 s, 20 s, 40 s
    observed_ms = [ms for job_id, ms in run.deferrals if job_id == str(row.id)]
    assert len(observed_ms) == len(expected_ms)
    for observed, expected in zip(observed_ms, expected_ms, strict=True):
        assert expected - 1000 <= observed <= expected
    await row.refresh_from_db()
    assert row.done_at is None and row.failed_at is not None  # visible to staff, not dropped
    assert row.last_error is not None and "短信发送失败" in row.last_error
    assert "CarrierDownError" in row.last_error
    assert NEW_MOBILE not in row.last_error
    info = await Job(str(row.id), deps.redis).result_info()
    assert info is not None and info.success is False and info.job_try == MAX_TRIES
    assert await deps.redis.zcard(default_queue_name) == 0  # nothing stuck in the queue
    assert await api.sms_inbox(NEW_MOBILE) == []
    clock.advance(3600)
    assert await outbox.relay(deps.queue) == 0  # a failed row is not retried forever by the relay


async def test_a_transient_failure_then_success_delivers_once(
    api: Api, app: Any, carrier_down: type[CarrierDownGateway], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carrier comes back between tries: the retry delivers, the row ends done, not failed."""
    message = await _committed_not_enqueued(NEW_MOBILE)
    await outbox.dispatch(app.state.deps.queue, [message])
    with pytest.raises(Exception) as first:  # the job as arq runs it on try 1: a Retry with back-off
        await send_sms({"job_try": 1}, str(message.id))
    assert type(first.value).__name__ == "Retry"
    assert carrier_down.attempts == [NEW_MOBILE]
    monkeypatch.delenv("SMS_GATEWAY")
    get_settings.cache_clear()

    run = await run_burst(app)

    assert run.complete == 1
    [delivered] = await api.sms_inbox(NEW_MOBILE)
    assert delivered["idempotencyKey"] == carrier_down.idempotency_keys[0] == str(message.id)  # same key on retry
    await message.refresh_from_db()
    assert message.done_at is not None and message.failed_at is None and message.last_error is None


async def test_jobs_lost_with_a_redis_restart_are_re_enqueued_by_the_relay(api: Api, app: Any) -> None:
    """Check 17: Redis loses its queue (restart without persistence); the outbox still knows, the relay re-sends."""
    await api.signed_up()
    assert (await _request_change_mobile_code(api))["errors"] == []
    [row] = await OutboxMessage.filter(job_name=PortalJob.SEND_SMS.value, done_at=None)
    assert row.enqueued_at is not None and row.done_at is None
    await app.state.deps.redis.flushdb()  # what a restart of a Redis without persistence leaves behind
    assert await app.state.deps.redis.zcard(default_queue_name) == 0

    assert await outbox.relay(app.state.deps.queue) == 0  # recently enqueued: not yet considered stuck
    clock.advance(31)
    assert await outbox.relay(app.state.deps.queue) == 1
    run = await run_burst(app)

    assert (run.complete, run.failed) == (1, 0)
    assert len(await api.sms_inbox(NEW_MOBILE)) == 1
    refreshed = await OutboxMessage.get(id=row.id)
    assert refreshed.done_at is not None and refreshed.enqueue_count == 2
