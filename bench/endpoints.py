"""The four ways to ask for the viewer, each a prepared HTTP request through httpx.ASGITransport in-process."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from bench import floor, shape
from bench.raw_view import viewer_raw
from bench.tortoise_view import viewer_tortoise

CLIENT_ADDRESS = ("203.0.113.10", 50000)
GRAPHQL = "graphql"
FLOOR = "graphql-floor"
TORTOISE = "tortoise"
RAW_SQL = "raw-sql"


def baseline_app() -> Starlette:
    """Bench-only routes; Tortoise is opened by the portal app's lifespan, which runs alongside."""
    return Starlette(
        routes=[
            Route("/viewer/tortoise", viewer_tortoise, methods=["GET"]),
            Route("/viewer/raw", viewer_raw, methods=["GET"]),
        ]
    )


@dataclass(frozen=True)
class Endpoint:
    """One way to fetch the viewer; `send` returns the raw response (status checked by the caller)."""

    name: str
    send: Callable[[], Awaitable[httpx.Response]]

    async def json(self) -> dict[str, Any]:
        """One request, decoded; any status but 200 fails the bench."""
        response = await self.send()
        assert response.status_code == 200, f"{self.name}: HTTP {response.status_code} {response.text}"
        body: dict[str, Any] = response.json()
        return body


def _graphql(client: httpx.AsyncClient, token: str, name: str, path: str, query: str) -> Endpoint:
    body = json.dumps({"query": query, "variables": {"first": shape.PAGE_SIZE}}).encode()
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

    async def send() -> httpx.Response:
        return await client.post(path, content=body, headers=headers)

    return Endpoint(name, send)


def _baseline(client: httpx.AsyncClient, token: str, name: str, path: str) -> Endpoint:
    headers = {"authorization": f"Bearer {token}"}
    url = f"{path}?first={shape.PAGE_SIZE}"

    async def send() -> httpx.Response:
        return await client.get(url, headers=headers)

    return Endpoint(name, send)


def _client(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=CLIENT_ADDRESS)
    return httpx.AsyncClient(transport=transport, base_url="http://bench")


@contextlib.asynccontextmanager
async def open_endpoints(portal_app: Any, token: str) -> AsyncIterator[list[Endpoint]]:
    """GraphQL on the portal app, the two baselines on a separate bench app, the floor (bench.floor) on the portal
    app, where `run` mounts it; one token for all."""
    async with _client(portal_app) as portal, _client(baseline_app()) as bench:
        yield [
            _graphql(portal, token, GRAPHQL, "/graphql", shape.VIEWER_QUERY),
            _baseline(bench, token, TORTOISE, "/viewer/tortoise"),
            _baseline(bench, token, RAW_SQL, "/viewer/raw"),
            _graphql(portal, token, FLOOR, floor.PATH, floor.QUERY),
        ]
