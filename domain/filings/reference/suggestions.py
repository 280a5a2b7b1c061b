"""Enterprise suggestions while the person types (`enterprises(keyword, first)`)."""

from __future__ import annotations

from db.models import Enterprise, EnterpriseStatus
from domain.kernel.errors import DomainError, ErrorCode

MAX_SUGGESTIONS = 20
DEFAULT_SUGGESTIONS = 10
MAX_KEYWORD_CHARS = 50


def clean_keyword(keyword: str) -> str:
    """The keyword trimmed, inner whitespace collapsed, letters lower-cased; too long is a coded error."""
    text = " ".join(keyword.split()).lower()
    if len(text) > MAX_KEYWORD_CHARS:
        raise DomainError(ErrorCode.INVALID_INPUT, "keyword", f"关键字最多{MAX_KEYWORD_CHARS}个字符。")
    return text


def check_first(first: int | None) -> int:
    """How many suggestions: 1 to 20 (10 when not given)."""
    if first is None:
        return DEFAULT_SUGGESTIONS
    if not 1 <= first <= MAX_SUGGESTIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, "first", f"建议条数须在1到{MAX_SUGGESTIONS}之间。")
    return first


async def suggest_enterprises(keyword: str, first: int | None = None) -> list[Enterprise]:
    """Qualified enterprises whose name contains the keyword, or whose pinyin initials start with it."""
    limit = check_first(first)
    text = clean_keyword(keyword)
    if not text:
        return []
    rows = await Enterprise.filter(name__contains=text, qualification_status=EnterpriseStatus.QUALIFIED.value)
    return sorted(rows, key=lambda row: row.id)[:limit]
