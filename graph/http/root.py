"""GET /: in dev and test (with GraphiQL on) a redirect to GraphiQL, so opening the server in a browser lands on
the API explorer; otherwise a small JSON 404 (production shows no page and names nothing beyond the API's path)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

NOT_FOUND = {
    "message": "未找到该地址；接口地址为 /graphql。 / Not found; the API is at /graphql.",
    "graphql": "/graphql",
}


async def to_graphiql(_request: Request) -> Response:
    """307 to /graphiql (the method is kept; a browser's GET stays a GET)."""
    return RedirectResponse("/graphiql", status_code=307)


async def not_found(_request: Request) -> Response:
    return JSONResponse(NOT_FOUND, status_code=404)
