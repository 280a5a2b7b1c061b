"""注销注册 (cancellation): the reasons of 第16条 (lapse) and 第17条 (cancellation), checked against the facts held;
only for a person with an ACTIVE registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, ClassVar

from db.models import Application, ApplicationKind
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import Applicant
from domain.filings.kinds.free_text import REASON_TEXT_MAX_LENGTH, bounded_text
from domain.filings.kinds.held import HeldRegistration, active_errors, held_by, registration_fields
from domain.kernel.errors import DomainError, ErrorCode

LABEL = "注销注册"
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
class CancellationDraft:
    """注销注册: the reason, and a note (required for OTHER, at most 200 characters)."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.CANCELLATION
    reason: CancellationReason = CancellationReason.OTHER
    note: str | None = None


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def reason_errors(
    reason: CancellationReason, held: HeldRegistration, birth_date: date, today: date
) -> list[DomainError]:
    """The two reasons the portal can check against what it knows: age and expiry."""
    if reason is CancellationReason.AGE_LIMIT and age_on(birth_date, today) < RETIREMENT_AGE:
        return [DomainError(ErrorCode.REASON_NOT_APPLICABLE, "reason", "所选注销原因与您的情况不符：您未满65周岁。")]
    if reason is CancellationReason.REGISTRATION_EXPIRED and not held.all_expired(today):
        message = "所选注销原因与您的情况不符：您的注册尚在有效期内。"
        return [DomainError(ErrorCode.REASON_NOT_APPLICABLE, "reason", message)]
    return []


def clean_note(draft: CancellationDraft) -> str:
    """The note: required for OTHER, bounded."""
    required = draft.reason is CancellationReason.OTHER
    return bounded_text(draft.note, "note", REASON_TEXT_MAX_LENGTH, required=required, what="注销原因说明")


def cancellation_errors(
    draft: CancellationDraft, held: HeldRegistration | None, birth_date: date, today: date
) -> list[DomainError]:
    """Every refusal: no ACTIVE registration, a reason that does not fit, a missing or oversized note."""
    errors = active_errors(held)
    if held is not None and not errors:
        errors += reason_errors(draft.reason, held, birth_date, today)
    try:
        clean_note(draft)
    except DomainError as exc:
        errors.append(exc)
    return errors


def cancellation_details(draft: CancellationDraft) -> dict[str, Any]:
    """The application's `details` (after the rules passed)."""
    return {"reason": draft.reason.value, "reason_label": REASON_LABELS[draft.reason], "note": clean_note(draft)}


async def _errors(applicant: Applicant, draft: CancellationDraft) -> list[DomainError]:
    return cancellation_errors(draft, held_by(applicant), applicant.person.birth_date, applicant.today)


def _fields(applicant: Applicant, draft: CancellationDraft) -> ApplicationFields:
    return registration_fields(applicant, cancellation_details(draft))


def _from_row(row: Application) -> CancellationDraft:
    return CancellationDraft(reason=CancellationReason(row.details["reason"]), note=row.details.get("note"))


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.CANCELLATION,
        label=LABEL,
        draft_type=CancellationDraft,
        check=_errors,
        fields=_fields,
        from_row=_from_row,
    )
)
