"""Assembles the Schema from each area's queries and mutations, with the request policy."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, get_object_definition

from domain.kernel.settings import get_settings
from graph.policy.extensions import request_policy
from graph.policy.presentation import log_request_errors
from graph.resolvers.accounts import AccountMutations, AccountQueries
from graph.resolvers.verification import VerificationMutations, VerificationQueries


@strawberry.type
class NodeQueries:
    node: relay.Node | None = relay.node(description="按全局 ID 获取对象（逐个鉴权）/ Fetch any object by global id.")
    nodes: list[relay.Node | None] = relay.node(description="按全局 ID 批量获取 / Fetch objects by global ids.")


def described_root(name: str, description: str, areas: tuple[type, ...]) -> type:
    """Strawberry's `merge_types` (which warns when two areas define the same field), with the description it
    does not take."""
    merged = merge_types(name, areas)
    get_object_definition(merged, strict=True).description = description
    return merged


Query = described_root(
    "Query",
    "查询入口 / The root of all queries.",
    (AccountQueries, VerificationQueries, NodeQueries),
)
Mutation = described_root(
    "Mutation",
    "变更入口 / The root of all mutations; expected failures come back in each payload's errors.",
    (AccountMutations, VerificationMutations),
)


class PortalSchema(strawberry.Schema):
    """Strawberry's Schema with a safe error log (see graph.policy.presentation.log_request_errors)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        log_request_errors(errors)


def build_schema() -> strawberry.Schema:
    """The portal's schema with its request policy (limits, caches, introspection gate, cost)."""
    return PortalSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True),
        extensions=request_policy(get_settings()),
    )


schema = build_schema()
