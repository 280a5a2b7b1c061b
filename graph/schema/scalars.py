"""A `Date` that a person may mistype: a malformed value (2024-13-45, 2024/05/01, a number) does not fail the whole
request at variable coercion (a top-level error with no payload); it reaches the mutation as `Unparsed`, and the
mutation answers `INVALID_DATE` on that field in its payload's `errors` (each malformed date named)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import strawberry

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Unparsed:
    """A scalar value that could not be read; the text is kept for logs only, never echoed."""

    raw: str


def parse_date(value: object) -> dt.date | Unparsed:
    """YYYY-MM-DD, a real calendar date; anything else is Unparsed."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return Unparsed(str(value)[:40])


# For StrawberryConfig.scalar_map: the schema's `Date` is this one.
SCALAR_MAP: dict[object, Any] = {
    dt.date: strawberry.scalar(
        name="Date",
        description="日期，格式 YYYY-MM-DD（格式有误时由变更的 errors 指明字段）/ A date, YYYY-MM-DD; a malformed one "
        "is reported in the mutation's errors on its field.",
        serialize=dt.date.isoformat,
        parse_value=parse_date,
    )
}


def unparsed_fields(value: object, name: str | None = None) -> list[str]:
    """The (snake_case) names of the input fields, at any depth, that hold an Unparsed value."""
    if isinstance(value, Unparsed):
        return [name or "input"]
    if isinstance(value, list | tuple):
        return [found for item in value for found in unparsed_fields(item, name)]
    if is_dataclass(value) and not isinstance(value, type):
        return [found for f in fields(value) for found in unparsed_fields(getattr(value, f.name), f.name)]
    return []
