"""初始注册 (initial registration) and 重新注册 (re-registration, handled like an initial one): an enterprise, the
labour contract, specialties the person is qualified in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, TypeVar

from db.models import Application, ApplicationKind
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import (
    Applicant,
    age_errors,
    continuing_education_errors,
    contract_errors,
    enterprise_errors,
    qualification_errors,
    specialty_codes,
    temporary_of,
)
from domain.kernel.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class InitialDraft:
    """初始注册: the employer (an enterprise id; 0 for an id that names no enterprise), the contract, specialties,
    and whether a continuing-education record is declared (needed 3 years after the qualification's issue)."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.INITIAL
    enterprise_id: int | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    specialty_codes: list[str] = field(default_factory=list)
    continuing_education: bool = False


@dataclass(frozen=True)
class ReregistrationDraft(InitialDraft):
    """重新注册: as an initial registration, for a registration cancelled, lapsed or refused."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.REREGISTRATION


async def registering_errors(applicant: Applicant, draft: InitialDraft) -> list[DomainError]:
    """What an initial registration and a re-registration share: age, contract, enterprise, specialties."""
    errors = age_errors(applicant)
    errors += contract_errors(applicant.today, draft.contract_start, draft.contract_end)
    errors += (await enterprise_errors(draft.enterprise_id))[1]
    codes, wrong = specialty_codes(draft.specialty_codes)
    errors += wrong
    errors += qualification_errors(applicant, codes)
    errors += temporary_of(applicant, codes)[1]
    errors += continuing_education_errors(applicant, codes, draft.continuing_education)
    return errors


async def initial_errors(applicant: Applicant, draft: InitialDraft) -> list[DomainError]:
    """初始注册: never registered before (an ACTIVE registration refuses; an ended one files a re-registration)."""
    errors: list[DomainError] = []
    if applicant.active_registration is not None:
        errors.append(DomainError(ErrorCode.ALREADY_REGISTERED))
    elif applicant.registration is not None:
        message = "您曾经注册，注册已注销或失效，请申请重新注册。"
        errors.append(DomainError(ErrorCode.REGISTRATION_STATE_INVALID, None, message))
    return errors + await registering_errors(applicant, draft)


def registering_fields(applicant: Applicant, draft: InitialDraft) -> ApplicationFields:
    """The row of an initial registration or a re-registration."""
    codes = specialty_codes(draft.specialty_codes)[0]
    return ApplicationFields(
        temporary=temporary_of(applicant, codes)[0],
        enterprise_id=draft.enterprise_id,
        contract_start=draft.contract_start,
        contract_end=draft.contract_end,
        specialty_codes=codes,
        details={"continuing_education": draft.continuing_education},
    )


Draft = TypeVar("Draft", bound=InitialDraft)


def registering_from_row(draft_type: type[Draft]) -> Callable[[Application], Draft]:
    """Rebuilds a stored initial registration or re-registration as its draft (for the pre-check)."""

    def from_row(row: Application) -> Draft:
        return draft_type(
            enterprise_id=row.enterprise_id,  # type: ignore[attr-defined]
            contract_start=row.contract_start,
            contract_end=row.contract_end,
            specialty_codes=list(row.specialty_codes),
            continuing_education=bool(row.details.get("continuing_education")),
        )

    return from_row


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.INITIAL,
        label="初始注册",
        draft_type=InitialDraft,
        check=initial_errors,
        fields=registering_fields,
        from_row=registering_from_row(InitialDraft),
    )
)
