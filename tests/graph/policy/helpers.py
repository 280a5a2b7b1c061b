"""Shared checks of the request-policy tests: no internals leak into an answer, error messages, refused queries."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api

CLIENT_IP = "203.0.113.10"
LEAK_MARKERS = ("Traceback", 'File "', ".py", "SELECT ", "INSERT ", "sqlite", "asyncpg", "tortoise", "Exception")


def assert_no_leak(text: str) -> None:
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} leaked: {text[:500]}"


def error_messages(body: dict[str, Any]) -> str:
    return " | ".join(error["message"] for error in body.get("errors", []))


async def rejected(api: Api, query: str) -> dict[str, Any]:
    response = await api.post(query)
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    assert body.get("data") is None, body
    assert body["errors"], body
    assert_no_leak(response.text)
    return body
