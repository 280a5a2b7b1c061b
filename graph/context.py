"""The typed per-request context: who is asking, from where, with which clients."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection
from starlette.responses import Response

from domain import accounts
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.settings import Settings, get_settings
from graph.loaders import Loaders

CSRF_HEADER = "x-csrf-token"
CSRF_COOKIE = "portal_csrf"


@dataclass
class Context:
    """What resolvers see as `info.context`."""

    request: HTTPConnection
    response: Response | None
    deps: Deps
    meta: RequestMeta
    actor: Actor | None
    token: str | None
    settings: Settings = field(default_factory=get_settings)
    loaders: Loaders = field(default_factory=Loaders)


def client_meta(request: HTTPConnection) -> RequestMeta:
    """Client IP and user agent; the agent is cut to a sane length."""
    ip = request.client.host if request.client else "unknown"
    return RequestMeta(ip=ip, user_agent=request.headers.get("user-agent", "")[:300])


def bearer_or_cookie(request: HTTPConnection) -> tuple[str | None, bool]:
    """The session token and whether it came from the cookie (cookie use needs the CSRF header on POST)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    cookie = request.cookies.get(get_settings().session_cookie_name)
    return (cookie, True) if cookie else (None, False)


def csrf_ok(request: HTTPConnection, token: str) -> bool:
    """Cookie-authenticated state-changing requests must echo the CSRF value bound to the session."""
    if request.scope.get("method", "GET") in ("GET", "HEAD") or request.scope["type"] == "websocket":
        return True
    sent = request.headers.get(CSRF_HEADER, "")
    return secrets.compare_digest(sent, accounts.csrf_token(token))


async def authenticate(request: HTTPConnection) -> tuple[Actor | None, str | None]:
    """Resolve the caller; a cookie without a valid CSRF header on POST counts as anonymous."""
    token, from_cookie = bearer_or_cookie(request)
    if not token or (from_cookie and not csrf_ok(request, token)):
        return None, None
    actor = await accounts.resolve_session(token)
    return actor, token if actor else None


async def build_context(request: HTTPConnection, response: Response | None) -> Context:
    """Called by the GraphQL view once per request."""
    deps: Deps = request.app.state.deps
    actor, token = await authenticate(request)
    return Context(request=request, response=response, deps=deps, meta=client_meta(request), actor=actor, token=token)
