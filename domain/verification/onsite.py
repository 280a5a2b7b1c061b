"""On-site verification (现场认证): provincial staff look a person up, see the materials, confirm or refuse."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from db.models import Attachment, Person, StaffRole, VerificationAttempt, VerificationMethod, VerificationStatus
from domain.accounts import current_attachments, id_number_digest, parse_id_number
from domain.kernel import access, clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import BusinessStep, TrailAction, business_step
from domain.verification.attempts import is_verified, status_event, transition
from domain.verification.jurisdiction import require_jurisdiction

COMMENT_MAX_LENGTH = 500
SUPERSEDED_REASON = "已通过现场核验，本次扫码认证不再需要"


@dataclass(frozen=True)
class OnsiteCase:
    """What the officer sees: the person and their current materials."""

    person: Person
    materials: list[Attachment]
    verified: bool


@dataclass(frozen=True)
class OnsiteDecision:
    """The officer's decision on the person present: pass, or refuse with a comment."""

    id_number: str
    passed: bool
    comment: str = ""


def _require_province(actor: Actor | None) -> Actor:
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    if not actor.has_role(StaffRole.PROVINCE):
        raise DomainError(ErrorCode.FORBIDDEN)
    return actor


async def _find(staff: Actor, id_number: str) -> Person:
    """The registered person, if the officer's province handles this ID number. The lookup runs either way and an
    other province's number is refused alike, registered or not: the refusal tells nothing about registration."""
    resident = parse_id_number(id_number)
    person = await Person.get_or_none(id_number_digest=id_number_digest(resident.number))
    await require_jurisdiction(staff, resident, person)
    if person is None:
        raise DomainError(ErrorCode.NOT_FOUND, "id_number", "未找到该证件号码的注册用户。")
    return person


async def open_case(deps: Deps, actor: Actor | None, id_number: str, meta: RequestMeta) -> OnsiteCase:
    """Look the person up by ID number (a person of the officer's province: `jurisdiction`); the access to their
    materials goes to their trail, and the officer may read the person's data for STAFF_CASE_ACCESS_S (a
    `StaffCaseAccess` grant)."""
    staff = _require_province(actor)
    person = await _find(staff, id_number)
    async with business_step(deps, meta) as step:
        await step.trail(
            person.id,
            TrailAction.VERIFICATION_MATERIALS_VIEWED,
            "省级主管部门工作人员查阅实名认证材料",
            actor=f"工作人员 {staff.label}",
        )
        await access.grant_case_access(staff, person.id)
    return OnsiteCase(person, await current_attachments(person.id), await is_verified(person.id))


async def close_pending_alipay(step: BusinessStep, person_id: int) -> None:
    """After a PASS on site, a pending Alipay attempt is closed at once (EXPIRED, with the reason) instead of
    lingering until the poll expires it; a late Alipay notice for it then changes nothing."""
    pending = await VerificationAttempt.filter(
        person_id=person_id, method=VerificationMethod.ALIPAY, status=VerificationStatus.PENDING
    )
    for attempt in pending:
        if await VerificationAttempt.filter(id=attempt.id, status=VerificationStatus.PENDING).update(
            status=VerificationStatus.EXPIRED, failure_reason=SUPERSEDED_REASON, completed_at=clock.now()
        ):
            text = f"支付宝扫码认证已关闭：{SUPERSEDED_REASON}"
            await step.trail(person_id, TrailAction.VERIFICATION_EXPIRED, text, actor="系统")
            step.publish(person_id, status_event(attempt, VerificationStatus.EXPIRED), ahead=True)


def _clean_comment(decision: OnsiteDecision) -> str:
    """Whitespace collapsed; invisible characters (format, Cf: zero-width space and joiners, BOM, bidi marks) are
    dropped and every space separator (Zs) counts as a space, so a refusal commented "\u200b" has no comment."""
    visible = "".join(
        " " if unicodedata.category(char) == "Zs" else char
        for char in decision.comment
        if unicodedata.category(char) != "Cf"
    )
    text = " ".join(visible.split())
    if len(text) > COMMENT_MAX_LENGTH or (not decision.passed and not text):
        raise DomainError(ErrorCode.INVALID_INPUT, "comment", "不予认证时须填写意见（不超过500字）。")
    return text


async def confirm(deps: Deps, actor: Actor | None, decision: OnsiteDecision, meta: RequestMeta) -> VerificationAttempt:
    """Record the officer's decision as an ONSITE attempt that is final at once."""
    staff = _require_province(actor)
    text = _clean_comment(decision)
    person = await _find(staff, decision.id_number)
    now = clock.now()
    status = VerificationStatus.PASSED if decision.passed else VerificationStatus.FAILED
    async with business_step(deps, meta) as step:
        # Concurrent decisions (a double submit, two officers) queue on the person row; only the first counts.
        await Person.select_for_update().filter(id=person.id).only("id").first()
        if await is_verified(person.id):
            raise DomainError(ErrorCode.ALREADY_VERIFIED, "id_number", "该人员已通过实名认证，无需重复认证。")
        attempt = await VerificationAttempt.create(
            person_id=person.id,
            method=VerificationMethod.ONSITE,
            outer_order_no="OS" + secrets.token_hex(15),
            provider="onsite",
            staff_id=staff.id,
            comment=text or None,
            created_at=now,
            expires_at=now,
        )
        reason = None if decision.passed else text
        await transition(step, attempt, status, reason, actor_label=f"工作人员 {staff.label}")
        if decision.passed:
            await close_pending_alipay(step, person.id)
    return await VerificationAttempt.get(id=attempt.id)
