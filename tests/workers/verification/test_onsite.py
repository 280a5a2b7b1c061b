"""Provider notices, the notice job, polling and on-site verification with real parts: the callback over HTTP
(ASGI), the database, Redis and a real arq worker in burst mode (SECURITY checks 11, 12, 15, 16)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from arq.constants import default_queue_name
from arq.jobs import Job
from cryptography.hazmat.primitives.asymmetric import rsa
from redis.asyncio import Redis

from db.models import (
    OutboxMessage,
    Person,
    ProviderNotice,
    StaffRole,
    TrailEntry,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain import trail, verification
from domain.kernel import clock, events
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.jobs import BACKOFF_BASE_S, MAX_TRIES
from domain.kernel.jobs import Job as PortalJob
from domain.kernel.settings import get_settings
from domain.verification import onsite as onsite_verification
from domain.verification.notices import confirm_with_provider, receive_notice
from domain.verification.providers import registry, rsa2, sandbox, sandbox_delivery
from domain.verification.providers.sandbox import SandboxProvider, build_notice
from tests.helpers import VALID_ID, VALID_ID_2, Api
from tests.verification_helpers import (
    CALLBACK,
    START,
    certify_id_of,
    decided_without_notice,
    later,
    pending_attempt,
    post_notice,
    press,
    signed_up_with_materials,
    staff_token,
    started,
    trail_actions,
    viewer,
)
from tests.workers.burst import run_burst
from tests.workers.unavailable_provider import FlakyQueryProvider, GatedStartProvider, QueryUnavailableProvider
from workers.outbox import relay_outbox
from workers.queue import ArqQueue, connect_pool
from workers.verification import poll_verifications, process_verification_notice

FOREIGN_APP_ID = "2021009999999999"
ONSITE_CASE = """query($idNumber: String!) { onsiteVerificationCase(idNumber: $idNumber) {
  verified person { realName idNumberMasked } materials { kind url } } }"""
CONFIRM = """mutation($input: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $input) {
  errors { field code message } verification { id method status comment failureReason completedAt } } }"""


def _signed_with(key: rsa.RSAPrivateKey, params: dict[str, str]) -> dict[str, str]:
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    return {**unsigned, "sign": rsa2.sign(key, rsa2.signing_string(unsigned, rsa2.UNSIGNED_NOTICE_KEYS))}


async def _transitions(person_id: int) -> list[str]:
    """The person's outcome entries in the trail (one per transition)."""
    outcomes = ("VERIFICATION_PASSED", "VERIFICATION_FAILED", "VERIFICATION_EXPIRED")
    rows = await TrailEntry.filter(person_id=person_id, action__in=outcomes).order_by("seq")
    return [row.action for row in rows]


async def _process_messages() -> list[OutboxMessage]:
    return await OutboxMessage.filter(job_name=PortalJob.PROCESS_VERIFICATION_NOTICE.value).order_by("created_at")


# --- check 11: forged notices ---------------------------------------------------------------------------------


async def test_forged_notices_are_rejected_stored_for_audit_and_change_nothing(api: Api, app: Any) -> None:
    attempt, certify_id = await pending_attempt(api)
    # The provider's answer is already "passed": any forged notice that got through would turn into PASSED.
    await decided_without_notice(certify_id, True)
    genuine = build_notice(certify_id, True)
    forger = rsa2.generate_private_key()
    cases = {
        "tampered field": {**genuine, "certify_id": certify_id + "0"},
        "tampered outcome": {**build_notice(certify_id, False), "passed": "T"},
        "wrong key": _signed_with(forger, genuine),
        "missing signature": {k: v for k, v in genuine.items() if k != "sign"},
        "foreign app id": build_notice(certify_id, True, app_id=FOREIGN_APP_ID),
        "unknown certify id": build_notice("SBX" + "0" * 32, True),
    }
    for name, params in cases.items():
        status, body = await post_notice(api, params)
        assert status == 400, name
        assert body != "success", name
    not_a_form = await api.client.post(CALLBACK, json=genuine)
    assert not_a_form.status_code == 400

    rows = await ProviderNotice.all().order_by("id")
    assert len(rows) == len(cases) + 1
    assert all(row.valid is False and row.rejection and row.processed_at is None for row in rows)
    assert all(row.notify_id is None for row in rows)  # a rejected notice never claims a notify_id
    assert rows[0].params["certify_id"] == certify_id + "0" and rows[0].ip == "203.0.113.10"
    rejections = {name: row.rejection or "" for name, row in zip(cases, rows, strict=False)}
    assert "签名" in rejections["wrong key"] and "签名" in rejections["missing signature"]
    assert "app_id" in rejections["foreign app id"]
    assert "certify_id" in rejections["unknown certify id"]
    assert await _process_messages() == []
    assert await app.state.deps.redis.zcard(default_queue_name) == 0

    run = await run_burst(app)

    assert run.complete == 0
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING and attempt.check_count == 0
    assert await _transitions(attempt.person_id) == []  # type: ignore[attr-defined]

    # The genuine notice (its notify_id unused by the rejected copies) is answered with exactly `success`.
    response = await api.client.post(CALLBACK, data=genuine)
    assert response.status_code == 200
    assert response.content == b"success"
    assert response.headers["content-type"].startswith("text/plain")
    await run_burst(app)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED
    valid = await ProviderNotice.get(valid=True)
    assert valid.notify_id == genuine["notify_id"] and valid.outcome == "PASSED"


async def test_the_callback_needs_no_login_but_caps_its_fields(api: Api, app: Any) -> None:
    _, certify_id = await pending_attempt(api)
    stuffed = {**build_notice(certify_id, True), **{f"x{i}": "y" for i in range(60)}}
    status, _ = await post_notice(api, stuffed)
    assert status == 400
    assert await _process_messages() == []
    assert (await api.client.get(CALLBACK)).status_code == 405


# --- check 12: duplicates, stale and replayed notices ---------------------------------------------------------


async def test_the_same_notice_five_times_concurrently_plus_a_stale_one(api: Api, app: Any) -> None:
    attempt, certify_id = await pending_attempt(api)
    await decided_without_notice(certify_id, True)
    notice = build_notice(certify_id, True)
    stale = build_notice(certify_id, False)  # genuine but contradicting what the provider now says

    answers = await asyncio.gather(*(post_notice(api, notice) for _ in range(5)), post_notice(api, stale))

    assert answers == [(200, "success")] * 6
    valid = await ProviderNotice.filter(valid=True).order_by("id")
    assert sorted(row.notify_id or "" for row in valid) == sorted([notice["notify_id"], stale["notify_id"]])
    assert await ProviderNotice.filter(valid=False).count() == 0
    assert len(await _process_messages()) == 2

    run = await run_burst(app)

    assert (run.complete, run.failed) == (2, 0)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED  # what the provider's query says, not the stale notice
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    assert await _transitions(person_id) == ["VERIFICATION_PASSED"]
    outcomes = sorted(row.outcome or "" for row in await ProviderNotice.filter(valid=True))
    # The other job saw the final state, or (run concurrently, as on PostgreSQL) lost the conditional update.
    assert outcomes[0] == "PASSED" and outcomes[1] in ("已是最终状态 PASSED", "状态已由其他处理更新")
    assert all(m.done_at is not None for m in await _process_messages())
    assert await trail.verify_all() == []


async def test_the_provider_decides_not_the_notice(api: Api, app: Any) -> None:
    attempt, certify_id = await pending_attempt(api)
    await decided_without_notice(certify_id, False)
    assert await post_notice(api, build_notice(certify_id, True)) == (200, "success")  # says passed: it is not

    await run_burst(app)

    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.FAILED
    assert attempt.failure_reason == "人脸比对未通过（沙箱）"


async def test_a_notice_before_the_result_changes_nothing_until_the_provider_has_one(api: Api, app: Any) -> None:
    attempt, certify_id = await pending_attempt(api)
    early = build_notice(certify_id, True)  # arrives before the person finished on the provider's side
    assert await post_notice(api, early) == (200, "success")
    await run_burst(app)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING and attempt.check_count == 1
    assert (await ProviderNotice.get(valid=True)).outcome == "认证尚未完成"

    assert await press(api, certify_id, "fail") == 200  # now the sandbox sends its own notice
    await run_burst(app)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.FAILED


async def test_replays_after_a_final_state_change_nothing(api: Api, app: Any, redis: Redis) -> None:
    attempt, certify_id = await pending_attempt(api)
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    await press(api, certify_id, "pass")
    await run_burst(app)
    [first] = await ProviderNotice.filter(valid=True)
    assert first.outcome == "PASSED"
    attempt = await VerificationAttempt.get(id=attempt.id)
    completed_at = attempt.completed_at

    replay = {str(k): str(v) for k, v in first.params.items()}  # the same notice again, byte for byte
    answers = [await post_notice(api, replay) for _ in range(3)]
    late_fail = build_notice(certify_id, False)  # a genuine notice with an older outcome, arriving late
    answers.append(await post_notice(api, late_fail))
    assert answers == [(200, "success")] * 4
    assert await ProviderNotice.filter(valid=True).count() == 2  # the replays collapsed onto their notify_id

    await run_burst(app)

    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.completed_at == completed_at
    assert await _transitions(person_id) == ["VERIFICATION_PASSED"]
    late = await ProviderNotice.get(notify_id=late_fail["notify_id"])
    assert late.outcome == "已是最终状态 PASSED"
    assert (await viewer(api))["verification"]["status"] == "PASSED"


async def test_the_sandbox_sender_retries_with_one_notify_id_then_gives_up_visibly(api: Api, app: Any) -> None:
    """Like Alipay, the sandbox re-sends a notice the callback did not answer with `success`, on its schedule."""
    certify_id = await SandboxProvider().initialize("RV0orphan", "张三", VALID_ID, "http://127.0.0.1/return")
    row = await sandbox.decide(certify_id, True)  # no attempt of ours behind it: the callback refuses each time
    assert row is not None
    await sandbox_delivery.queue_notice(app.state.deps, row)
    [message] = await OutboxMessage.filter(job_name=PortalJob.SANDBOX_SEND_NOTICE.value)

    run = await run_burst(app, fast_forward=True)

    delays_ms = [delay * 1000 for delay in sandbox_delivery.retry_delays_s()]
    observed = [ms for job_id, ms in run.deferrals if job_id == str(message.id)]
    assert len(observed) == len(delays_ms), run.deferrals
    for got, expected in zip(observed, delays_ms, strict=True):
        assert expected - 1000 <= got <= expected
    refused = await ProviderNotice.all()
    assert len(refused) == len(delays_ms) + 1  # every delivery reached the callback and was kept for audit
    assert {r.params["notify_id"] for r in refused} == {message.payload["notify_id"]}  # stable across retries
    assert all(not r.valid and "certify_id" in (r.rejection or "") for r in refused)
    message = await OutboxMessage.get(id=message.id)
    assert message.failed_at is not None and message.done_at is None
    assert message.last_error is not None and "回调未确认" in message.last_error
    assert await app.state.deps.redis.zcard(default_queue_name) == 0


# --- check 15: the provider's query keeps failing ---------------------------------------------------------------


@pytest.fixture
def provider_spec(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Switch IDENTITY_PROVIDER to a test class (after the app exists) and restore it afterwards."""

    def use(cls: type) -> None:
        monkeypatch.setenv("IDENTITY_PROVIDER", f"{cls.__module__}:{cls.__name__}")
        get_settings.cache_clear()
        registry._build.cache_clear()

    QueryUnavailableProvider.queries.clear()
    FlakyQueryProvider.queries.clear()
    yield use
    monkeypatch.delenv("IDENTITY_PROVIDER", raising=False)
    get_settings.cache_clear()
    registry._build.cache_clear()
    QueryUnavailableProvider.queries.clear()
    FlakyQueryProvider.queries.clear()


async def test_query_down_backs_off_to_max_tries_then_a_visible_failure(api: Api, app: Any, provider_spec: Any) -> None:
    provider_spec(QueryUnavailableProvider)
    assert registry.provider().__class__ is QueryUnavailableProvider
    attempt, certify_id = await pending_attempt(api)
    assert await press(api, certify_id, "pass") == 200

    run = await run_burst(app, fast_forward=True)

    assert QueryUnavailableProvider.queries == [certify_id] * MAX_TRIES
    [message] = await _process_messages()
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
    assert await _transitions(attempt.person_id) == ["VERIFICATION_FAILED"]  # type: ignore[attr-defined]
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
    assert await _transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]


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


# --- check 16: one job id, one execution ------------------------------------------------------------------------


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
    [message] = await _process_messages()
    assert message.enqueued_at is None and await deps.redis.zcard(default_queue_name) == 0

    queued = await asyncio.gather(
        *(deps.queue.enqueue(PortalJob.PROCESS_VERIFICATION_NOTICE.value, str(message.id)) for _ in range(10))
    )

    assert sorted(queued) == [False] * 9 + [True]
    run = await run_burst(app)
    assert (run.complete, run.failed) == (1, 0)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED and attempt.check_count == 1
    assert await _transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
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
    [message] = await _process_messages()
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
    assert await _transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
    assert (await ProviderNotice.get(valid=True)).outcome == "已是最终状态 PASSED"
    assert await trail.verify_all() == []


# --- polling ----------------------------------------------------------------------------------------------------


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
    assert await _transitions(attempt.person_id) == ["VERIFICATION_PASSED"]  # type: ignore[attr-defined]
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
    assert await _transitions(attempt.person_id) == ["VERIFICATION_EXPIRED"]  # type: ignore[attr-defined]
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


# --- progress events --------------------------------------------------------------------------------------------


async def test_a_transition_is_published_on_the_persons_channel(api: Api, app: Any, redis: Redis) -> None:
    attempt, certify_id = await pending_attempt(api)
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(person_id), events.person_channel(person_id + 1))
    try:
        assert events.person_channel(person_id) == f"{get_settings().events_channel_prefix}:person:{person_id}"
        await press(api, certify_id, "pass")
        await run_burst(app)
        received = [m async for m in _drain(pubsub)]
        # A replay later publishes nothing more: no transition, no event.
        [notice] = await ProviderNotice.filter(valid=True)
        await post_notice(api, build_notice(certify_id, False))
        await run_burst(app)
        assert notice.notify_id
        received += [m async for m in _drain(pubsub)]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]

    assert received == [
        (
            events.person_channel(person_id),
            {"type": "verification", "attemptId": attempt.id, "status": "PASSED"},
        )
    ]


async def _drain(pubsub: Any, quiet_s: float = 0.5) -> Any:
    """Published messages until none arrived for `quiet_s` (subscribe confirmations skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + quiet_s
    while loop.time() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
        if message is not None:
            deadline = loop.time() + quiet_s
            yield message["channel"].decode(), json.loads(message["data"])


# --- on-site verification ---------------------------------------------------------------------------------------


async def test_province_staff_open_the_case_and_the_access_is_in_the_trail(api: Api) -> None:
    await signed_up_with_materials(api)
    person_token = api.token
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    body = await api.gql(ONSITE_CASE, {"idNumber": VALID_ID}, token=staff)

    assert "errors" not in body, body
    case = body["data"]["onsiteVerificationCase"]
    assert case["verified"] is False
    assert case["person"] == {"realName": "张三", "idNumberMasked": "3604**********0071"}
    assert sorted(m["kind"] for m in case["materials"]) == ["HANDHELD_ID", "ID_CARD_BACK", "ID_CARD_FRONT"]
    own = await viewer(Api(api.client, api.app, token=person_token))
    assert trail_actions(own)[0] == "VERIFICATION_MATERIALS_VIEWED"
    entry = own["trail"]["edges"][0]["node"]
    assert entry["actor"] == "工作人员 province-test" and "查阅" in entry["description"]


async def test_province_staff_confirm_on_site(api: Api, redis: Redis) -> None:
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    body = await api.gql(
        CONFIRM,
        {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": " 本人到场， 证件一致 "}},
        token=staff,
    )

    payload = body["data"]["confirmOnsiteVerification"]
    assert payload["errors"] == [], payload
    result = payload["verification"]
    assert result["method"] == "ONSITE" and result["status"] == "PASSED"
    assert result["comment"] == "本人到场， 证件一致" and result["completedAt"] is not None
    current = (await viewer(person))["verification"]
    assert current["id"] == result["id"] and current["status"] == "PASSED" and current["method"] == "ONSITE"
    row = await VerificationAttempt.get(method=VerificationMethod.ONSITE)
    assert row.staff_id is not None  # type: ignore[attr-defined]
    own = await viewer(person)
    assert trail_actions(own)[0] == "VERIFICATION_PASSED"
    assert "现场" in own["trail"]["edges"][0]["node"]["description"]
    assert own["trail"]["edges"][0]["node"]["actor"] == "工作人员 province-test"
    again = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
    assert [e["code"] for e in again["data"]["confirmOnsiteVerification"]["errors"]] == ["ALREADY_VERIFIED"]
    start_after = await person.gql("mutation { startAlipayVerification { errors { code } } }")
    assert start_after["data"]["startAlipayVerification"]["errors"] == [{"code": "ALREADY_VERIFIED"}]


async def test_refusing_on_site_needs_a_comment(api: Api) -> None:
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    for comment in ("", "   "):
        body = await api.gql(
            CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "REFUSE", "comment": comment}}, token=staff
        )
        payload = body["data"]["confirmOnsiteVerification"]
        assert payload["verification"] is None
        [error] = payload["errors"]
        assert error["code"] == "INVALID_INPUT" and error["field"] == ["comment"] and "意见" in error["message"]
    too_long = await api.gql(
        CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": "长" * 501}}, token=staff
    )
    assert too_long["data"]["confirmOnsiteVerification"]["errors"][0]["code"] == "INVALID_INPUT"
    assert await VerificationAttempt.all().count() == 0

    body = await api.gql(
        CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "REFUSE", "comment": "证件照片与本人不符"}}, token=staff
    )
    result = body["data"]["confirmOnsiteVerification"]["verification"]
    assert result["status"] == "FAILED" and result["failureReason"] == "证件照片与本人不符"
    assert (await viewer(person))["verification"]["status"] == "FAILED"


async def test_only_province_staff_may_verify_on_site(api: Api) -> None:
    await signed_up_with_materials(api)
    person_token = api.token
    enterprise = await staff_token(api, StaffRole.ENTERPRISE, "enterprise-test")
    ministry = await staff_token(api, StaffRole.MINISTRY, "ministry-test")
    confirm = {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": ""}}

    for token, code in ((enterprise, "FORBIDDEN"), (ministry, "FORBIDDEN"), (person_token, "FORBIDDEN")):
        case = await api.gql(ONSITE_CASE, {"idNumber": VALID_ID}, token=token)
        assert case["data"] is None and case["errors"][0]["extensions"]["code"] == code
        done = await api.gql(CONFIRM, confirm, token=token)
        assert done["data"] is None and done["errors"][0]["extensions"]["code"] == code
    anonymous = await api.client.post("/graphql", json={"query": ONSITE_CASE, "variables": {"idNumber": VALID_ID}})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await VerificationAttempt.all().count() == 0
    viewed = await TrailEntry.filter(action="VERIFICATION_MATERIALS_VIEWED").count()
    assert viewed == 0  # refused lookups leave no access entry because there was no access


async def test_concurrent_on_site_confirmations_verify_once(api: Api) -> None:
    """A double submit (or two officers at once): one ONSITE attempt, one trail entry, the rest ALREADY_VERIFIED."""
    await signed_up_with_materials(api)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    confirm = {"input": {"idNumber": VALID_ID, "decision": "CONFIRM", "comment": "本人到场"}}

    bodies = await asyncio.gather(*(api.gql(CONFIRM, confirm, token=staff) for _ in range(4)))

    payloads = [body["data"]["confirmOnsiteVerification"] for body in bodies]
    assert sorted(len(p["errors"]) for p in payloads) == [0, 1, 1, 1], payloads
    assert {e["code"] for p in payloads for e in p["errors"]} == {"ALREADY_VERIFIED"}
    assert await VerificationAttempt.filter(method=VerificationMethod.ONSITE).count() == 1
    assert await TrailEntry.filter(action="VERIFICATION_PASSED").count() == 1


async def test_on_site_lookup_of_an_unknown_or_invalid_id_number(api: Api) -> None:
    await api.signed_up()
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    missing = await api.gql(ONSITE_CASE, {"idNumber": VALID_ID_2}, token=staff)
    assert missing["data"] is None
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "未找到" in missing["errors"][0]["message"]
    invalid = await api.gql(ONSITE_CASE, {"idNumber": "230307196304054513"}, token=staff)
    assert invalid["errors"][0]["extensions"]["code"] == "INVALID_ID_NUMBER"
    body = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID_2, "decision": "CONFIRM"}}, token=staff)
    assert [e["code"] for e in body["data"]["confirmOnsiteVerification"]["errors"]] == ["NOT_FOUND"]
    assert await VerificationAttempt.all().count() == 0


async def test_on_site_confirmation_is_published(api: Api, redis: Redis) -> None:
    await signed_up_with_materials(api)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    person = await Person.get(id_number_masked="3604**********0071")
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(person.id))
    try:
        await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
        received = [m async for m in _drain(pubsub)]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    [(_, event)] = received
    assert event["type"] == "verification" and event["status"] == "PASSED"


async def test_pending_alipay_attempt_and_on_site_confirmation(api: Api, app: Any, redis: Redis) -> None:
    """Confirmed on site while an Alipay attempt is pending: verified once, the Alipay attempt closed (and both
    announced); the Alipay result cannot undo it."""
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    certify_id = certify_id_of(await started(person))
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel((await Person.get(id_number_masked="3604**********0071")).id))
    try:
        await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
        received = [event for _channel, event in [m async for m in _drain(pubsub)]]
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    alipay = await VerificationAttempt.get(certify_id=certify_id)
    assert (received[0]["attemptId"], received[0]["status"]) == (alipay.id, "EXPIRED")
    assert [e["status"] for e in received] == ["EXPIRED", "PASSED"]
    assert alipay.status == VerificationStatus.EXPIRED
    assert alipay.failure_reason == onsite_verification.SUPERSEDED_REASON
    own = await viewer(person)
    assert trail_actions(own)[:2] == ["VERIFICATION_EXPIRED", "VERIFICATION_PASSED"]
    assert "支付宝扫码认证已关闭" in own["trail"]["edges"][0]["node"]["description"]
    await press(person, certify_id, "fail")
    await run_burst(app)
    current = (await viewer(person))["verification"]
    assert current["status"] == "PASSED" and current["method"] == "ONSITE"
    assert (await VerificationAttempt.get(certify_id=certify_id)).status == VerificationStatus.EXPIRED


async def test_a_start_in_flight_when_confirmed_on_site_opens_no_attempt(api: Api, provider_spec: Any) -> None:
    """The applicant's start is at the provider when the officer confirms on site: the start then answers
    ALREADY_VERIFIED and leaves no PENDING attempt behind (it would otherwise never be closed)."""
    await signed_up_with_materials(api)
    person = Api(api.client, api.app, token=api.token)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    GatedStartProvider.called, GatedStartProvider.gate = asyncio.Event(), asyncio.Event()
    provider_spec(GatedStartProvider)
    starting = asyncio.create_task(person.gql(START))
    await asyncio.wait_for(GatedStartProvider.called.wait(), 10)
    confirmed = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
    assert confirmed["data"]["confirmOnsiteVerification"]["errors"] == []
    GatedStartProvider.gate.set()
    answered = (await starting)["data"]["startAlipayVerification"]
    assert [e["code"] for e in answered["errors"]] == ["ALREADY_VERIFIED"]
    assert await VerificationAttempt.filter(method=VerificationMethod.ALIPAY).count() == 0
