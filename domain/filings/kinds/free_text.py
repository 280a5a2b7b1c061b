"""Free text typed by an applicant (a reason, a note to the reviewer): cleaned, bounded, never blank when needed."""

from __future__ import annotations

import unicodedata

from domain.kernel.errors import DomainError, ErrorCode

REASON_TEXT_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 500


def clean_text(raw: str | None) -> str:
    """Invisible characters (Unicode Cf: zero-width, BOM, bidi marks) and controls dropped, every kind of space
    counted as one space, runs collapsed: "\u200b" or "\u3000\u3000" is no text at all."""
    if not raw:
        return ""
    visible = "".join(
        " " if unicodedata.category(char) in ("Zs", "Zl", "Zp") or char in "\t\r\n" else char
        for char in raw
        if unicodedata.category(char) not in ("Cf", "Cc") or char in "\t\r\n"
    )
    return " ".join(visible.split())


def bounded_text(raw: str | None, field: str, max_length: int, *, required: bool, what: str) -> str:
    """The cleaned text: `REQUIRED` when required and blank, `TEXT_TOO_LONG` over `max_length` characters."""
    if raw is not None and len(raw) > max_length * 4:  # far too long before cleaning: refuse without the work
        raise DomainError(ErrorCode.TEXT_TOO_LONG, field, f"{what}不能超过{max_length}字。")
    text = clean_text(raw)
    if required and not text:
        raise DomainError(ErrorCode.REQUIRED, field, f"请填写{what}。")
    if len(text) > max_length:
        raise DomainError(ErrorCode.TEXT_TOO_LONG, field, f"{what}不能超过{max_length}字。")
    return text
