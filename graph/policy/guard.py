"""ASGI guard in front of /graphql: body caps while streaming (a small one for anonymous callers), a read timeout
for the whole body, CSRF-safe multipart, no batches; and coded JSON answers for refusals raised behind it."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain import accounts
from graph.context import bearer_or_cookie
from graph.policy.codes import Refusal, TopLevelCode

PREFLIGHT_HEADERS = (b"x-requested-with", b"apollo-require-preflight", b"graphql-preflight")
TOO_LARGE_MESSAGE = "请求内容过大。"


def too_large() -> Refusal:
    return Refusal(413, TOO_LARGE_MESSAGE, TopLevelCode.PAYLOAD_TOO_LARGE)


async def _reply(send: Send, status: int, message: str, code: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}, ensure_ascii=False)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


async def signed_in(scope: Scope) -> bool:
    """Whether the request carries a live session (Bearer or cookie): one lookup, made only for a body over the
    anonymous cap. A made-up token does not buy the larger cap."""
    token, _ = bearer_or_cookie(HTTPConnection(scope))
    return bool(token) and await accounts.resolve_session(token or "") is not None


@dataclass(frozen=True)
class BodyLimits:
    """The caps: `max_bytes` for everyone, `anonymous_max_bytes` (on `anonymous_paths`) without a live session,
    and `read_timeout_s` for the whole body to arrive."""

    max_bytes: int
    anonymous_max_bytes: int | None = None
    read_timeout_s: float | None = None
    anonymous_paths: tuple[str, ...] = ("/graphql",)


class RequestGuard:
    """Rejects oversize bodies (413) before and during reading, slow bodies (408), and multipart without a
    preflight header (400); answers a `Refusal` raised behind it with its coded JSON."""

    def __init__(self, app: ASGIApp, limits: BodyLimits, paths: tuple[str, ...] = ("/graphql",)) -> None:
        self.app = app
        self.limits = limits
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        try:
            await self._check_headers(scope, headers)
        except Refusal as refusal:
            await _reply(send, refusal.status, refusal.message, refusal.code.value)
            return
        await self._call_guarded(scope, receive, send)

    def anonymous_cap(self, scope: Scope) -> int | None:
        return self.limits.anonymous_max_bytes if scope["path"] in self.limits.anonymous_paths else None

    async def _check_headers(self, scope: Scope, headers: dict[bytes, bytes]) -> None:
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limits.max_bytes):
            raise too_large()
        anonymous_cap = self.anonymous_cap(scope)
        if declared and anonymous_cap is not None and int(declared) > anonymous_cap and not await signed_in(scope):
            raise too_large()
        content_type = headers.get(b"content-type", b"")
        if content_type.startswith(b"multipart/") and not any(h in headers for h in PREFLIGHT_HEADERS):
            raise Refusal(
                400,
                "文件上传请求须携带 x-requested-with 或 apollo-require-preflight 请求头。",
                TopLevelCode.CSRF_PREFLIGHT_REQUIRED,
            )

    async def _call_guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = GuardedReceive(self, scope, receive)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded, tracking_send)
        except Refusal as refusal:
            if not started:
                await _reply(send, refusal.status, refusal.message, refusal.code.value)


class GuardedReceive:
    """`receive` with the caps counted as the body streams in and one deadline for the whole body; once the body
    is complete, later calls (waiting for a disconnect) are passed through untimed."""

    def __init__(self, guard: RequestGuard, scope: Scope, receive: Receive) -> None:
        self.guard, self.scope, self.receive = guard, scope, receive
        self.received = 0
        self.complete = False
        self.checked_session = False
        timeout = guard.limits.read_timeout_s
        self.deadline = None if timeout is None else time.monotonic() + timeout

    async def __call__(self) -> Message:
        if self.complete or self.deadline is None:
            message = await self.receive()
        else:
            try:
                message = await asyncio.wait_for(self.receive(), max(self.deadline - time.monotonic(), 0))
            except TimeoutError:
                raise Refusal(408, "请求内容发送超时。", TopLevelCode.REQUEST_TIMEOUT) from None
        if message["type"] == "http.request":
            self.complete = not message.get("more_body", False)
            self.received += len(message.get("body", b""))
            await self.check_size()
        return message

    async def check_size(self) -> None:
        if self.received > self.guard.limits.max_bytes:
            raise too_large()
        anonymous_cap = self.guard.anonymous_cap(self.scope)
        if anonymous_cap is not None and self.received > anonymous_cap and not self.checked_session:
            self.checked_session = True
            if not await signed_in(self.scope):
                raise too_large()
