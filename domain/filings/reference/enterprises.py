"""Enterprises (聘用企业) as reference data: public (name, credit code, province and status are public records),
read by id for `node(id:)` and the filing forms; the pinyin initials that suggestions match."""

from __future__ import annotations

from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

from db.models import Enterprise, EnterpriseStatus


def name_initials(name: str) -> str:
    """Lower-case pinyin initials of a name (中建三局 → zjsj); letters and digits in it kept as they are, other
    characters dropped. Polyphones take pypinyin's phrase-aware reading (重庆 → cq)."""
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(initials).lower() if ch.isascii() and ch.isalnum())


async def enterprises_by_ids(ids: Iterable[int]) -> dict[int, Enterprise]:
    """The enterprises with these ids (reference data: visible to everyone)."""
    wanted = sorted(set(ids))
    return {row.id: row for row in await Enterprise.filter(id__in=wanted)} if wanted else {}


def is_qualified(enterprise: Enterprise) -> bool:
    """Only a QUALIFIED employer can take on registered constructors."""
    return enterprise.qualification_status == EnterpriseStatus.QUALIFIED.value
