"""Who may open a graphql-transport-ws socket on /graphql, how many, and what runs on it."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

import pytest
from starlette.routing import WebSocketRoute
from websockets.exceptions import InvalidStatus

from db.models import Person, StaffRole
from domain.kernel import events
from domain.kernel.settings import Settings, get_settings
from tests.graph.accounts.helpers import LOGOUT
from tests.helpers import Api
from tests.live_client import opened, signed_in, until
from tests.verification_helpers import staff_token

STATUS = "subscription { verificationStatus { status } }"


def view_of(app: Any) -> Any:
    [route] = [r for r in app.router.routes if isinstance(r, WebSocketRoute) and r.path == "/graphql"]
    return route.app


async def test_no_session_is_refused_with_4403(api: Api, ws_url: str) -> None:
    async with opened(ws_url) as sock:
        await sock.send({"type": "connection_init"})
        assert await sock.closed_with() == (4403, "Forbidden")
    async with opened(ws_url) as sock:
        await sock.send({"type": "connection_init", "payload": {"authorization": "Bearer made-up-token"}})
        assert await sock.closed_with() == (4403, "Forbidden")


async def test_a_subscription_before_connection_init_closes_4401(ws_url: str) -> None:
    async with opened(ws_url) as sock:
        await sock.subscribe("1", STATUS)
        assert await sock.closed_with() == (4401, "Unauthorized")


async def test_connection_init_must_come_in_time(app: Any, ws_url: str) -> None:
    view_of(app).connection_init_wait_timeout = timedelta(seconds=0.2)
    async with opened(ws_url) as sock:
        assert await sock.closed_with() == (4408, "Connection initialisation timeout")


async def test_the_token_in_the_payload_any_case_or_the_handshake_header(api: Api, ws_url: str) -> None:
    token = await api.signed_up()
    async with opened(ws_url) as sock:  # GraphiQL sends its headers tab as the payload: "Authorization"
        assert await sock.init({"Authorization": f"Bearer {token}"}) == {"type": "connection_ack"}
        await sock.subscribe("1", STATUS)
        assert await sock.next_data("1") == {"verificationStatus": None}
    async with opened(ws_url, headers={"Authorization": f"Bearer {token}"}) as sock:
        assert await sock.init() == {"type": "connection_ack"}


async def test_a_cookie_session_from_the_same_origin_only(api: Api, ws_url: str) -> None:
    await api.signed_up()
    cookie = f"portal_session={api.client.cookies['portal_session']}"
    own_origin = ws_url.replace("ws://", "http://").removesuffix("/graphql")
    async with opened(ws_url, headers={"Cookie": cookie}, origin=own_origin) as sock:
        assert await sock.init() == {"type": "connection_ack"}
    # A page elsewhere opening a socket with the person's cookie (cross-site WebSocket hijacking): refused at the
    # handshake, before anything runs; so is a token from an origin not listed in WS_ALLOWED_ORIGINS.
    for headers in ({"Cookie": cookie}, {"Authorization": f"Bearer {api.token}"}):
        with pytest.raises(InvalidStatus) as refused:
            async with opened(ws_url, headers=headers, origin="https://evil.example"):
                pass
        assert refused.value.response.status_code == 403


def test_allowed_origins_are_exact() -> None:
    listed = Settings(ws_allowed_origins="https://spa.example, https://b.example")  # type: ignore[arg-type]
    assert listed.ws_allowed_origins == ["https://spa.example", "https://b.example"]
    with pytest.raises(ValueError, match="exact origins"):
        Settings(ws_allowed_origins="*")  # type: ignore[arg-type]


async def test_sockets_per_person_are_capped(api: Api, ws_url: str, app: Any) -> None:
    token = await api.signed_up()
    limit = get_settings().ws_max_connections_per_person
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(limit):
            await stack.enter_async_context(signed_in(ws_url, token))
        async with opened(ws_url) as extra:
            await extra.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            assert await extra.closed_with() == (4429, "Too many connections")
    # Closed sockets give their slot back.
    await until(lambda: not view_of(app).slots.open)
    async with signed_in(ws_url, token):
        pass


async def test_operations_per_socket_are_capped(api: Api, ws_url: str) -> None:
    token = await api.signed_up()
    limit = get_settings().ws_max_subscriptions
    async with signed_in(ws_url, token) as sock:
        for number in range(limit):
            await sock.subscribe(str(number), STATUS)
            await sock.next_data(str(number))
        await sock.subscribe("extra", STATUS)
        message = await sock.receive()
        assert message["id"] == "extra" and message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"


async def test_only_subscriptions_over_the_socket_and_not_over_http(api: Api, ws_url: str) -> None:
    token = await api.signed_up()
    async with signed_in(ws_url, token) as sock:
        for number, query in enumerate(["query { viewer { id } }", LOGOUT]):
            await sock.subscribe(str(number), query)
            message = await sock.receive()
            assert message["type"] == "error", message
            assert message["payload"][0]["extensions"]["code"] == "WRONG_TRANSPORT"
    body = await api.gql(STATUS)
    assert body["errors"][0]["extensions"]["code"] == "WRONG_TRANSPORT"
    assert body.get("data") is None


async def test_the_request_policy_holds_for_subscription_documents(api: Api, ws_url: str) -> None:
    token = await api.signed_up()
    async with signed_in(ws_url, token) as sock:
        cases = {
            "QUERY_TOO_LARGE": "subscription { verificationStatus { " + "status " * 1200 + "} }",
            "OPERATION_NAME_REQUIRED": f"subscription A {STATUS[12:]} subscription B {STATUS[12:]}",
            "TOO_MANY_VARIABLES": STATUS,
        }
        for number, (code, query) in enumerate(cases.items()):
            variables = {f"v{i}": i for i in range(60)} if code == "TOO_MANY_VARIABLES" else None
            await sock.subscribe(str(number), query, variables)
            message = await sock.receive()
            assert message["type"] == "error" and message["id"] == str(number), message
            assert message["payload"][0]["extensions"]["code"] == code, message
        await sock.subscribe("named", cases["OPERATION_NAME_REQUIRED"], operationName="B")
        assert await sock.next_data("named") == {"verificationStatus": None}


@pytest.mark.parametrize(
    "message",
    [
        "not json",
        '["a list"]',
        '{"type": "subscribe", "id": "1", "payload": ["not", "an", "object"]}',
        '{"type": "subscribe", "id": 7, "payload": {"query": "subscription { verificationStatus { status } }"}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": 12}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "subscription { x }", "variables": [1]}}',
    ],
)
async def test_malformed_messages_close_4400(api: Api, ws_url: str, message: str) -> None:
    token = await api.signed_up()
    async with signed_in(ws_url, token) as sock:
        await sock.ws.send(message)
        code, _reason = await sock.closed_with()
        assert code == 4400


async def test_the_subscription_ends_with_the_session(api: Api, ws_url: str, app: Any) -> None:
    token = await api.signed_up()
    async with signed_in(ws_url, token) as sock:
        await sock.subscribe("1", STATUS)
        await sock.next_data("1")
        assert (await api.gql(LOGOUT))["data"]["logout"]["ok"] is True
        person = await Person.all().get()
        await events.publish(app.state.deps.redis, person.id, {"type": "verification", "attemptId": 0})
        message = await sock.receive()
        assert message["type"] == "next" and message["payload"]["errors"][0]["extensions"]["code"] == (
            "UNAUTHENTICATED"
        ), message
        assert await sock.receive() == {"id": "1", "type": "complete"}


async def test_staff_have_no_verification_to_follow(api: Api, ws_url: str) -> None:
    staff = await staff_token(api, StaffRole.PROVINCE, "province-live")
    async with signed_in(ws_url, staff) as sock:
        await sock.subscribe("1", STATUS)
        message = await sock.receive()
        assert message["type"] in ("error", "next"), message
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "Traceback" not in str(message)
