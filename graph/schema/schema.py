"""Assembles the Schema from each domain's queries and mutations, with the request limits."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from domain.settings import get_settings
from graph.errors import log_request_errors
from graph.execution import PortalExecutionContext
from graph.limits import document_limits_rule
from graph.request_policy import PolicyConfig, RequestPolicy
from graph.resolvers.accounts import AccountMutations, AccountQueries
from graph.resolvers.attachments import AttachmentMutations
from graph.resolvers.verification import VerificationMutations, VerificationQueries

PARSE_CACHE_SIZE = 256  # distinct documents kept parsed and validated (bounded: clients can send anything)


@strawberry.type
class NodeQueries:
    node: relay.Node | None = relay.node(description="按全局 ID 获取对象（逐个鉴权）/ Fetch any object by global id.")
    nodes: list[relay.Node | None] = relay.node(description="按全局 ID 批量获取 / Fetch objects by global ids.")


Query = merge_types("Query", (AccountQueries, VerificationQueries, NodeQueries))
Mutation = merge_types("Mutation", (AccountMutations, AttachmentMutations, VerificationMutations))


class PortalSchema(strawberry.Schema):
    """Strawberry's Schema with a safe error log (see graph.errors.log_request_errors)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        log_request_errors(errors)


def build_schema() -> strawberry.Schema:
    """The portal's schema with depth, alias, token and cost limits, introspection gate and error masking."""
    settings = get_settings()
    config = PolicyConfig(
        max_tokens=settings.graphql_max_tokens,
        max_cost=settings.graphql_max_cost,
        fixed_rules=(document_limits_rule(settings.graphql_max_depth, settings.graphql_max_aliases),),
        cache_size=PARSE_CACHE_SIZE,
    )
    return PortalSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=PortalExecutionContext,
        extensions=[lambda: RequestPolicy(config)],
    )


schema = build_schema()
