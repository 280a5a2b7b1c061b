"""Types shared by every domain: UserError, ErrorCode, page info."""

from __future__ import annotations

import base64

import strawberry

from domain.errors import ErrorCode

strawberry.enum(ErrorCode, description="稳定的错误代码 / Stable error codes.")


@strawberry.type(description="可由用户纠正的错误 / An error the user can correct.")
class UserError:
    field: list[str] | None = strawberry.field(description="出错的输入字段路径 / Path of the input field at fault.")
    code: ErrorCode = strawberry.field(description="错误代码 / Machine-readable code.")
    message: str = strawberry.field(description="中文提示 / Message for the user, in Chinese.")


@strawberry.type(description="分页信息 / Pagination state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页 / More items after this page.")
    end_cursor: str | None = strawberry.field(description="本页最后一项的游标 / Cursor of the last item.")


MAX_PAGE = 100
MAX_DB_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


def parse_db_id(text: str) -> int | None:
    """A primary key from client text; None unless plain ASCII digits within the column's range."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DB_ID)):
        return None
    value = int(text)
    return value if value <= MAX_DB_ID else None


def encode_cursor(key: int) -> str:
    """Opaque keyset cursor."""
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    """The key inside a cursor; None for no cursor or a malformed one."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, key = text.partition(":")
    return parse_db_id(key) if prefix == "k" else None
