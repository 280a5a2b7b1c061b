"""The one recipe for a resolver: input → domain call → payload. `portal_mutation` and `portal_field` are
Strawberry's decorators with the error mapping (and a permission class) attached, used the same way everywhere."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from graph.errors import ErrorsAsCoded, ErrorsInPayload


def portal_mutation(description: str, permission: type[BasePermission] | None = None) -> Any:
    """A mutation whose expected failures land in its payload's `errors`."""
    return strawberry.mutation(
        description=description,
        extensions=[ErrorsInPayload()],
        permission_classes=[permission] if permission else [],
    )


def portal_field(description: str, permission: type[BasePermission] | None = None) -> Any:
    """A query field whose expected failures are coded top-level errors."""
    return strawberry.field(
        description=description,
        extensions=[ErrorsAsCoded()],
        permission_classes=[permission] if permission else [],
    )
