"""The one mapper from domain errors to GraphQL: payload `errors` for bad input, coded top-level errors for auth."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graphql import GraphQLError
from strawberry.relay import GlobalIDValueError

from domain.errors import MESSAGES, DomainError, DomainErrors, ErrorCode

logger = logging.getLogger("portal.graphql")
P = TypeVar("P")
T = TypeVar("T")
SUGGESTION_RE = re.compile(r"\s*Did you mean .*\?$")
INTERNAL_MESSAGE = "服务器内部错误，请稍后重试。"
INVALID_ID_MESSAGE = "对象 ID 不正确。"
INVALID_VALUE_MESSAGE = "参数值不正确。"


class CodedError(GraphQLError):
    """A top-level error that clients may switch on: malformed arguments, auth failures."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


class AuthError(CodedError):
    """Top-level error for a missing or insufficient login."""

    def __init__(self, code: ErrorCode = ErrorCode.UNAUTHENTICATED) -> None:
        super().__init__(code.value, MESSAGES[code])


def user_errors(exc: DomainError | DomainErrors) -> list[Any]:
    """Domain failures as `UserError` objects."""
    from graph.schema.common import UserError

    items = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [UserError(field=[e.field] if e.field else None, code=e.code, message=e.message) for e in items]


async def as_payload(payload: Callable[..., P], work: Awaitable[dict[str, Any]]) -> P:
    """Run a mutation's domain call; expected failures become the payload's `errors`."""
    try:
        values = await work
    except (DomainError, DomainErrors) as exc:
        if isinstance(exc, DomainError) and exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN):
            raise AuthError(exc.code) from exc
        return payload(errors=user_errors(exc))
    return payload(errors=[], **values)


async def or_coded_error(work: Awaitable[T]) -> T:
    """For query fields (no payload to carry errors): a domain error becomes a coded top-level error."""
    try:
        return await work
    except DomainError as exc:
        if exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN):
            raise AuthError(exc.code) from exc
        raise CodedError(exc.code.value, exc.message) from exc


def is_expected(error: GraphQLError) -> bool:
    """Validation and auth errors are shown as they are; anything else is masked."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def log_request_errors(errors: list[GraphQLError]) -> None:
    """Expected errors as one line each, by code and path, never with the query text or variable values: those
    may hold passwords and line breaks (Strawberry's default log prints the query source). `present` logs the
    unexpected ones with their traceback."""
    for error in errors:
        if is_expected(error):
            code = (error.extensions or {}).get("code", "BAD_REQUEST")
            logger.info("request error %s at %s", code, ".".join(map(str, error.path or ())) or "-")


def present(error: GraphQLError, hide_suggestions: bool) -> GraphQLError:
    """The error as the client sees it: masked when unexpected, suggestions cut in production."""
    if isinstance(error.original_error, GlobalIDValueError):  # a client-made id naming no type of ours
        return GraphQLError(INVALID_ID_MESSAGE, nodes=error.nodes, path=error.path, extensions={"code": "INVALID_ID"})
    if not is_expected(error) and error.nodes and error.path is None:
        # Tied to the document but to no field resolved: a literal its scalar could not parse (an Int of 5000
        # digits makes int() raise ValueError inside validation). The request's fault; the message is Python's.
        return GraphQLError(INVALID_VALUE_MESSAGE, nodes=error.nodes, extensions={"code": "INVALID_INPUT"})
    if not is_expected(error):
        logger.error("unexpected error at %s", error.path, exc_info=error.original_error)
        return GraphQLError(
            INTERNAL_MESSAGE, nodes=error.nodes, path=error.path, extensions={"code": "INTERNAL_SERVER_ERROR"}
        )
    if hide_suggestions and "Did you mean" in error.message:
        return GraphQLError(
            SUGGESTION_RE.sub("", error.message),
            nodes=error.nodes,
            path=error.path,
            extensions=error.extensions,
        )
    return error
