"""Verification attempts: what a person's verification shows, the rule filings depend on, and the one state
machine (PENDING → PASSED | FAILED | EXPIRED by conditional update)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from typing import Any

import segno

from db.models import (
    AttachmentKind,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain import accounts, trail
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import BusinessStep, business_step

REQUIRED_MATERIALS = (AttachmentKind.ID_CARD_FRONT, AttachmentKind.ID_CARD_BACK, AttachmentKind.HANDHELD_ID)
OUTCOME_TRAIL = {
    VerificationStatus.PASSED: (trail.TrailAction.VERIFICATION_PASSED, "实名认证通过"),
    VerificationStatus.FAILED: (trail.TrailAction.VERIFICATION_FAILED, "实名认证未通过"),
    VerificationStatus.EXPIRED: (trail.TrailAction.VERIFICATION_EXPIRED, "实名认证已过期，请重新发起"),
}
METHOD_LABEL = {VerificationMethod.ALIPAY: "支付宝", VerificationMethod.ONSITE: "现场"}


async def current_for_people(person_ids: Iterable[int]) -> dict[int, VerificationAttempt | None]:
    """Each person's verification as shown, in one query (a DataLoader batch): a PASSED attempt wins, else the
    latest."""
    wanted = list(person_ids)
    shown: dict[int, VerificationAttempt | None] = dict.fromkeys(wanted)
    for row in await VerificationAttempt.filter(person_id__in=wanted).order_by("id"):
        person_id: int = row.person_id  # type: ignore[attr-defined]
        kept = shown[person_id]
        if kept is None or kept.status is not VerificationStatus.PASSED:
            shown[person_id] = row
    return shown


async def attempts_visible_to(reader: accounts.Reader, ids: Iterable[int]) -> dict[int, VerificationAttempt]:
    """Attempts of the people the reader may see, for `node(id:)` (a staff read noted on the person's trail)."""
    return await accounts.visible_rows(reader, VerificationAttempt, ids)


def certify_url_for(viewer: Actor | None, attempt: VerificationAttempt) -> str | None:
    """The certify URL (and so its QR code) is the owner's alone: anyone else, staff included, gets None."""
    owner_id: int = attempt.person_id  # type: ignore[attr-defined]
    if viewer is None or not viewer.is_person or viewer.id != owner_id:
        return None
    return attempt.certify_url


def certify_qr(status: VerificationStatus, certify_url: str | None) -> str | None:
    """The QR code is shown only while an Alipay attempt is pending: a finished one has nothing left to scan."""
    if certify_url is None or status is not VerificationStatus.PENDING:
        return None
    return qr_data_url(certify_url)


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


def status_event(attempt: VerificationAttempt, status: VerificationStatus) -> dict[str, Any]:
    """What the person's client is told when an attempt changes."""
    return {"type": "verification", "attemptId": attempt.id, "status": status.value}


async def transition(
    step: BusinessStep,
    attempt: VerificationAttempt,
    status: VerificationStatus,
    reason: str | None,
    actor_label: str = "系统",
) -> bool:
    """PENDING → a final state by conditional update (idempotent, out-of-order safe), with its trail entry and its
    event (published after the step commits); False when another worker or request got there first."""
    person_id: int = attempt.person_id  # type: ignore[attr-defined]
    updated = await VerificationAttempt.filter(id=attempt.id, status=VerificationStatus.PENDING).update(
        status=status, failure_reason=reason, completed_at=clock.now()
    )
    if updated != 1:
        return False
    action, text = OUTCOME_TRAIL[status]
    detail = f"{text}（{METHOD_LABEL[attempt.method]}）" + (f"：{reason}" if reason else "")
    await step.trail(person_id, action, detail, actor=actor_label)
    step.publish(person_id, status_event(attempt, status))
    return True


async def conclude(
    deps: Deps,
    attempt: VerificationAttempt,
    status: VerificationStatus,
    reason: str | None,
    meta: RequestMeta,
    actor_label: str = "系统",
) -> bool:
    """The transition as a business step of its own."""
    async with business_step(deps, meta) as step:
        return await transition(step, attempt, status, reason, actor_label)
