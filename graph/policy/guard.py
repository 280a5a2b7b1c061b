"""ASGI guard in front of /graphql: body size cap while streaming, CSRF-safe multipart, no batches."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFLIGHT_HEADERS = (b"x-requested-with", b"apollo-require-preflight", b"graphql-preflight")


class BodyTooLarge(Exception):
    """Raised inside `receive` when the streamed body passes the cap."""


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


class RequestGuard:
    """Rejects oversize bodies (413) before and during reading, and multipart without a preflight header."""

    def __init__(self, app: ASGIApp, max_bytes: int, paths: tuple[str, ...] = ("/graphql",)) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _reply(send, 413, "请求内容过大。", "PAYLOAD_TOO_LARGE")
            return
        content_type = headers.get(b"content-type", b"")
        if content_type.startswith(b"multipart/") and not any(h in headers for h in PREFLIGHT_HEADERS):
            await _reply(
                send,
                400,
                "文件上传请求须携带 x-requested-with 或 apollo-require-preflight 请求头。",
                "CSRF_PREFLIGHT_REQUIRED",
            )
            return
        await self._call_capped(scope, receive, send)

    async def _call_capped(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _reply(send, 413, "请求内容过大。", "PAYLOAD_TOO_LARGE")
