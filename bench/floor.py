"""The floor of GraphQL on this stack: the Tortoise baseline's hand-built viewer JSON returned by one root field.

Served at /graphql-floor by the portal's own view class, with the portal schema's extensions (the request policy of
graph.policy.extensions, the same factories and so the same caches), so it pays everything a GraphQL request pays on
this stack (Strawberry's HTTP view, the context with the session lookup, the token limit, parse/validation caches,
the cost, the operation hooks, graphql-core's execution of one field, the JSON response) except executing the
viewer's fields: their values come prebuilt as one JSON scalar. No work on the GraphQL side can make the real query
faster than this, so it bounds what /graphql can reach against the baselines.
"""

from __future__ import annotations

from typing import Any, cast

import strawberry
from starlette.routing import Route
from strawberry.scalars import JSON

from bench.tortoise_view import viewer_json
from domain import accounts, trail

PATH = "/graphql-floor"
QUERY = "query($first: Int!) { viewer(first: $first) }"


@strawberry.type
class FloorQuery:
    @strawberry.field
    async def viewer(self, info: strawberry.Info, first: int) -> JSON | None:
        """The same reads and JSON as the Tortoise baseline, after the same session lookup (the context's)."""
        actor = info.context.actor
        if actor is None or not actor.is_person:
            return None
        person = await accounts.find_person(actor.id)
        if person is None:
            return None
        body = await viewer_json(person, actor, trail.may_view(actor, person.id), first)
        return cast("JSON", body)


def floor_route(portal_schema: Any) -> Route:
    """The floor's route, to add to the portal app (its context needs the app's state)."""
    from graph.view import PortalGraphQL

    schema = strawberry.Schema(query=FloorQuery, extensions=list(portal_schema.extensions))
    return Route(PATH, PortalGraphQL(schema), methods=["POST"])
