"""Assembles the Schema from each area's queries and mutations, with the request policy."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info, get_object_definition
from strawberry.types.base import StrawberryObjectDefinition

from domain.kernel.settings import get_settings
from graph.errors import CodedError
from graph.policy.codes import TopLevelCode
from graph.policy.extensions import request_policy
from graph.policy.presentation import log_request_errors
from graph.resolvers.accounts import AccountMutations, AccountQueries
from graph.resolvers.announcements import AnnouncementMutations, AnnouncementQueries
from graph.resolvers.certificates import CertificateMutations, CertificateQueries
from graph.resolvers.filings.applications import ApplicationMutations
from graph.resolvers.filings.other_kinds import OtherKindMutations
from graph.resolvers.filings.reference import ReferenceMutations, ReferenceQueries
from graph.resolvers.live import LiveSubscriptions
from graph.resolvers.review import ReviewMutations
from graph.resolvers.review_queue import ReviewQueueQueries
from graph.resolvers.verification import VerificationMutations, VerificationQueries
from graph.schema.scalars import SCALAR_MAP


class ClientIds(FieldExtension):
    """Ids a client made up, checked before Strawberry looks them up: `nodes(ids:)` takes at most
    GRAPHQL_MAX_NODE_IDS (the cost counts each id too; 33,000 overflowed PostgreSQL's bind parameters), and an id
    naming an interface (`Node:1`), which Strawberry cannot fetch (NotImplementedError, a logged traceback),
    answers null as an unknown object does."""

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        if "id" in kwargs:
            return next_(source, info, **kwargs) if fetchable(info, kwargs["id"]) else None
        ids: list[relay.GlobalID] = kwargs["ids"]
        limit = info.context.settings.graphql_max_node_ids
        if len(ids) > limit:
            raise CodedError(TopLevelCode.TOO_MANY_IDS.value, f"一次最多查询 {limit} 个 ID。")
        kept = [fetchable(info, global_id) for global_id in ids]
        wanted = [global_id for global_id, keep in zip(ids, kept, strict=True) if keep]
        return placed(kept, next_(source, info, **{**kwargs, "ids": wanted}) if wanted else [])

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        return await maybe_await(self.resolve(next_, source, info, **kwargs))


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def placed(kept: list[bool], found: Any) -> list[Any]:
    """The objects found, each at its id's place; null where the id was not looked up."""
    objects = iter(await maybe_await(found))
    return [next(objects) if keep else None for keep in kept]


def fetchable(info: Info, global_id: relay.GlobalID) -> bool:
    """An object type's id (or a name of no type, which Strawberry reports as an invalid id): not an interface's."""
    definition = info.schema.get_type_by_name(global_id.type_name)
    return not isinstance(definition, StrawberryObjectDefinition) or not definition.is_interface


@strawberry.type
class NodeQueries:
    node: relay.Node | None = relay.node(
        description="按全局 ID 获取对象（逐个鉴权）/ Fetch any object by global id.", extensions=[ClientIds()]
    )
    nodes: list[relay.Node | None] = relay.node(
        description="按全局 ID 批量获取（至多 100 个）/ Fetch objects by global ids (at most 100).",
        extensions=[ClientIds()],
    )


def described_root(name: str, description: str, areas: tuple[type, ...]) -> type:
    """Strawberry's `merge_types` (which warns when two areas define the same field), with the description it
    does not take."""
    merged = merge_types(name, areas)
    get_object_definition(merged, strict=True).description = description
    return merged


Query = described_root(
    "Query",
    "查询入口 / The root of all queries.",
    (
        AccountQueries,
        VerificationQueries,
        ReferenceQueries,
        CertificateQueries,
        ReviewQueueQueries,
        AnnouncementQueries,
        NodeQueries,
    ),
)
Mutation = described_root(
    "Mutation",
    "变更入口 / The root of all mutations; expected failures come back in each payload's errors.",
    (
        AccountMutations,
        VerificationMutations,
        ApplicationMutations,
        OtherKindMutations,
        ReferenceMutations,
        CertificateMutations,
        ReviewMutations,
        AnnouncementMutations,
    ),
)
Subscription = described_root(
    "Subscription",
    "订阅入口（经 WebSocket 连接本接口，graphql-transport-ws 协议）/ The root of subscriptions, over "
    "graphql-transport-ws on /graphql.",
    (LiveSubscriptions,),
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
        subscription=Subscription,
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
        extensions=request_policy(get_settings()),
    )


schema = build_schema()
