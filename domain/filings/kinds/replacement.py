"""证书更换 (certificate replacement): lost, damaged or another reason told in words, for an ACTIVE registration."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from domain.filings.kinds.free_text import REASON_TEXT_MAX_LENGTH, bounded_text
from domain.filings.kinds.registration_facts import RegistrationFacts, require_active

# The commitment the applicant accepts with this kind (recorded by its version with the application).
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
class ReplacementRequest:
    """证书更换: the reason and its text (required for OTHER, optional otherwise)."""

    reason: ReplacementReason
    reason_text: str | None = None


def check_replacement(request: ReplacementRequest, registration: RegistrationFacts | None) -> dict[str, Any]:
    """The rules of a certificate replacement; returns the application's `details`."""
    require_active(registration)
    required = request.reason is ReplacementReason.OTHER
    text = bounded_text(request.reason_text, "reason_text", REASON_TEXT_MAX_LENGTH, required=required, what="更换原因")
    return {
        "reason": request.reason.value,
        "reason_label": REASON_LABELS[request.reason],
        "reason_text": text,
        "commitment_version": COMMITMENT_VERSION,
    }
