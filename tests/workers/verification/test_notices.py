"""Provider notices through the callback (ASGI), the database, Redis and a real arq worker in burst mode: forged
notices (SECURITY check 11), duplicates, stale and replayed notices, the sandbox sender's retries (check 12)."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.constants import default_queue_name
from cryptography.hazmat.primitives.asymmetric import rsa
from redis.asyncio import Redis

from db.models import OutboxMessage, ProviderNotice, VerificationAttempt, VerificationStatus
from domain import trail
from domain.kernel.jobs import Job as PortalJob
from domain.verification.providers import rsa2, sandbox, sandbox_delivery
from domain.verification.providers.sandbox import SandboxProvider, build_notice
from tests.helpers import VALID_ID, Api
from tests.verification_helpers import CALLBACK, decided_without_notice, pending_attempt, post_notice, press, viewer
from tests.workers.burst import run_burst
from tests.workers.verification.helpers import process_messages, transitions

FOREIGN_APP_ID = "2021009999999999"


def _signed_with(key: rsa.RSAPrivateKey, params: dict[str, str]) -> dict[str, str]:
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    return {**unsigned, "sign": rsa2.sign(key, rsa2.signing_string(unsigned, rsa2.UNSIGNED_NOTICE_KEYS))}


def _forgeries(certify_id: str, genuine: dict[str, str]) -> dict[str, dict[str, str]]:
    """Forged variants of the genuine notice, by name: tampered, signed with another key or not at all, for a
    foreign app or an unknown certify id."""
    forger = rsa2.generate_private_key()
    return {
        "tampered field": {**genuine, "certify_id": certify_id + "0"},
        "tampered outcome": {**build_notice(certify_id, False), "passed": "T"},
        "wrong key": _signed_with(forger, genuine),
        "missing signature": {k: v for k, v in genuine.items() if k != "sign"},
        "foreign app id": build_notice(certify_id, True, app_id=FOREIGN_APP_ID),
        "unknown certify id": build_notice("SBX" + "0" * 32, True),
    }


async def _post_forgeries(api: Api, cases: dict[str, dict[str, str]], genuine: dict[str, str]) -> None:
    """Every forgery, and the genuine notice sent as JSON instead of a form, is answered 400 (never `success`)."""
    for name, params in cases.items():
        status, body = await post_notice(api, params)
        assert status == 400, name
        assert body != "success", name
    not_a_form = await api.client.post(CALLBACK, json=genuine)
    assert not_a_form.status_code == 400


async def _assert_kept_for_audit_only(app: Any, cases: dict[str, dict[str, str]], certify_id: str) -> None:
    """Each refused notice is stored as invalid with its reason; none claims a notify_id or queues a job."""
    rows = await ProviderNotice.all().order_by("id")
    assert len(rows) == len(cases) + 1
    assert all(row.valid is False and row.rejection and row.processed_at is None for row in rows)
    assert all(row.notify_id is None for row in rows)  # a rejected notice never claims a notify_id
    assert rows[0].params["certify_id"] == certify_id + "0" and rows[0].ip == "203.0.113.10"
    rejections = {name: row.rejection or "" for name, row in zip(cases, rows, strict=False)}
    assert "签名" in rejections["wrong key"] and "签名" in rejections["missing signature"]
    assert "app_id" in rejections["foreign app id"]
    assert "certify_id" in rejections["unknown certify id"]
    assert await process_messages() == []
    assert await app.state.deps.redis.zcard(default_queue_name) == 0


async def _assert_genuine_notice_applies(api: Api, app: Any, attempt_id: int, genuine: dict[str, str]) -> None:
    """The genuine notice (its notify_id unused by the rejected copies) is answered with exactly `success`."""
    response = await api.client.post(CALLBACK, data=genuine)
    assert response.status_code == 200
    assert response.content == b"success"
    assert response.headers["content-type"].startswith("text/plain")
    await run_burst(app)
    attempt = await VerificationAttempt.get(id=attempt_id)
    assert attempt.status is VerificationStatus.PASSED
    valid = await ProviderNotice.get(valid=True)
    assert valid.notify_id == genuine["notify_id"] and valid.outcome == "PASSED"


async def test_forged_notices_are_rejected_stored_for_audit_and_change_nothing(api: Api, app: Any) -> None:
    attempt, certify_id = await pending_attempt(api)
    # The provider's answer is already "passed": any forged notice that got through would turn into PASSED.
    await decided_without_notice(certify_id, True)
    genuine = build_notice(certify_id, True)
    cases = _forgeries(certify_id, genuine)
    await _post_forgeries(api, cases, genuine)
    await _assert_kept_for_audit_only(app, cases, certify_id)

    run = await run_burst(app)

    assert run.complete == 0
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PENDING and attempt.check_count == 0
    assert await transitions(attempt.person_id) == []  # type: ignore[attr-defined]

    await _assert_genuine_notice_applies(api, app, attempt.id, genuine)


async def test_the_callback_needs_no_login_but_caps_its_fields(api: Api, app: Any) -> None:
    _, certify_id = await pending_attempt(api)
    stuffed = {**build_notice(certify_id, True), **{f"x{i}": "y" for i in range(60)}}
    status, _ = await post_notice(api, stuffed)
    assert status == 400
    assert await process_messages() == []
    assert (await api.client.get(CALLBACK)).status_code == 405


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
    assert len(await process_messages()) == 2

    run = await run_burst(app)

    assert (run.complete, run.failed) == (2, 0)
    attempt = await VerificationAttempt.get(id=attempt.id)
    assert attempt.status is VerificationStatus.PASSED  # what the provider's query says, not the stale notice
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    assert await transitions(person_id) == ["VERIFICATION_PASSED"]
    outcomes = sorted(row.outcome or "" for row in await ProviderNotice.filter(valid=True))
    # The other job saw the final state, or (run concurrently, as on PostgreSQL) lost the conditional update.
    assert outcomes[0] == "PASSED" and outcomes[1] in ("已是最终状态 PASSED", "状态已由其他处理更新")
    assert all(m.done_at is not None for m in await process_messages())
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
    assert await transitions(person_id) == ["VERIFICATION_PASSED"]
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
