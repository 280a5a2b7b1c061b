"""Starting an Alipay verification (扫码认证): checks, hourly caps, the provider's initialize, the PENDING attempt."""

from __future__ import annotations

import secrets
from datetime import timedelta

from db.models import Attachment, Person, VerificationAttempt, VerificationMethod, VerificationStatus
from domain.kernel import clock, keys, ratelimit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step
from domain.verification.attempts import REQUIRED_MATERIALS, is_verified, status_event
from domain.verification.providers.base import IdentityProvider, ProviderRejected, ProviderUnavailable
from domain.verification.providers.registry import provider

PROVIDER_CALLS_PER_START = 4  # provider calls an hour per allowed start, outages included


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
    chosen = provider()
    outer_order_no = "RV" + secrets.token_hex(15)
    certify_id = await _initialize(deps, actor.id, chosen, outer_order_no)
    try:
        attempt, opened = await _open_attempt(deps, actor.id, chosen, outer_order_no, certify_id, meta)
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


async def _initialize(deps: Deps, person_id: int, chosen: IdentityProvider, outer_order_no: str) -> str:
    """The provider's certify id for a new certification."""
    person = await Person.get(id=person_id)
    try:
        return await chosen.initialize(
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
    deps: Deps, person_id: int, chosen: IdentityProvider, outer_order_no: str, certify_id: str, meta: RequestMeta
) -> tuple[VerificationAttempt, bool]:
    """The new PENDING attempt (True), or the one a concurrent start opened first (False). Concurrent starts and
    on-site decisions queue on the person row; a person verified meanwhile gets ALREADY_VERIFIED."""
    now = clock.now()
    async with business_step(deps, meta) as step:
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
            certify_url=chosen.certify_url(certify_id),
            provider=chosen.name,
            created_at=now,
            expires_at=now + timedelta(seconds=get_settings().verification_ttl_s),
        )
        await step.trail(person_id, TrailAction.VERIFICATION_STARTED, "发起支付宝扫码实名认证")
        step.publish(person_id, status_event(attempt, VerificationStatus.PENDING))  # other tabs, subscriptions
    return attempt, True
