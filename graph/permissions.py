"""The one home for authorization at the transport: who may call a field (Strawberry permission classes) and who
may introspect. Object-level rules (whose data an actor sees) are the domain's (`domain.kernel.access`)."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from domain.accounts import StaffRole
from domain.kernel.actors import Actor
from domain.kernel.errors import MESSAGES, ErrorCode
from graph.errors import AuthError


def _actor(info: Info[Any, Any]) -> Actor | None:
    actor: Actor | None = info.context.actor
    return actor


class IsPerson(BasePermission):
    """A logged-in applicant."""

    message = MESSAGES[ErrorCode.UNAUTHENTICATED]
    error_extensions = {"code": ErrorCode.UNAUTHENTICATED.value}  # noqa: RUF012 - Strawberry's class attribute

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        actor = _actor(info)
        return actor is not None and actor.is_person


class IsAuthenticated(BasePermission):
    """Anyone logged in: an applicant or staff."""

    message = MESSAGES[ErrorCode.UNAUTHENTICATED]
    error_extensions = {"code": ErrorCode.UNAUTHENTICATED.value}  # noqa: RUF012

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return _actor(info) is not None


def require_role(*roles: StaffRole) -> type[BasePermission]:
    """Staff with one of the roles: UNAUTHENTICATED when nobody is logged in, FORBIDDEN for anyone else."""

    class HasRole(BasePermission):
        message = MESSAGES[ErrorCode.FORBIDDEN]
        error_extensions = {"code": ErrorCode.FORBIDDEN.value}  # noqa: RUF012

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            actor = _actor(info)
            if actor is None:
                raise AuthError(ErrorCode.UNAUTHENTICATED)
            return actor.has_role(*roles)

    HasRole.__name__ = "Has" + "Or".join(role.value.title().replace("_", "") for role in roles)
    return HasRole


def may_introspect(context: Any) -> bool:
    """Introspection (and so GraphiQL's docs) in dev and test, or for administrators."""
    actor: Actor | None = getattr(context, "actor", None)
    return bool(context.settings.is_dev or (actor is not None and actor.has_role(StaffRole.ADMIN)))
