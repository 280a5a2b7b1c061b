"""A graphql-transport-ws client (the `websockets` library) against a real uvicorn server, as an SPA's graphql-ws
client speaks it: connection_init with connectionParams, subscribe, next/error/complete. Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")
WAIT_S = 10.0  # the bound on every wait: a message that does not come fails the test, it is never slept for


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """The app (its lifespan already running) served by uvicorn on a free loopback port; the ws:// URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None, ws_max_size=65536)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(WAIT_S):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, WAIT_S)


@dataclass
class Socket:
    """One graphql-transport-ws connection."""

    ws: ClientConnection

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, wait_s: float = WAIT_S) -> dict[str, Any]:
        """The next message (pings answered); fails after `wait_s`."""
        while True:
            message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), wait_s))
            if message.get("type") == "ping":
                await self.send({"type": "pong"})
                continue
            return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> None:
        payload = {"query": query, "variables": variables or {}, **extra}
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def next_data(self, operation_id: str, wait_s: float = WAIT_S) -> dict[str, Any]:
        """The data of the next `next` message of that operation (anything else fails)."""
        message = await self.receive(wait_s)
        assert message.get("id") == operation_id and message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def closed_with(self) -> tuple[int, str]:
        """The close code and reason the server ended the connection with (fails after WAIT_S)."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), WAIT_S)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "closed without a close frame"
            return closed.rcvd.code, closed.rcvd.reason


@contextlib.asynccontextmanager
async def opened(url: str, headers: dict[str, str] | None = None, origin: str | None = None) -> AsyncIterator[Socket]:
    """A graphql-transport-ws connection (the handshake's headers and Origin as given)."""
    async with connect(
        url,
        subprotocols=[PROTOCOL],
        additional_headers=headers or {},
        origin=Origin(origin) if origin else None,
        open_timeout=WAIT_S,
        close_timeout=2,
    ) as ws:
        yield Socket(ws)


@contextlib.asynccontextmanager
async def signed_in(url: str, token: str) -> AsyncIterator[Socket]:
    """A connection acknowledged for the session of `token` (sent in connection_init, as graphql-ws clients do)."""
    async with opened(url) as sock:
        ack = await sock.init({"authorization": f"Bearer {token}"})
        assert ack == {"type": "connection_ack"}, ack
        yield sock


async def until(predicate: Callable[[], bool]) -> None:
    """Wait (at most WAIT_S) for server-side state that has no event to await, e.g. the clean-up after a close."""
    async with asyncio.timeout(WAIT_S):
        while not predicate():  # noqa: ASYNC110 - polling the server's state, bounded
            await asyncio.sleep(0.01)
