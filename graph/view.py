"""The Strawberry ASGI view: our context, bounded multipart parsing, our own GraphiQL page."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException, StarletteRequestAdapter
from cross_web.request._base import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graph.context import Context, build_context
from graph.graphiql import graphiql_page

MAX_FORM_FILES = 3
MAX_FORM_FIELDS = 10
MAX_FIELD_BYTES = 64 * 1024


class BoundedRequestAdapter(StarletteRequestAdapter):
    """Multipart with a handful of parts: a body of 2000 parts is refused before it is stored."""

    async def get_form_data(self) -> FormData:
        form = await self._request.form(
            max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
        return FormData(files=form, form=form)


class PortalGraphQL(GraphQL[Context, None]):
    """GraphQL over HTTP at /graphql (GET for queries, POST JSON, multipart uploads)."""

    request_adapter_class = BoundedRequestAdapter

    def parse_json(self, data: str | bytes) -> Any:
        """A body (or multipart `operations`/`map`) must be a JSON object, or a list (refused as a batch)."""
        value = super().parse_json(data)
        if not isinstance(value, dict | list):
            raise HTTPException(400, "请求内容须为 JSON 对象 / The body must be a JSON object.")
        return value

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """The upload spec's `operations` and `map`; a map that does not fit the operations is a 400, not a fault."""
        try:
            return await super().parse_multipart(request)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise HTTPException(400, "文件上传请求格式不正确 / Malformed multipart request.") from exc

    async def get_context(self, request: Request | WebSocket, response: Response | Any = None) -> Context:
        return await build_context(request, response if isinstance(response, Response) else None)

    async def render_graphql_ide(self, request: Request) -> Response:
        return await graphiql_page(request)
