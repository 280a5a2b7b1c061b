"""Types and helpers shared by every area: UserError, ErrorCode, ids, keyset cursors, node lookups."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import strawberry

from domain.kernel.errors import ErrorCode
from graph.errors import CodedError

strawberry.enum(ErrorCode, description="稳定的错误代码 / Stable error codes.")

Row = TypeVar("Row")
MAX_PAGE = 100
MAX_DB_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


@strawberry.type(description="可由用户纠正的错误 / An error the user can correct.")
class UserError:
    field: list[str] | None = strawberry.field(description="出错的输入字段路径 / Path of the input field at fault.")
    code: ErrorCode = strawberry.field(description="错误代码 / Machine-readable code.")
    message: str = strawberry.field(description="中文提示 / Message for the user, in Chinese.")


def errors_field() -> Any:
    """The `errors` of every payload: empty when the mutation succeeded."""
    return strawberry.field(
        default_factory=list, description="可由用户纠正的错误（成功时为空）/ What to correct; empty on success."
    )


def parse_db_id(text: str) -> int | None:
    """A primary key from client text; None unless plain ASCII digits within the column's range."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DB_ID)):
        return None
    value = int(text)
    return value if value <= MAX_DB_ID else None


def check_page_size(first: int) -> None:
    """`first` is required and at most 100."""
    if not 1 <= first <= MAX_PAGE:
        raise CodedError("INVALID_PAGE_SIZE", f"first 须在 1 到 {MAX_PAGE} 之间。")


def encode_cursor(key: int) -> str:
    """Opaque keyset cursor."""
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    """The key inside a cursor; None for no cursor; a malformed one is a coded error (never the first page)."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    prefix, _, key = text.partition(":")
    value = parse_db_id(key) if prefix == "k" else None
    if value is None:
        raise CodedError("INVALID_CURSOR", "分页游标不正确，请从第一页重新查询。")
    return value


async def nodes_in_order(
    ids: Iterable[str],
    visible: Callable[[list[int]], Awaitable[Mapping[int, Row]]],
    convert: Callable[[Row], Any],
) -> list[Any]:
    """`node(id:)` answers in the order asked, None where the domain says the row is missing or not the caller's."""
    wanted = [parse_db_id(str(node_id)) for node_id in ids]
    found = await visible([key for key in wanted if key is not None])
    return [convert(found[key]) if key is not None and key in found else None for key in wanted]
