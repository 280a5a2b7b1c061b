"""重新注册 (re-registration): like an initial registration, for a person whose registration was cancelled or lapsed,
or whose initial registration (or an earlier re-registration) was refused."""

from __future__ import annotations

from datetime import date

from db.models import ApplicationKind, RegistrationStatus
from domain.filings.drafts import KindHandler, register
from domain.filings.eligibility import Applicant
from domain.filings.kinds.initial import (
    ReregistrationDraft,
    registering_errors,
    registering_fields,
    registering_from_row,
)
from domain.kernel.errors import DomainError, ErrorCode

REVOKED_WAIT_YEARS = 2  # 第15条: no registration within 2 years of a revocation (吊销)


def _state_errors(applicant: Applicant) -> list[DomainError]:
    reg = applicant.registration
    if reg is None:
        if applicant.refused_before:
            return []
        return [DomainError(ErrorCode.REGISTRATION_STATE_INVALID, None, "您没有注册记录，请申请初始注册。")]
    if reg.status is RegistrationStatus.ACTIVE:
        return [DomainError(ErrorCode.ALREADY_REGISTERED)]
    if reg.status is RegistrationStatus.REVOKED:
        ended = reg.ended_on or applicant.today
        if applicant.today < _years_after(ended, REVOKED_WAIT_YEARS):
            message = f"注册证书被吊销未满{REVOKED_WAIT_YEARS}年，不予注册。"
            return [DomainError(ErrorCode.REGISTRATION_STATE_INVALID, None, message)]
    return []


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


async def reregistration_errors(applicant: Applicant, draft: ReregistrationDraft) -> list[DomainError]:
    """The registration ended (cancelled, lapsed, revoked over 2 years ago) or a filing was refused; then as initial."""
    return _state_errors(applicant) + await registering_errors(applicant, draft)


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.REREGISTRATION,
        label="重新注册",
        draft_type=ReregistrationDraft,
        check=reregistration_errors,
        fields=registering_fields,
        from_row=registering_from_row(ReregistrationDraft),
    )
)
