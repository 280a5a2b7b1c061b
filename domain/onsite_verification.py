"""On-site verification (现场认证): provincial staff look a person up, see the materials, confirm or refuse."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from db.models import Attachment, Person, StaffRole, VerificationAttempt, VerificationMethod, VerificationStatus
from domain import attachments, clock, trail
from domain.context import Actor, Deps, RequestMeta
from domain.errors import DomainError, ErrorCode
from domain.identity import parse_id_number
from domain.registration import id_number_digest
from domain.verification import announce, is_verified, transition

COMMENT_MAX_LENGTH = 500


@dataclass(frozen=True)
class OnsiteCase:
    """What the officer sees: the person and their current materials."""

    person: Person
    materials: list[Attachment]
    verified: bool


def _require_province(actor: Actor | None) -> Actor:
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    if not actor.has_role(StaffRole.PROVINCE):
        raise DomainError(ErrorCode.FORBIDDEN)
    return actor


async def _find(id_number: str) -> Person:
    person = await Person.get_or_none(id_number_digest=id_number_digest(parse_id_number(id_number).number))
    if person is None:
        raise DomainError(ErrorCode.NOT_FOUND, "idNumber", "未找到该证件号码的注册用户。")
    return person


async def open_case(actor: Actor | None, id_number: str, meta: RequestMeta) -> OnsiteCase:
    """Look the person up by ID number; the access to their materials goes to their trail."""
    staff = _require_province(actor)
    person = await _find(id_number)
    async with in_transaction():
        await trail.append(
            person.id,
            trail.TrailAction.VERIFICATION_MATERIALS_VIEWED,
            "省级主管部门工作人员查阅实名认证材料",
            meta,
            actor=f"工作人员 {staff.label}",
        )
    return OnsiteCase(person, await attachments.current_for(person.id), await is_verified(person.id))


SUPERSEDED_REASON = "已通过现场核验，本次扫码认证不再需要"


async def close_pending_alipay(person_id: int, meta: RequestMeta) -> list[VerificationAttempt]:
    """After a PASS on site, a pending Alipay attempt is closed at once (EXPIRED, with the reason) instead of
    lingering until the poll expires it; a late Alipay notice for it then changes nothing. Returns those closed,
    to announce after commit."""
    pending = await VerificationAttempt.filter(
        person_id=person_id, method=VerificationMethod.ALIPAY, status=VerificationStatus.PENDING
    )
    closed = []
    for attempt in pending:
        if await VerificationAttempt.filter(id=attempt.id, status=VerificationStatus.PENDING).update(
            status=VerificationStatus.EXPIRED, failure_reason=SUPERSEDED_REASON, completed_at=clock.now()
        ):
            text = f"支付宝扫码认证已关闭：{SUPERSEDED_REASON}"
            await trail.append(person_id, trail.TrailAction.VERIFICATION_EXPIRED, text, meta, actor="系统")
            closed.append(attempt)
    return closed


async def confirm(
    deps: Deps, actor: Actor | None, id_number: str, passed: bool, comment: str, meta: RequestMeta
) -> VerificationAttempt:
    """Record the officer's decision as an ONSITE attempt that is final at once."""
    staff = _require_province(actor)
    text = " ".join(comment.split())
    if len(text) > COMMENT_MAX_LENGTH or (not passed and not text):
        raise DomainError(ErrorCode.INVALID_INPUT, "comment", "不予认证时须填写意见（不超过500字）。")
    person = await _find(id_number)
    now = clock.now()
    status = VerificationStatus.PASSED if passed else VerificationStatus.FAILED
    async with in_transaction():
        # Concurrent decisions (a double submit, two officers) queue on the person row; only the first counts.
        await Person.select_for_update().filter(id=person.id).only("id").first()
        if await is_verified(person.id):
            raise DomainError(ErrorCode.ALREADY_VERIFIED, "idNumber", "该人员已通过实名认证，无需重复认证。")
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
        await transition(attempt, status, None if passed else text, meta, actor_label=f"工作人员 {staff.label}")
        closed = await close_pending_alipay(person.id, meta) if passed else []
    for superseded in closed:
        await announce(deps, superseded, VerificationStatus.EXPIRED)
    await announce(deps, attempt, status)
    return await VerificationAttempt.get(id=attempt.id)
