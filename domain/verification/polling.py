"""Polling (cron): attempts that got no notice are queried (identity APIs may not notify); stale ones expire."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from tortoise.expressions import Q

from db.models import VerificationAttempt, VerificationMethod, VerificationStatus
from domain.kernel import clock
from domain.kernel.deps import Deps
from domain.kernel.settings import get_settings
from domain.verification.attempts import conclude
from domain.verification.notices import SYSTEM, confirm_with_provider
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable


async def poll_pending(deps: Deps, batch_size: int = 100) -> int:
    """Cron: query attempts that got no notice (identity APIs may not notify) and expire stale ones."""
    settings = get_settings()
    now = clock.now()
    checked_before = now - timedelta(seconds=settings.verification_poll_after_s)
    # Only due attempts enter the batch: recently checked ones left in it would starve the rest.
    due = (
        await VerificationAttempt.filter(
            Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=checked_before) | Q(expires_at__lte=now),
            method=VerificationMethod.ALIPAY,
            status=VerificationStatus.PENDING,
            created_at__lt=checked_before,
        )
        .order_by("last_checked_at", "id")
        .limit(batch_size)
    )
    handled = 0
    for attempt in due:
        with contextlib.suppress(ProviderUnavailable, ProviderRejected):  # the next poll tries again
            await confirm_with_provider(deps, attempt)
        if attempt.expires_at <= now:
            fresh = await VerificationAttempt.get(id=attempt.id)
            await conclude(deps, fresh, VerificationStatus.EXPIRED, "超过有效时间未完成认证", SYSTEM)
        handled += 1
    return handled
