"""Real-name verification (实名认证): start by Alipay, the state machine, and the rule filings depend on."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import timedelta

import segno
from tortoise.transactions import in_transaction

from db.models import (
    Attachment,
    AttachmentKind,
    Person,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain import clock, events, keys, ratelimit, trail
from domain.context import Actor, Deps, RequestMeta
from domain.errors import DomainError, ErrorCode
from domain.identity_providers.base import IdentityProvider, ProviderRejected, ProviderUnavailable
from domain.identity_providers.registry import provider
from domain.settings import get_settings

REQUIRED_MATERIALS = (AttachmentKind.ID_CARD_FRONT, AttachmentKind.ID_CARD_BACK, AttachmentKind.HANDHELD_ID)
FINAL = (VerificationStatus.PASSED, VerificationStatus.FAILED, VerificationStatus.EXPIRED)
OUTCOME_TRAIL = {
    VerificationStatus.PASSED: (trail.TrailAction.VERIFICATION_PASSED, "实名认证通过"),
    VerificationStatus.FAILED: (trail.TrailAction.VERIFICATION_FAILED, "实名认证未通过"),
    VerificationStatus.EXPIRED: (trail.TrailAction.VERIFICATION_EXPIRED, "实名认证已过期，请重新发起"),
}
PROVIDER_CALLS_PER_START = 4  # provider calls an hour per allowed start, outages included
METHOD_LABEL = {VerificationMethod.ALIPAY: "支付宝", VerificationMethod.ONSITE: "现场"}


async def current(person_id: int) -> VerificationAttempt | None:
    """The person's verification as shown: a PASSED one wins, else the latest attempt."""
    passed = await VerificationAttempt.filter(person_id=person_id, status=VerificationStatus.PASSED).first()
    if passed is not None:
        return passed
    return await VerificationAttempt.filter(person_id=person_id).order_by("-id").first()


async def is_verified(person_id: int) -> bool:
    """True once any attempt has PASSED."""
    return await VerificationAttempt.exists(person_id=person_id, status=VerificationStatus.PASSED)


async def require_verified(person_id: int) -> None:
    """Filing mutations call this first."""
    if not await is_verified(person_id):
        raise DomainError(ErrorCode.NOT_VERIFIED)


def qr_data_url(url: str) -> str:
    """The certify URL as a PNG QR code (data URL) for the person to scan with their own Alipay."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


async def _check_can_start(deps: Deps, person_id: int) -> None:
    if await is_verified(person_id):
        raise DomainError(ErrorCode.ALREADY_VERIFIED)
    present = set(await Attachment.filter(person_id=person_id, current=True).values_list("kind", flat=True))
    if not set(REQUIRED_MATERIALS) <= present:
        raise DomainError(ErrorCode.ATTACHMENTS_MISSING)
    limit = get_settings().verification_starts_per_hour
    if not await ratelimit.hit(deps.redis, _start_limit_key(person_id), limit, 3600):
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS)


def _start_limit_key(person_id: int) -> str:
    return f"verify:start:{person_id}"


def _call_limit_key(person_id: int) -> str:
    """Every call to the provider, outages included: an outage does not use up the applicant's starts, but one
    person cannot keep calling a provider that is down (each call may wait `alipay_timeout_s`)."""
    return f"verify:provider-call:{person_id}"


async def _pending(person_id: int) -> VerificationAttempt | None:
    return await VerificationAttempt.filter(
        person_id=person_id,
        method=VerificationMethod.ALIPAY,
        status=VerificationStatus.PENDING,
        expires_at__gt=clock.now(),
    ).first()


async def start_alipay(deps: Deps, actor: Actor, meta: RequestMeta) -> VerificationAttempt:
    """Open an Alipay certification (or return the one still pending) with its certify URL."""
    pending = await _pending(actor.id)
    if pending is not None:
        return pending
    await _check_can_start(deps, actor.id)
    await _count_provider_call(deps, actor.id)
    identity = provider()
    outer_order_no = "RV" + secrets.token_hex(15)
    certify_id = await _initialize(deps, actor.id, identity, outer_order_no)
    try:
        attempt, opened = await _open_attempt(actor.id, identity, outer_order_no, certify_id, meta)
    except DomainError:  # verified meanwhile (on site): no attempt, the start is not counted
        await ratelimit.undo(deps.redis, _start_limit_key(actor.id))
        raise
    if not opened:  # a double click: the first start's attempt, this start not counted
        await ratelimit.undo(deps.redis, _start_limit_key(actor.id))
    return attempt


async def _count_provider_call(deps: Deps, person_id: int) -> None:
    calls_allowed = get_settings().verification_starts_per_hour * PROVIDER_CALLS_PER_START
    if not await ratelimit.hit(deps.redis, _call_limit_key(person_id), calls_allowed, 3600):
        await ratelimit.undo(deps.redis, _start_limit_key(person_id))
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS)


async def _initialize(deps: Deps, person_id: int, identity: IdentityProvider, outer_order_no: str) -> str:
    """The provider's certify id for a new certification."""
    person = await Person.get(id=person_id)
    try:
        return await identity.initialize(
            outer_order_no,
            person.real_name,
            keys.decrypt(person.id_number_cipher),
            f"{get_settings().public_base_url}/verification/return",
        )
    except ProviderUnavailable as exc:  # an outage is not the applicant's try: it does not count
        await ratelimit.undo(deps.redis, _start_limit_key(person_id))
        raise DomainError(ErrorCode.VERIFICATION_UNAVAILABLE) from exc
    except ProviderRejected as exc:  # refused by the provider: counted, so bad data cannot be retried without end
        raise DomainError(ErrorCode.VERIFICATION_UNAVAILABLE) from exc


async def _open_attempt(
    person_id: int, identity: IdentityProvider, outer_order_no: str, certify_id: str, meta: RequestMeta
) -> tuple[VerificationAttempt, bool]:
    """The new PENDING attempt (True), or the one a concurrent start opened first (False). Concurrent starts and
    on-site decisions queue on the person row; a person verified meanwhile gets ALREADY_VERIFIED."""
    now = clock.now()
    async with in_transaction():
        await Person.select_for_update().filter(id=person_id).only("id").first()
        if await is_verified(person_id):
            raise DomainError(ErrorCode.ALREADY_VERIFIED)
        pending = await _pending(person_id)
        if pending is not None:
            return pending, False
        attempt = await VerificationAttempt.create(
            person_id=person_id,
            method=VerificationMethod.ALIPAY,
            outer_order_no=outer_order_no,
            certify_id=certify_id,
            certify_url=identity.certify_url(certify_id),
            provider=identity.name,
            created_at=now,
            expires_at=now + timedelta(seconds=get_settings().verification_ttl_s),
        )
        await trail.append(person_id, trail.TrailAction.VERIFICATION_STARTED, "发起支付宝扫码实名认证", meta)
    return attempt, True


async def transition(
    attempt: VerificationAttempt,
    status: VerificationStatus,
    reason: str | None,
    meta: RequestMeta,
    actor_label: str = "系统",
) -> bool:
    """PENDING → a final state by conditional update (idempotent, out-of-order safe), with its trail entry.
    Call inside the business transaction; False when another worker or request got there first."""
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    updated = await VerificationAttempt.filter(id=attempt.id, status=VerificationStatus.PENDING).update(
        status=status, failure_reason=reason, completed_at=clock.now()
    )
    if updated != 1:
        return False
    action, text = OUTCOME_TRAIL[status]
    detail = f"{text}（{METHOD_LABEL[attempt.method]}）" + (f"：{reason}" if reason else "")
    await trail.append(person_id, action, detail, meta, actor=actor_label)
    return True


async def announce(deps: Deps, attempt: VerificationAttempt, status: VerificationStatus) -> None:
    """After commit: tell the person's client."""
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    await events.publish(
        deps.redis, person_id, {"type": "verification", "attemptId": attempt.id, "status": status.value}
    )


async def conclude(
    deps: Deps,
    attempt: VerificationAttempt,
    status: VerificationStatus,
    reason: str | None,
    meta: RequestMeta,
    actor_label: str = "系统",
) -> bool:
    """One business step: the transition in its own transaction, then the event."""
    async with in_transaction():
        changed = await transition(attempt, status, reason, meta, actor_label)
    if changed:
        await announce(deps, attempt, status)
    return changed
