"""Bodies an anonymous client can send: a small cap without a live session (a 6 MB comment blocked the loop ~0.7 s),
a cap on the number of variables for everyone, and one read timeout for the whole body (slow bodies were held open
forever). Each refusal is the guard's coded JSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.types import Message

from domain.kernel.settings import get_settings
from graph.policy.guard import BodyLimits, RequestGuard
from tests.graph.policy.helpers import assert_no_leak
from tests.helpers import Api


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert_no_leak(response.text)


def commented(size: int) -> bytes:
    return json.dumps({"query": "#" + "x" * size + "\n{ __typename }"}).encode()


async def test_an_anonymous_body_over_the_anonymous_cap_is_refused(api: Api) -> None:
    cap = get_settings().request_max_bytes_anonymous
    json_headers = {"content-type": "application/json"}
    six_mb = await api.client.post("/graphql", content=commented(6_000_000), headers=json_headers)
    refused(six_mb, 413, "PAYLOAD_TOO_LARGE")
    just_over = await api.client.post("/graphql", content=commented(cap), headers=json_headers)
    refused(just_over, 413, "PAYLOAD_TOO_LARGE")

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        body = commented(cap)
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    refused(await api.client.post("/graphql", content=streamed(), headers=json_headers), 413, "PAYLOAD_TOO_LARGE")
    made_up = {**json_headers, "Authorization": "Bearer made-up-token"}  # a token must be live to buy the cap
    refused(await api.client.post("/graphql", content=commented(cap), headers=made_up), 413, "PAYLOAD_TOO_LARGE")
    within = await api.client.post("/graphql", content=commented(cap - 100), headers=json_headers)
    assert within.status_code == 200 and within.json()["data"] == {"__typename": "Query"}


async def test_a_signed_in_caller_keeps_the_larger_cap(api: Api) -> None:
    await api.signed_up()
    cap = get_settings().request_max_bytes_anonymous
    headers = {"content-type": "application/json", "Authorization": f"Bearer {api.token}"}
    response = await api.client.post("/graphql", content=commented(cap * 4), headers=headers)
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


async def test_too_many_variables_are_refused_for_everyone(api: Api) -> None:
    limit = get_settings().graphql_max_variables
    anonymous = await api.post("{ __typename }", {f"v{i}": 1 for i in range(300_000)})
    refused(anonymous, 413, "PAYLOAD_TOO_LARGE")  # 300,000 variables do not fit the anonymous cap
    await api.signed_up()
    over = await api.post("{ __typename }", {f"v{i}": 1 for i in range(limit + 1)})
    refused(over, 400, "TOO_MANY_VARIABLES")
    by_get = await api.client.get(
        "/graphql",
        params={"query": "{ __typename }", "variables": json.dumps({f"v{i}": 1 for i in range(limit + 1)})},
    )
    refused(by_get, 400, "TOO_MANY_VARIABLES")
    within = await api.post("{ __typename }", {f"v{i}": 1 for i in range(limit)})
    assert within.status_code == 200 and within.json()["data"] == {"__typename": "Query"}


async def test_a_body_that_never_finishes_is_answered_408(app: Any) -> None:
    """A receive that delivers the first part of the body and then nothing: answered once the (tiny) read
    timeout passes, not held open."""
    guard = RequestGuard(app, BodyLimits(max_bytes=1024 * 1024, read_timeout_s=0.05))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("203.0.113.10", 50000),
        "server": ("testserver", 80),
    }
    parts = [{"type": "http.request", "body": b'{"query": "{ __typ', "more_body": True}]
    never = asyncio.Event()

    async def receive() -> Message:
        if parts:
            return parts.pop()
        await never.wait()  # the rest of the body never comes
        raise AssertionError("unreachable")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await asyncio.wait_for(guard(scope, receive, send), timeout=10)  # a liveness guard, far above the timeout

    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 408
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert body["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"
