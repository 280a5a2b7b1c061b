"""注销注册 (cancellation): the reasons of 第16条 (lapse) and 第17条 (cancellation), checked against the facts held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from domain.filings.kinds.free_text import REASON_TEXT_MAX_LENGTH, bounded_text
from domain.filings.kinds.registration_facts import RegistrationFacts, require_active
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

RETIREMENT_AGE = 65  # a registration lapses at 65 (第16条)


class CancellationReason(str, Enum):
    """Why the registration is cancelled: the lapse cases (第16条) a person can file, and those of 第17条."""

    ENTERPRISE_BANKRUPT = "ENTERPRISE_BANKRUPT"
    ENTERPRISE_LICENCE_REVOKED = "ENTERPRISE_LICENCE_REVOKED"
    ENTERPRISE_QUALIFICATION_REVOKED = "ENTERPRISE_QUALIFICATION_REVOKED"
    CONTRACT_ENDED = "CONTRACT_ENDED"
    REGISTRATION_EXPIRED = "REGISTRATION_EXPIRED"
    AGE_LIMIT = "AGE_LIMIT"
    INCAPACITY = "INCAPACITY"
    REGISTRATION_REVOKED = "REGISTRATION_REVOKED"
    CERTIFICATE_REVOKED = "CERTIFICATE_REVOKED"
    CRIMINAL_PENALTY = "CRIMINAL_PENALTY"
    OTHER = "OTHER"


REASON_LABELS: dict[CancellationReason, str] = {
    CancellationReason.ENTERPRISE_BANKRUPT: "聘用企业依法破产",
    CancellationReason.ENTERPRISE_LICENCE_REVOKED: "聘用企业被吊销营业执照",
    CancellationReason.ENTERPRISE_QUALIFICATION_REVOKED: "聘用企业被吊销或者撤回资质证书",
    CancellationReason.CONTRACT_ENDED: "已与聘用企业解除聘用合同关系",
    CancellationReason.REGISTRATION_EXPIRED: "注册有效期满且未延续注册",
    CancellationReason.AGE_LIMIT: "年龄超过65周岁",
    CancellationReason.INCAPACITY: "不具有完全民事行为能力",
    CancellationReason.REGISTRATION_REVOKED: "依法被撤销注册",
    CancellationReason.CERTIFICATE_REVOKED: "依法被吊销注册证书",
    CancellationReason.CRIMINAL_PENALTY: "受到刑事处罚",
    CancellationReason.OTHER: "法律、法规规定应当注销注册的其他情形",
}


@dataclass(frozen=True)
class CancellationRequest:
    """注销注册: the reason, and a note (required for OTHER)."""

    reason: CancellationReason
    note: str | None = None


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _reason_fits(reason: CancellationReason, registration: RegistrationFacts, birth_date: date, today: date) -> None:
    """The two reasons the portal can check against what it knows: age and expiry."""
    if reason is CancellationReason.AGE_LIMIT and age_on(birth_date, today) < RETIREMENT_AGE:
        raise DomainError(ErrorCode.REASON_NOT_APPLICABLE, "reason", "所选注销原因与您的情况不符：您未满65周岁。")
    if reason is CancellationReason.REGISTRATION_EXPIRED and not registration.all_expired(today):
        raise DomainError(
            ErrorCode.REASON_NOT_APPLICABLE, "reason", "所选注销原因与您的情况不符：您的注册尚在有效期内。"
        )


def check_cancellation(
    request: CancellationRequest, registration: RegistrationFacts | None, birth_date: date, today: date
) -> dict[str, Any]:
    """The rules of a cancellation (an ACTIVE registration, a reason that fits, a note for OTHER, all errors at
    once); returns the application's `details`."""
    held = require_active(registration)
    errors: list[DomainError] = []
    note = ""
    try:
        _reason_fits(request.reason, held, birth_date, today)
    except DomainError as exc:
        errors.append(exc)
    try:
        required = request.reason is CancellationReason.OTHER
        note = bounded_text(request.note, "note", REASON_TEXT_MAX_LENGTH, required=required, what="注销原因说明")
    except DomainError as exc:
        errors.append(exc)
    if errors:
        raise DomainErrors(errors)
    return {"reason": request.reason.value, "reason_label": REASON_LABELS[request.reason], "note": note}
