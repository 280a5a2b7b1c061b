"""Every code a top-level error (or a refusal by the request guard) can carry, in one place, with its meaning.

Payload `UserError` codes are the domain's `ErrorCode` (domain/kernel/errors.py); the codes here are the others:
malformed or oversized requests, auth failures, masked faults. Clients may switch on them; the names are stable.
"""

from __future__ import annotations

from enum import StrEnum


class TopLevelCode(StrEnum):
    """A top-level error's `extensions.code`."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    TOO_MANY_VARIABLES = "TOO_MANY_VARIABLES"
    CSRF_PREFLIGHT_REQUIRED = "CSRF_PREFLIGHT_REQUIRED"
    CSRF_TOKEN_REQUIRED = "CSRF_TOKEN_REQUIRED"  # noqa: S105 (a code, not a secret)
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    OPERATION_NAME_REQUIRED = "OPERATION_NAME_REQUIRED"
    TOO_MANY_IDS = "TOO_MANY_IDS"
    TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_ID = "INVALID_ID"
    INVALID_INPUT = "INVALID_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
    WRONG_TRANSPORT = "WRONG_TRANSPORT"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


MEANINGS: dict[TopLevelCode, tuple[str, str]] = {
    TopLevelCode.UNAUTHENTICATED: ("未登录或登录已失效", "No valid session: log in."),
    TopLevelCode.FORBIDDEN: ("无权执行此操作", "Logged in, but not allowed to do this."),
    TopLevelCode.PAYLOAD_TOO_LARGE: ("请求内容过大（HTTP 413）", "The body is over this caller's cap (413)."),
    TopLevelCode.REQUEST_TIMEOUT: ("请求内容发送超时（HTTP 408）", "The body was not received in time (HTTP 408)."),
    TopLevelCode.TOO_MANY_VARIABLES: ("变量过多（HTTP 400）", "More variables than allowed (HTTP 400)."),
    TopLevelCode.CSRF_PREFLIGHT_REQUIRED: (
        "文件上传须携带预检请求头（HTTP 400）",
        "A multipart request without x-requested-with or apollo-require-preflight (HTTP 400).",
    ),
    TopLevelCode.CSRF_TOKEN_REQUIRED: (
        "凭 Cookie 登录的 POST 请求须携带正确的 x-csrf-token 请求头",
        "A cookie-authenticated POST without the session's x-csrf-token header.",
    ),
    TopLevelCode.QUERY_TOO_DEEP: ("查询嵌套过深", "The operation nests deeper than allowed."),
    TopLevelCode.TOO_MANY_ALIASES: ("别名过多", "More aliases than allowed."),
    TopLevelCode.QUERY_TOO_LARGE: (
        "查询字段过多或重复字段过多（在校验之前拒绝）",
        "Too many selections, or too many fields repeated under one key (refused before validation).",
    ),
    TopLevelCode.QUERY_TOO_COMPLEX: ("查询成本超过上限", "The query cost (fields × page sizes) is over the cap."),
    TopLevelCode.OPERATION_NAME_REQUIRED: (
        "文档含多个操作时须指定 operationName",
        "A document with several operations needs operationName (or names none that it holds).",
    ),
    TopLevelCode.TOO_MANY_IDS: ("一次查询的 ID 过多", "nodes(ids:) with more ids than allowed."),
    TopLevelCode.TOO_MANY_REQUESTS: (
        "被拒绝的查询过多，请稍后再试（等待秒数见 retryAfterSeconds）",
        "Too many documents refused for this address in a minute; new ones wait (extensions.retryAfterSeconds).",
    ),
    TopLevelCode.INVALID_PAGE_SIZE: ("分页大小不正确", "`first` out of range."),
    TopLevelCode.INVALID_CURSOR: ("分页游标不正确", "A cursor this server did not issue."),
    TopLevelCode.INVALID_ID: ("对象 ID 不正确", "A global id naming no type of ours."),
    TopLevelCode.INVALID_INPUT: (
        "参数值不正确（如日期格式、不存在的枚举值），message 指明位置",
        "A value its type cannot take (a malformed date, an unknown enum value); the message names where.",
    ),
    TopLevelCode.GRAPHQL_PARSE_FAILED: ("查询文档语法错误", "The document does not parse."),
    TopLevelCode.GRAPHQL_VALIDATION_FAILED: (
        "查询文档不符合接口定义（如不存在的字段）",
        "The document does not validate against the schema (an unknown field, a wrong argument).",
    ),
    TopLevelCode.TOO_MANY_SUBSCRIPTIONS: (
        "同一连接上的订阅过多",
        "More operations at once on one WebSocket than allowed (WS_MAX_SUBSCRIPTIONS).",
    ),
    TopLevelCode.WRONG_TRANSPORT: (
        "订阅须经 WebSocket（graphql-transport-ws），WebSocket 上只接受订阅",
        "A subscription over HTTP, or a query or mutation over the WebSocket.",
    ),
    TopLevelCode.INTERNAL_SERVER_ERROR: ("服务器内部错误（已记录）", "A masked server fault (logged)."),
}


class Refusal(Exception):
    """A request refused with a coded JSON error, raised inside the app (or `receive`) before it answered."""

    def __init__(self, status: int, message: str, code: TopLevelCode) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
