"""Reasons only reviewers may read: a refusal whose real reason would tell the filer something about another person
(that a new ID number belongs to someone else) reaches the filer as a generic refusal; the step item keeps the real
code and message under `reviewer_code` / `reviewer_message` for the reviewers' view."""

from __future__ import annotations

from typing import Any

from domain.kernel.errors import MESSAGES, DomainError, ErrorCode

REVIEWER_KEYS = ("reviewer_code", "reviewer_message")


class ReviewerOnlyReason(DomainError):
    """A refusal told to the filer as `public_code` (generic, no field), the real reason kept for reviewers."""

    def __init__(self, public_code: ErrorCode, reviewer_code: ErrorCode, reviewer_message: str | None = None) -> None:
        super().__init__(public_code)
        self.reviewer_code = reviewer_code
        self.reviewer_message = reviewer_message or MESSAGES[reviewer_code]

    def reviewer_item(self) -> dict[str, str]:
        """The keys a step item adds for the reviewers' view."""
        return {"reviewer_code": self.reviewer_code.value, "reviewer_message": self.reviewer_message}


def reviewer_part(error: DomainError) -> dict[str, Any]:
    """What a step item of this error holds for reviewers only (empty for an ordinary reason)."""
    return error.reviewer_item() if isinstance(error, ReviewerOnlyReason) else {}


def for_applicant(item: dict[str, Any]) -> dict[str, Any]:
    """A step item as the filer may read it: without the reviewer-only keys."""
    return {key: value for key, value in item.items() if key not in REVIEWER_KEYS}
