"""graphql-transport-ws on /graphql: who may open a socket, how many, and what runs on it.

- The handshake: Strawberry refuses (HTTP 403) a browser page of another origin unless it is listed in
  WS_ALLOWED_ORIGINS. WebSockets are outside CORS and a browser sends the site's cookies with the handshake, so
  this check is what makes a cookie session safe here (cross-site WebSocket hijacking).
- `connection_init` (within WS_INIT_TIMEOUT_S, else 4408): its payload's `authorization` ("Bearer <token>", any
  case of the key, as GraphiQL sends its headers) names the session; without one, the handshake's own Bearer
  header or session cookie counts. No live session: close 4403. Past WS_MAX_CONNECTIONS_PER_PERSON sockets of one
  account in this process: close 4429.
- `subscribe`: a malformed message closes 4400; at most WS_MAX_SUBSCRIPTIONS operations at once and
  GRAPHQL_MAX_VARIABLES variables, else a coded `error` for that id. The document then meets the same request policy
  as over HTTP (schema extensions) and only a subscription runs here (`WRONG_TRANSPORT`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from graphql import GraphQLError
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)

from domain import accounts
from domain.kernel.actors import Actor
from graph.context import SOCKET_OPERATION_NAME, Context
from graph.policy.codes import TopLevelCode

MAX_OPERATION_ID_CHARS = 128


class TooManyConnections(Exception):
    """The account already holds its share of sockets in this process."""


class ConnectionSlots:
    """Open sockets per account in this process (each API process counts its own)."""

    def __init__(self) -> None:
        self.open: Counter[str] = Counter()

    def take(self, key: str, limit: int) -> bool:
        if self.open[key] >= limit:
            return False
        self.open[key] += 1
        return True

    def give_back(self, key: str) -> None:
        self.open[key] -= 1
        if self.open[key] <= 0:
            del self.open[key]


def token_in(params: dict[str, Any]) -> str | None:
    """The Bearer token of `connection_init`'s payload (`authorization` in any case), or None."""
    for key, value in params.items():
        if key.lower() == "authorization" and isinstance(value, str) and value[:7].lower() == "bearer ":
            return value[7:].strip()
    return None


def slot_key(actor: Actor) -> str:
    return f"{actor.kind.value}:{actor.id}"


async def admit(context: Context, slots: ConnectionSlots) -> None:
    """`on_ws_connect`: sign the socket in, or refuse it (ConnectionRejectionError: 4403; TooManyConnections)."""
    token = token_in(context.connection_params or {})
    if token is not None:
        actor = await accounts.resolve_session(token)
    else:  # the handshake's Bearer header or cookie (the origin check already passed)
        actor, token = context.actor, context.token
    if actor is None or token is None:
        raise ConnectionRejectionError({"code": TopLevelCode.UNAUTHENTICATED.value})
    if not slots.take(slot_key(actor), context.settings.ws_max_connections_per_person):
        raise TooManyConnections
    context.connection_slot = slot_key(actor)
    context.sign_in(actor, token)


def malformed(message: Any) -> bool:
    """A `subscribe` message Strawberry would choke on (a TypeError is a logged fault, not the client's 4400)."""
    payload = message.get("payload")
    operation_id = message.get("id")
    return (
        not isinstance(operation_id, str)
        or not 0 < len(operation_id) <= MAX_OPERATION_ID_CHARS
        or not isinstance(payload, dict)
        or not isinstance(payload.get("query"), str)
        or not isinstance(payload.get("variables") or {}, dict)
        or not isinstance(payload.get("operationName") or "", str)
        or not isinstance(payload.get("extensions") or {}, dict)
    )


class PortalTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler with our admission, limits and message checks."""

    async def handle_message(self, message: Any) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message("Failed to parse message")
            return
        await super().handle_message(cast("Message", message))

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManyConnections:
            await self.websocket.close(code=4429, reason="Too many connections")

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged:
            await super().handle_subscribe(message)  # Strawberry's 4401
            return
        if malformed(message):
            await self.handle_invalid_message("Invalid subscribe message")
            return
        refusal = self.refusal(message)
        if refusal is not None and message["id"] not in self.operations:
            await self.send_message({"id": message["id"], "type": "error", "payload": [refusal.formatted]})
            return
        token = SOCKET_OPERATION_NAME.set(message["payload"].get("operationName"))
        try:  # the operation's task, created in there, keeps the name it sent
            await super().handle_subscribe(message)
        finally:
            SOCKET_OPERATION_NAME.reset(token)

    def refusal(self, message: SubscribeMessage) -> GraphQLError | None:
        settings = self.context.settings
        if len(self.operations) >= settings.ws_max_subscriptions:
            return GraphQLError(
                f"同一连接上最多同时进行 {settings.ws_max_subscriptions} 个订阅。",
                extensions={"code": TopLevelCode.TOO_MANY_SUBSCRIPTIONS.value},
            )
        if len(message["payload"].get("variables") or {}) > settings.graphql_max_variables:
            return GraphQLError(
                f"变量过多（上限 {settings.graphql_max_variables} 个）。",
                extensions={"code": TopLevelCode.TOO_MANY_VARIABLES.value},
            )
        return None

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            if self.context.connection_slot is not None:
                self.view.slots.give_back(self.context.connection_slot)  # type: ignore[attr-defined]
                self.context.connection_slot = None
