"""The request policy's part for operations over the WebSocket (graphql-transport-ws): which operations a transport
runs, and the errors of each streamed result presented as the HTTP view presents them (masked, coded, no
suggestions outside dev), since those results never pass through the view's `process_result`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from domain.kernel.settings import get_settings
from graph.policy.codes import TopLevelCode
from graph.policy.presentation import present, without_repeats

WRONG_TRANSPORT_MESSAGE = "订阅须通过 WebSocket 连接发送，WebSocket 连接上只接受订阅。"


def over_socket(context: Any) -> bool:
    request = getattr(context, "request", None)
    return request is not None and request.scope["type"] == "websocket"


class TransportGate(SchemaExtension):
    """Subscriptions over the WebSocket only, and only subscriptions there (queries and mutations keep the HTTP
    guard's body caps and CSRF rules): anything else is a top-level WRONG_TRANSPORT before execution."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and not context.pre_execution_errors:
            try:
                subscription = context.operation_type is OperationType.SUBSCRIPTION
            except RuntimeError:  # no such operation: graphql-core's own error follows
                subscription = over_socket(context.context)
            if subscription != over_socket(context.context):
                error = GraphQLError(WRONG_TRANSPORT_MESSAGE, extensions={"code": TopLevelCode.WRONG_TRANSPORT.value})
                context.pre_execution_errors = [error]
        yield


class StreamPresentation(SchemaExtension):
    """Each result sent over the WebSocket, its errors presented once (see graph.policy.presentation)."""

    def on_stream_result(self, result: Any) -> Iterator[None]:
        errors: list[GraphQLError] | None = getattr(result, "errors", None)
        if errors:
            hide_suggestions = not get_settings().is_dev
            result.errors = without_repeats([present(error, hide_suggestions) for error in errors])
        yield
