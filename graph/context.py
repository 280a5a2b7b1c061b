"""The typed per-request context: who is asking, from where, with which clients."""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection
from starlette.responses import Response

from domain import accounts
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.settings import Settings, get_settings
from graph.loaders import Loaders

if TYPE_CHECKING:
    from domain.kernel.event_hub import EventHub

# The operationName of the graphql-transport-ws `subscribe` message being run: one context serves every operation
# of a socket, so the name is carried by the operation's task (set before Strawberry creates it; see graph.ws).
SOCKET_OPERATION_NAME: ContextVar[str | None] = ContextVar("socket_operation_name", default=None)
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
    csrf_missing: bool = False
    operation_name: str | None = None  # the operationName the client sent (recorded by the view)
    events: EventHub | None = None  # the process's pub/sub listener (subscriptions)
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws `connection_init` payload (Strawberry)
    connection_slot: str | None = None  # the per-person socket slot this connection holds (graph.ws)
    settings: Settings = field(default_factory=get_settings)
    loaders: Loaders = field(default_factory=Loaders)  # replaced by the actor's own in __post_init__
    reader: accounts.Reader = field(init=False)  # who reads: for the access rule and the staff reads on the trail

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.actor)
        self.reader = accounts.Reader(self.deps, self.actor, self.meta)

    def sign_in(self, actor: Actor, token: str) -> None:
        """A socket authenticated by its `connection_init` token: the actor, its loaders and reader."""
        self.actor, self.token = actor, token
        self.__post_init__()

    def sent_operation_name(self) -> str | None:
        """The operationName the client sent with this request, or with the socket's operation being run."""
        if self.request.scope["type"] == "websocket":
            return SOCKET_OPERATION_NAME.get()
        return self.operation_name


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


CSRF_MESSAGE = (
    f"凭 Cookie 登录的请求须携带 {CSRF_HEADER} 请求头（值取自 {CSRF_COOKIE} Cookie）/ "
    f"A cookie-authenticated POST needs the {CSRF_HEADER} header (the {CSRF_COOKIE} cookie's value)."
)


@dataclass(frozen=True)
class Caller:
    """Who is asking: the actor and token of a live session, or nobody; `csrf_missing` when a live session's
    cookie came on a POST without its CSRF header (the request runs anonymous, and says why where it matters)."""

    actor: Actor | None = None
    token: str | None = None
    csrf_missing: bool = False
    operation_name: str | None = None  # the operationName the client sent (recorded by the view)


async def authenticate(request: HTTPConnection) -> tuple[Actor | None, str | None]:
    """The caller's actor and token; a cookie without a valid CSRF header on POST counts as anonymous."""
    caller = await identify(request)
    return caller.actor, caller.token


async def identify(request: HTTPConnection) -> Caller:
    """Resolve the caller. A cookie on a POST without its CSRF header is anonymous (a cross-site form cannot act as
    the person); when its session is live the answer says so (`csrf_missing`): `viewer` and anything needing a
    login answer CSRF_TOKEN_REQUIRED instead of a silent null or "please log in"."""
    token, from_cookie = bearer_or_cookie(request)
    if not token:
        return Caller()
    actor = await accounts.resolve_session(token)
    if from_cookie and not csrf_ok(request, token):
        return Caller(csrf_missing=actor is not None)
    return Caller(actor, token if actor else None)


async def build_context(request: HTTPConnection, response: Response | None) -> Context:
    """Called by the GraphQL view once per request."""
    deps: Deps = request.app.state.deps
    caller = await identify(request)
    request.state.csrf_missing = caller.csrf_missing  # the view presents the errors: see graph.view
    return Context(
        request=request,
        response=response,
        deps=deps,
        meta=client_meta(request),
        actor=caller.actor,
        token=caller.token,
        csrf_missing=caller.csrf_missing,
        events=getattr(request.app.state, "event_hub", None),
    )
