"""create_app(): routes, middleware and the lifespan that opens the database, Redis and the queue."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from tortoise import Tortoise, connections

from db.config import tortoise_config
from domain.context import Deps
from domain.identity_providers.registry import sandbox_enabled
from domain.settings import get_settings
from graph import dev, sandbox_pages
from graph.callbacks import alipay_notice
from graph.files import attachment_file
from graph.graphiql import graphiql_asset, graphiql_page
from graph.guard import RequestGuard
from graph.schema.schema import schema
from graph.view import PortalGraphQL
from workers.queue import ArqQueue, connect_pool

logger = logging.getLogger("portal.app")


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Open Tortoise and one Redis pool (shared by limits, codes and arq) for the process."""
    # uvicorn runs the lifespan and the requests in different tasks: the ORM context must be process-global.
    await Tortoise.init(config=tortoise_config(), _enable_global_fallback=True)
    pool = connect_pool()
    app.state.deps = Deps(redis=pool, queue=ArqQueue(pool))
    try:
        yield
    finally:
        await pool.aclose()
        await Tortoise.close_connections()


async def healthz(_request: Request) -> Response:
    """The process is up."""
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """The database and Redis answer."""
    checks: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means not ready
        checks["database"] = type(exc).__name__
    try:
        await request.app.state.deps.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # any failure means not ready
        checks["redis"] = type(exc).__name__
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)


def create_app() -> Starlette:
    """The ASGI application."""
    settings = get_settings()
    graphql = PortalGraphQL(
        schema,
        multipart_uploads_enabled=True,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=True,
    )
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/files/attachments/{attachment_id}", attachment_file, methods=["GET"]),
        Route("/callbacks/alipay", alipay_notice, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if settings.graphiql_enabled:
        routes += [
            Route("/graphiql", graphiql_page, methods=["GET"]),
            Route("/graphiql/assets/{name}", graphiql_asset, methods=["GET"]),
        ]
    if settings.is_dev:
        routes += dev.routes
    if sandbox_enabled():
        routes += [
            Route("/sandbox/alipay/certify/{certify_id}", sandbox_pages.certify_page, methods=["GET"]),
            Route("/sandbox/alipay/certify/{certify_id}", sandbox_pages.certify_decision, methods=["POST"]),
        ]
    middleware = [
        Middleware(RequestGuard, max_bytes=settings.request_max_bytes, paths=("/graphql", "/callbacks/alipay"))
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
