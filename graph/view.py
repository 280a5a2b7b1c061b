"""The Strawberry ASGI view: our context, bounded multipart parsing, our own GraphiQL page."""

from __future__ import annotations

import json
from typing import Any

from cross_web import FormData, HTTPException, StarletteRequestAdapter
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from domain.kernel.errors import ErrorCode
from domain.kernel.settings import get_settings
from graph.context import CSRF_MESSAGE, Context, build_context
from graph.http.graphiql import graphiql_page
from graph.policy.codes import Refusal, TopLevelCode
from graph.policy.presentation import present, without_repeats
from graph.ws import ConnectionSlots, PortalTransportWS, admit

MAX_FORM_FILES = 3
MAX_FORM_FIELDS = 10
MAX_FIELD_BYTES = 64 * 1024


def is_unicode_text(value: Any) -> bool:
    """False when a string in the parsed JSON holds half a UTF-16 pair: JSON can escape one ("\\ud800"), UTF-8
    cannot encode it, so every later encode (password hash, Redis key, database, the error response) would fail."""
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


class BoundedRequestAdapter(StarletteRequestAdapter):
    """Multipart with a handful of parts: a body of 2000 parts is refused before it is stored."""

    async def get_form_data(self) -> FormData:
        form = await self._request.form(
            max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
        return FormData(files=form, form=form)


def csrf_explained(error: GraphQLError) -> GraphQLError:
    """ "Please log in" to a caller whose live session's cookie came without the CSRF header: say what is missing."""
    if (error.extensions or {}).get("code") != ErrorCode.UNAUTHENTICATED.value:
        return error
    code = {"code": TopLevelCode.CSRF_TOKEN_REQUIRED.value}
    return GraphQLError(CSRF_MESSAGE, nodes=error.nodes, path=error.path, extensions=code)


class PortalGraphQL(GraphQL[Context, None]):
    """GraphQL over HTTP at /graphql (GET for queries, POST JSON, multipart uploads), and subscriptions over a
    WebSocket there (graphql-transport-ws; see graph.ws)."""

    request_adapter_class = BoundedRequestAdapter
    graphql_transport_ws_handler_class = PortalTransportWS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = ConnectionSlots()  # sockets per account in this process

    def parse_json(self, data: str | bytes) -> Any:
        """A body (or multipart `operations`/`map`, GET `variables`) must be a JSON object, or a list (refused as a
        batch), and hold only Unicode text."""
        try:
            value = super().parse_json(data)
            unicode_text = is_unicode_text(value)
        except (RecursionError, ValueError) as exc:  # nested past the parser's stack, a number of 5000 digits
            raise HTTPException(400, "请求内容不是有效的 JSON / Unable to parse request body as JSON.") from exc
        if not isinstance(value, dict | list):
            raise HTTPException(400, "请求内容须为 JSON 对象 / The body must be a JSON object.")
        if not unicode_text:
            raise HTTPException(400, "请求内容含有无效字符 / The body holds an unpaired UTF-16 surrogate.")
        return value

    async def parse_http_body(self, request: Any) -> Any:
        """The request data, with at most GRAPHQL_MAX_VARIABLES variables (300,000 unused ones cost half a second
        of coercion): more is the guard's coded 400."""
        data = await super().parse_http_body(request)
        limit = get_settings().graphql_max_variables
        for item in data if isinstance(data, list) else [data]:
            if len(item.variables or {}) > limit:
                raise Refusal(400, f"变量过多（上限 {limit} 个）。", TopLevelCode.TOO_MANY_VARIABLES)
        return data

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """The upload spec's `operations` and `map`; a map that does not fit the operations is a 400, not a fault."""
        try:
            return await super().parse_multipart(request)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise HTTPException(400, "文件上传请求格式不正确 / Malformed multipart request.") from exc

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Any,
    ) -> Any:
        """Record the operationName the client sent: the request policy refuses a document of several operations
        without one (Strawberry would otherwise run the first)."""
        if isinstance(request_data, GraphQLRequestData):  # batches are refused by the guard before this
            context.operation_name = request_data.operation_name
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """The one place errors are presented on their way out: here every error passes, those raised inside a
        schema extension's hook included, which an extension's own result hook would miss."""
        if result.errors:
            hide_suggestions = not get_settings().is_dev
            errors = [present(error, hide_suggestions) for error in result.errors]
            if getattr(request.state, "csrf_missing", False):
                errors = [csrf_explained(error) for error in errors]
            result.errors = without_repeats(errors)
        return await super().process_result(request, result)

    async def get_context(self, request: Request | WebSocket, response: Response | Any = None) -> Context:
        return await build_context(request, response if isinstance(response, Response) else None)

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """`connection_init`: sign the socket in with its token, or refuse it (see graph.ws); a bare ack."""
        await admit(context, self.slots)
        return UnsetType()  # the singleton UNSET: an ack without a payload

    async def render_graphql_ide(self, request: Request) -> Response:
        return await graphiql_page(request)
