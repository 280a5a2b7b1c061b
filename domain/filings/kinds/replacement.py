"""证书更换 (certificate replacement): lost, damaged or another reason told in words, with the commitment; for a
person with an ACTIVE registration."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from db.models import Application, ApplicationKind
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import Applicant
from domain.filings.kinds.free_text import REASON_TEXT_MAX_LENGTH, bounded_text
from domain.filings.kinds.held import HeldRegistration, active_errors, held_by, registration_fields
from domain.kernel.errors import DomainError

LABEL = "证书更换"
# The commitment accepted with this kind (`acceptTerms`), recorded by its version on the application.
COMMITMENT_VERSION = "replacement-2026-01"
COMMITMENT_TEXT = (
    "本人承诺：所述证书遗失、污损或其他更换原因真实；新证书生效后原证书作废，不再使用；如有虚假，愿承担相应法律责任。"
)


class ReplacementReason(str, Enum):
    """Why the certificate is replaced."""

    LOST = "LOST"
    DAMAGED = "DAMAGED"
    OTHER = "OTHER"


REASON_LABELS: dict[ReplacementReason, str] = {
    ReplacementReason.LOST: "遗失",
    ReplacementReason.DAMAGED: "污损",
    ReplacementReason.OTHER: "其他",
}


@dataclass(frozen=True)
class ReplacementDraft:
    """证书更换: the reason and its text (required for OTHER, optional otherwise, at most 200 characters)."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.CERTIFICATE_REPLACEMENT
    reason: ReplacementReason = ReplacementReason.OTHER
    reason_text: str | None = None


def clean_reason_text(draft: ReplacementDraft) -> str:
    """The reason's text: required for OTHER, bounded."""
    required = draft.reason is ReplacementReason.OTHER
    return bounded_text(draft.reason_text, "reason_text", REASON_TEXT_MAX_LENGTH, required=required, what="更换原因")


def replacement_errors(draft: ReplacementDraft, held: HeldRegistration | None) -> list[DomainError]:
    """Every refusal: no ACTIVE registration, a missing or oversized reason text."""
    errors = active_errors(held)
    try:
        clean_reason_text(draft)
    except DomainError as exc:
        errors.append(exc)
    return errors


def replacement_details(draft: ReplacementDraft) -> dict[str, Any]:
    """The application's `details` (after the rules passed)."""
    return {
        "reason": draft.reason.value,
        "reason_label": REASON_LABELS[draft.reason],
        "reason_text": clean_reason_text(draft),
        "commitment_version": COMMITMENT_VERSION,
    }


async def _errors(applicant: Applicant, draft: ReplacementDraft) -> list[DomainError]:
    return replacement_errors(draft, held_by(applicant))


def _fields(applicant: Applicant, draft: ReplacementDraft) -> ApplicationFields:
    return registration_fields(applicant, replacement_details(draft))


def _from_row(row: Application) -> ReplacementDraft:
    return ReplacementDraft(reason=ReplacementReason(row.details["reason"]), reason_text=row.details.get("reason_text"))


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.CERTIFICATE_REPLACEMENT,
        label=LABEL,
        draft_type=ReplacementDraft,
        check=_errors,
        fields=_fields,
        from_row=_from_row,
    )
)
