"""延续注册 (renewal): the labour contract and the specialties to renew, each within its renewal window (from 90 to 30
days before it expires, settings). Open to temporary Level-1 holders only today (FILING_RENEWAL_TEMPORARY_ONLY)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from db.models import Application, ApplicationKind
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import (
    Applicant,
    active_registration_errors,
    age_errors,
    contract_errors,
    enterprise_errors,
    specialty_codes,
    specialty_names,
    temporary_only_errors,
)
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

LABEL = "延续注册"


@dataclass(frozen=True)
class RenewalDraft:
    """延续注册: the specialties to renew and the contract with the current employer."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.RENEWAL
    specialty_codes: list[str] = field(default_factory=list)
    contract_start: date | None = None
    contract_end: date | None = None


def window_errors(applicant: Applicant, codes: list[str]) -> list[DomainError]:
    """Each specialty registered and expiring between `closes` and `opens` days from today."""
    settings = get_settings()
    opens, closes = settings.filing_renewal_opens_days, settings.filing_renewal_closes_days
    missing = [code for code in codes if code not in applicant.registered]
    errors = []
    if missing:
        message = f"您未注册以下专业，不能延续注册：{specialty_names(missing)}。"
        errors.append(DomainError(ErrorCode.SPECIALTY_NOT_REGISTERED, "specialty_codes", message))
    first, last = applicant.today + timedelta(days=closes), applicant.today + timedelta(days=opens)
    outside = [
        c for c in codes if c in applicant.registered and not first <= applicant.registered[c].expires_on <= last
    ]
    if outside:
        names = specialty_names(outside)
        message = f"延续注册须在注册有效期届满前{opens}日至{closes}日之间申报，以下专业不在此期间：{names}。"
        errors.append(DomainError(ErrorCode.OUTSIDE_RENEWAL_WINDOW, "specialty_codes", message))
    return errors


async def renewal_errors(applicant: Applicant, draft: RenewalDraft) -> list[DomainError]:
    """An ACTIVE registration (temporary only, by policy) with a qualified employer; specialties in their window."""
    errors = active_registration_errors(applicant)
    errors += temporary_only_errors(applicant, get_settings().filing_renewal_temporary_only, LABEL)
    errors += age_errors(applicant)
    errors += contract_errors(applicant.today, draft.contract_start, draft.contract_end)
    reg = applicant.active_registration
    if reg is not None:
        errors += (await enterprise_errors(reg.enterprise_id, None))[1]  # type: ignore[attr-defined]
    codes, wrong = specialty_codes(draft.specialty_codes)
    return errors + wrong + window_errors(applicant, codes)


def renewal_fields(applicant: Applicant, draft: RenewalDraft) -> ApplicationFields:
    """The row: the current employer, the contract, the specialties to renew."""
    reg = applicant.active_registration
    return ApplicationFields(
        temporary=bool(reg and reg.temporary),
        enterprise_id=reg.enterprise_id if reg else None,  # type: ignore[attr-defined]
        contract_start=draft.contract_start,
        contract_end=draft.contract_end,
        specialty_codes=specialty_codes(draft.specialty_codes)[0],
    )


def renewal_from_row(row: Application) -> RenewalDraft:
    """The stored filing as a draft (for the pre-check)."""
    return RenewalDraft(
        specialty_codes=list(row.specialty_codes), contract_start=row.contract_start, contract_end=row.contract_end
    )


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.RENEWAL,
        label=LABEL,
        draft_type=RenewalDraft,
        check=renewal_errors,
        fields=renewal_fields,
        from_row=renewal_from_row,
    )
)
