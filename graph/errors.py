"""The mutation recipe's error half: domain failures become the payload's `errors` (bad input) or a coded
top-level error (auth, and query fields, which have no payload). Field keys are converted from the domain's
snake_case with the schema's own name converter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from domain.kernel.errors import MESSAGES, DomainError, DomainErrors, ErrorCode

AUTH_CODES = (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN)


class CodedError(GraphQLError):
    """A top-level error that clients may switch on: malformed arguments, auth failures."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


class AuthError(CodedError):
    """Top-level error for a missing or insufficient login."""

    def __init__(self, code: ErrorCode = ErrorCode.UNAUTHENTICATED) -> None:
        super().__init__(code.value, MESSAGES[code])


def user_errors(exc: DomainError | DomainErrors, names: NameConverter) -> list[Any]:
    """Domain failures as `UserError` objects, field keys in the schema's spelling (`id_number` → `idNumber`)."""
    from graph.schema.common import UserError

    items = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [
        UserError(
            field=[names.apply_naming_config(e.field)] if e.field else None,
            code=e.code,
            message=e.message,
            retry_after_seconds=e.retry_after_s,
        )
        for e in items
    ]


def _refuse_unparsed(arguments: dict[str, Any]) -> None:
    """Malformed dates (graph.schema.scalars) as INVALID_DATE on their fields, before the resolver runs."""
    from graph.schema.scalars import unparsed_fields

    names = [found for key, value in arguments.items() for found in unparsed_fields(value, key)]
    if names:
        raise DomainErrors([DomainError(ErrorCode.INVALID_DATE, name) for name in dict.fromkeys(names)])


class ErrorsInPayload(FieldExtension):
    """On a mutation: an expected failure returns the field's payload type with `errors` filled in."""

    def apply(self, field: StrawberryField) -> None:
        self.payload: Callable[..., Any] = field.type  # type: ignore[assignment]

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        raise NotImplementedError("mutations are async")

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        try:
            _refuse_unparsed(kwargs)
            return await next_(source, info, **kwargs)
        except (DomainError, DomainErrors) as exc:
            if isinstance(exc, DomainError) and exc.code in AUTH_CODES:
                raise AuthError(exc.code) from exc
            return self.payload(errors=user_errors(exc, info.schema.config.name_converter))
        finally:
            # Mutation fields run one after another: what this one changed must not be answered from what the
            # request's loaders read before it.
            info.context.loaders.clear()


class ErrorsAsCoded(FieldExtension):
    """On a query field: an expected failure becomes a coded top-level error at that field."""

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        raise NotImplementedError("fields with this extension are async")

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as exc:
            if exc.code in AUTH_CODES:
                raise AuthError(exc.code) from exc
            error = CodedError(exc.code.value, exc.message)
            if exc.retry_after_s is not None:
                error.extensions = {**(error.extensions or {}), "retryAfterSeconds": exc.retry_after_s}
            raise error from exc
