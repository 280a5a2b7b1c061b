"""The ten specialties (专业) of the Level-1 constructor, with the seal's short name and who reviews them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Specialty:
    """One specialty: the project's own two-digit code (exam codes differ)."""

    code: str
    name: str
    short_name: str
    needs_specialty_review: bool  # reviewed by its specialty ministry (10 working days) before the ministry


SPECIALTIES: tuple[Specialty, ...] = (
    Specialty("01", "建筑工程", "建筑", False),
    Specialty("02", "公路工程", "公路", True),
    Specialty("03", "铁路工程", "铁路", True),
    Specialty("04", "民航机场工程", "民航", True),
    Specialty("05", "港口与航道工程", "港航", True),
    Specialty("06", "水利水电工程", "水利", True),
    Specialty("07", "市政公用工程", "市政", False),
    Specialty("08", "通信与广电工程", "通信", True),
    Specialty("09", "矿业工程", "矿业", False),
    Specialty("10", "机电工程", "机电", False),
)

_BY_CODE = {s.code: s for s in SPECIALTIES}
_BY_NAME = {s.name: s for s in SPECIALTIES}


def specialty(code: str) -> Specialty | None:
    """The specialty of this code, or None."""
    return _BY_CODE.get(code)


def specialty_by_code_or_name(text: str) -> Specialty | None:
    """As an import file writes it: the code (`01`, also `1`) or the full name (`建筑工程`)."""
    text = text.strip()
    if text.isdigit() and len(text) <= 2:
        return _BY_CODE.get(text.zfill(2))
    return _BY_NAME.get(text)
