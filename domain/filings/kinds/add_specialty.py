"""增项注册 (additional specialty): the labour contract with the current employer and one specialty the person is
qualified in and not yet registered in; it gets its own three years when approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from db.models import Application, ApplicationKind
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import (
    Applicant,
    active_registration_errors,
    age_errors,
    contract_errors,
    enterprise_errors,
    qualification_errors,
    specialty_codes,
    specialty_names,
)
from domain.kernel.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class AddSpecialtyDraft:
    """增项注册: the specialty to add and the contract with the current employer."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.ADD_SPECIALTY
    specialty_code: str | None = None
    contract_start: date | None = None
    contract_end: date | None = None


async def add_specialty_errors(applicant: Applicant, draft: AddSpecialtyDraft) -> list[DomainError]:
    """An ACTIVE registration with a qualified employer; the specialty known, qualified in, not yet registered."""
    errors = active_registration_errors(applicant)
    errors += age_errors(applicant)
    errors += contract_errors(applicant.today, draft.contract_start, draft.contract_end)
    reg = applicant.active_registration
    if reg is not None:
        errors += (await enterprise_errors(reg.enterprise_id, None))[1]  # type: ignore[attr-defined]
    codes, wrong = specialty_codes([draft.specialty_code] if draft.specialty_code else [], "specialty_code")
    errors += wrong
    errors += qualification_errors(applicant, codes, "specialty_code")
    held = [code for code in codes if code in applicant.registered]
    if held:
        message = f"您已注册{specialty_names(held)}专业，无需增项注册。"
        errors.append(DomainError(ErrorCode.SPECIALTY_ALREADY_REGISTERED, "specialty_code", message))
    return errors


def add_specialty_fields(applicant: Applicant, draft: AddSpecialtyDraft) -> ApplicationFields:
    """The row: the current employer, the contract, the specialty to add."""
    reg = applicant.active_registration
    return ApplicationFields(
        temporary=bool(reg and reg.temporary),
        enterprise_id=reg.enterprise_id if reg else None,  # type: ignore[attr-defined]
        contract_start=draft.contract_start,
        contract_end=draft.contract_end,
        specialty_codes=specialty_codes([draft.specialty_code or ""], "specialty_code")[0],
    )


def add_specialty_from_row(row: Application) -> AddSpecialtyDraft:
    """The stored filing as a draft (for the pre-check)."""
    codes = list(row.specialty_codes)
    return AddSpecialtyDraft(
        specialty_code=codes[0] if codes else None, contract_start=row.contract_start, contract_end=row.contract_end
    )


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.ADD_SPECIALTY,
        label="增项注册",
        draft_type=AddSpecialtyDraft,
        check=add_specialty_errors,
        fields=add_specialty_fields,
        from_row=add_specialty_from_row,
    )
)
