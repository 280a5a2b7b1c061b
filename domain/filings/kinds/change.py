"""变更注册 (change of employer): the new enterprise, chosen from the suggestions, and the new labour contract; the
registration keeps its expiry (第13条). Open to temporary Level-1 holders only today (FILING_CHANGE_TEMPORARY_ONLY)."""

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
    temporary_only_errors,
)
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

LABEL = "变更注册"


@dataclass(frozen=True)
class ChangeDraft:
    """变更注册: the new employer (an enterprise id; 0 for an id that names no enterprise) and the new contract."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.CHANGE
    enterprise_id: int | None = None
    contract_start: date | None = None
    contract_end: date | None = None


async def change_errors(applicant: Applicant, draft: ChangeDraft) -> list[DomainError]:
    """An ACTIVE registration (temporary only, by policy), a qualified enterprise other than the current one."""
    errors = active_registration_errors(applicant)
    errors += temporary_only_errors(applicant, get_settings().filing_change_temporary_only, LABEL)
    errors += age_errors(applicant)
    errors += contract_errors(applicant.today, draft.contract_start, draft.contract_end)
    enterprise, wrong = await enterprise_errors(draft.enterprise_id)
    errors += wrong
    reg = applicant.active_registration
    if enterprise is not None and reg is not None and enterprise.id == reg.enterprise_id:  # type: ignore[attr-defined]
        errors.append(DomainError(ErrorCode.SAME_ENTERPRISE, "enterprise_id"))
    return errors


def change_fields(applicant: Applicant, draft: ChangeDraft) -> ApplicationFields:
    """The row: the new employer and contract; the registration's specialties (they keep their expiry)."""
    reg = applicant.active_registration
    return ApplicationFields(
        temporary=bool(reg and reg.temporary),
        enterprise_id=draft.enterprise_id,
        contract_start=draft.contract_start,
        contract_end=draft.contract_end,
        specialty_codes=sorted(applicant.registered),
        details={"previous_enterprise_id": reg.enterprise_id if reg else None},  # type: ignore[attr-defined]
    )


def change_from_row(row: Application) -> ChangeDraft:
    """The stored filing as a draft (for the pre-check)."""
    return ChangeDraft(
        enterprise_id=row.enterprise_id,  # type: ignore[attr-defined]
        contract_start=row.contract_start,
        contract_end=row.contract_end,
    )


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.CHANGE,
        label=LABEL,
        draft_type=ChangeDraft,
        check=change_errors,
        fields=change_fields,
        from_row=change_from_row,
    )
)
