"""create_app(): routes, middleware and the lifespan that opens the database, Redis and the queue. The composition
root of the API: it alone reads the settings that db/ and arq need."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise import Tortoise

from db.config import tortoise_config
from domain import certificates, verification
from domain.kernel.deps import Deps
from domain.kernel.event_hub import EventHub
from domain.kernel.settings import get_settings, require_safe_configuration
from graph.http import dev, root, sandbox_pages
from graph.http.callbacks import alipay_notice
from graph.http.certificates import certificate_file, verification_page
from graph.http.cors import cors_middleware
from graph.http.files import attachment_file
from graph.http.graphiql import graphiql_asset, graphiql_page
from graph.http.health import healthz, readyz
from graph.policy.gate import RefusalCounter
from graph.policy.guard import BodyLimits, RequestGuard
from graph.schema.schema import schema
from graph.view import PortalGraphQL
from workers.queue import ArqQueue, connect_pool


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Open Tortoise and one Redis pool (shared by limits, codes and arq) for the process."""
    # uvicorn runs the lifespan and the requests in different tasks: the ORM context must be process-global.
    await Tortoise.init(config=tortoise_config(get_settings().database_target), _enable_global_fallback=True)
    pool = connect_pool()
    app.state.deps = Deps(redis=pool, queue=ArqQueue(pool))
    app.state.event_hub = EventHub(pool)  # one pub/sub connection for every subscription of this process
    try:
        yield
    finally:
        await app.state.event_hub.close()
        await pool.aclose()
        await Tortoise.close_connections()


def create_app() -> Starlette:
    """The ASGI application; refuses unsafe production settings (UnsafeConfigurationError) however it is started."""
    settings = get_settings()
    require_safe_configuration(settings)
    font_problem = certificates.font_problem()  # production refused to start on it; dev starts and says so
    if font_problem is not None:
        logging.getLogger(__name__).error(font_problem)
    graphql = PortalGraphQL(
        schema,
        multipart_uploads_enabled=True,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_s),
        max_subscriptions_per_connection=None,  # ours, coded: graph.ws (WS_MAX_SUBSCRIPTIONS)
        # An SPA trusted by CORS may open the socket too; WS_ALLOWED_ORIGINS adds socket-only origins.
        allowed_origins=[o for o in (*settings.cors_allowed_origins, *settings.ws_allowed_origins) if o != "*"],
    )
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/files/attachments/{attachment_id}", attachment_file, methods=["GET"]),
        Route("/files/certificates/{download_id}", certificate_file, methods=["GET"]),
        Route("/c/{code}", verification_page, methods=["GET"]),
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
    root_page = root.to_graphiql if settings.is_dev and settings.graphiql_enabled else root.not_found
    routes.append(Route("/", root_page, methods=["GET"]))
    if verification.sandbox_enabled():
        routes += [
            Route("/sandbox/alipay/certify/{certify_id}", sandbox_pages.certify_page, methods=["GET"]),
            Route("/sandbox/alipay/certify/{certify_id}", sandbox_pages.certify_decision, methods=["POST"]),
        ]
    limits = BodyLimits(
        max_bytes=settings.request_max_bytes,
        anonymous_max_bytes=settings.request_max_bytes_anonymous,
        read_timeout_s=settings.request_body_timeout_s,
    )
    # CORS outermost: it answers preflights before the guard and the routes, and its headers reach the guard's
    # refusals (413, 400), so a listed SPA can read why it was refused.
    middleware = [
        *cors_middleware(settings),
        Middleware(RequestGuard, limits=limits, paths=("/graphql", "/callbacks/alipay")),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.document_refusals = RefusalCounter(settings.graphql_max_refusals_per_minute)  # this process's count
    return app
