"""Provider notices: authenticate, store, queue; then the job confirms with `query` before any change."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from redis.exceptions import RedisError
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from db.models import ProviderNotice, VerificationAttempt, VerificationStatus
from domain.kernel import clock, outbox, ratelimit
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job
from domain.kernel.unit_of_work import unit_of_work
from domain.trail import BusinessStep, business_step
from domain.verification.attempts import transition
from domain.verification.providers.base import NoticeCheck, ProviderRejected, ProviderUnavailable
from domain.verification.providers.registry import provider

MAX_PARAMS = 40
MAX_VALUE_LENGTH = 2000
MAX_NOTIFY_ID = 128  # the columns' sizes
MAX_CERTIFY_ID = 64
INVALID_NOTICES_KEPT_PER_HOUR = 200
NOTICE_CODECS = {"utf-8": "utf-8", "utf8": "utf-8", "gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030"}
SYSTEM = RequestMeta.internal("verification")
logger = logging.getLogger("portal.callbacks")


def _clean(params: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """The notice within our limits, storable on every backend (PostgreSQL refuses NUL in text and JSON); and why
    it is malformed, if it is (a NUL anywhere: no genuine notice carries one)."""
    clean: dict[str, str] = {}
    malformed = None
    for raw_key, raw_value in list(params.items())[:MAX_PARAMS]:
        key, value = str(raw_key)[:64], str(raw_value)[:MAX_VALUE_LENGTH]
        if "\x00" in key or "\x00" in value:
            malformed = "含有 NUL 字符"
        clean[key.replace("\x00", "\ufffd")] = value.replace("\x00", "\ufffd")
    return clean, malformed


def notice_codec(declared: str | None) -> str | None:
    """The codec for a notice's declared charset (its `charset` field, else its Content-Type's; none: UTF-8), or
    None for a charset Alipay does not use. GB2312 text is read as GBK, its superset (the same bytes)."""
    return NOTICE_CODECS.get((declared or "utf-8").strip().lower())


async def _check(clean: Mapping[str, str], malformed: str | None, charset: str) -> NoticeCheck:
    """Signature and app id (providers), then ids that fit their columns and name one of our attempts."""
    if malformed:
        return NoticeCheck(False, malformed, None, None)
    check = provider().check_notice(clean, charset)
    notify_id, certify_id = check.notify_id, check.certify_id
    if (notify_id and len(notify_id) > MAX_NOTIFY_ID) or (certify_id and len(certify_id) > MAX_CERTIFY_ID):
        return NoticeCheck(False, "notify_id 或 certify_id 过长", None, None)
    if check.valid and not await VerificationAttempt.exists(certify_id=certify_id, provider=provider().name):
        return NoticeCheck(False, "certify_id 不属于任何认证记录", notify_id, certify_id)
    return check


async def _keep_invalid(deps: Deps, base: dict[str, Any], rejection: str | None, meta: RequestMeta) -> None:
    """Kept for audit, but a flood from one address cannot fill the table; with Redis down, only logged."""
    try:
        keep = await ratelimit.hit(deps.redis, f"notice:invalid:{meta.ip}", INVALID_NOTICES_KEPT_PER_HOUR, 3600)
    except RedisError as exc:
        logger.warning("invalid notice from %s not kept (Redis unavailable: %s)", meta.ip, type(exc).__name__)
        return
    if keep:
        await ProviderNotice.create(notify_id=None, valid=False, rejection=rejection, **base)


async def receive_notice(deps: Deps, params: Mapping[str, str], meta: RequestMeta, charset: str = "utf-8") -> bool:
    """Verify signature and app id first; store every notice; queue the valid new ones. True = answer success.
    `params` were decoded with the codec `charset` (see `notice_codec`); the signature is checked over them encoded
    in it again, the bytes Alipay signed."""
    clean, malformed = _clean(params)
    check = await _check(clean, malformed, charset)
    base: dict[str, Any] = {
        "provider": provider().name,
        "certify_id": check.certify_id,
        "params": clean,
        "received_at": clock.now(),
        "ip": meta.ip[:45],
    }
    if not check.valid:
        await _keep_invalid(deps, base, check.rejection, meta)
        return False
    try:
        async with unit_of_work(deps) as work:
            notice = await ProviderNotice.create(notify_id=check.notify_id, valid=True, **base)
            await work.enqueue(Job.PROCESS_VERIFICATION_NOTICE, {"notice_id": notice.id})
    except IntegrityError:
        return True  # the same notify_id again (a provider retry): already stored and queued
    return True


Verdict = tuple[VerificationStatus | None, str | None]  # (final status or None while unfinished, reason)


async def _ask_provider(attempt: VerificationAttempt) -> Verdict:
    """The provider's answer for a pending attempt (a network call: never inside a transaction)."""
    if attempt.status is not VerificationStatus.PENDING or attempt.certify_id is None:
        return None, None
    result = await provider().query(attempt.certify_id)
    if result.passed is None:
        return None, None
    if result.passed:
        return VerificationStatus.PASSED, None
    return VerificationStatus.FAILED, result.fail_reason or "认证未通过"


async def _apply(step: BusinessStep, attempt: VerificationAttempt, verdict: Verdict) -> tuple[bool, str]:
    """Inside the step: record the check and make the transition; (changed, outcome text)."""
    if attempt.status is not VerificationStatus.PENDING:
        return False, f"已是最终状态 {attempt.status.value}"
    await VerificationAttempt.filter(id=attempt.id).update(
        last_checked_at=clock.now(), check_count=F("check_count") + 1
    )
    status, reason = verdict
    if status is None:
        return False, "认证尚未完成"
    changed = await transition(step, attempt, status, reason)
    return changed, status.value if changed else "状态已由其他处理更新"


async def confirm_with_provider(deps: Deps, attempt: VerificationAttempt) -> str:
    """Ask the provider and apply the result; raises ProviderUnavailable for the caller to retry."""
    verdict = await _ask_provider(attempt)
    async with business_step(deps, SYSTEM) as step:
        _changed, outcome = await _apply(step, attempt, verdict)
    return outcome


def _give_up_reason(exc: ProviderUnavailable | ProviderRejected) -> str:
    """The attempt's visible reason: the fault's kind and, when the provider answered one, its code and sub_code
    (e.g. 支付宝返回码 40002，子码 isv.invalid-signature：验签出错…), within the column's 200 characters."""
    answer = exc.provider_answer()
    detail = f"{type(exc).__name__}；{answer}" if answer else type(exc).__name__
    return f"无法向认证机构确认认证结果（{detail[:150]}），请重新发起认证"


async def process_notice(deps: Deps, outbox_id: str, final_try: bool) -> str:
    """Job body: the notice says something happened; only `query` says what. One commit for all its effects."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    notice = await ProviderNotice.get(id=int(message.payload["notice_id"]))
    attempt = await VerificationAttempt.get(certify_id=notice.certify_id)
    gave_up = False
    try:
        verdict = await _ask_provider(attempt)
    except (ProviderUnavailable, ProviderRejected) as exc:
        if not final_try and isinstance(exc, ProviderUnavailable):
            raise
        verdict, gave_up = (VerificationStatus.FAILED, _give_up_reason(exc)), True  # visible, never dropped
    async with business_step(deps, SYSTEM) as step:
        changed, outcome = await _apply(step, attempt, verdict)
        outcome = str(verdict[1]) if gave_up and changed else outcome
        await ProviderNotice.filter(id=notice.id).update(processed_at=clock.now(), outcome=outcome[:200])
        await outbox.mark_done(message)
    return outcome
