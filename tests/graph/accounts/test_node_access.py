"""node(id:) and nodes(ids:) are authorized per object (IDOR); malformed ids never fail the server."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import StaffRole
from tests.graph.accounts.helpers import create_staff, pk_of, staff_login, trail
from tests.helpers import VALID_ID_2, Api

NODE = """query($id: ID!) { node(id: $id) { id __typename
  ... on Person { realName idNumberMasked } ... on OperationTrail { action } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


async def test_node_is_authorized_per_object(api: Api) -> None:
    person_a = (await api.register())["person"]["id"]
    token_a = (await api.login())["token"]
    trail_a = (await trail(api, token_a))[0]["id"]
    person_b = (await api.register(id_number=VALID_ID_2, mobile="13800138002", name="李四"))["person"]["id"]
    token_b = (await api.login(id_number=VALID_ID_2))["token"]
    await create_staff("admin01", StaffRole.ADMIN)
    await create_staff("firm01", StaffRole.ENTERPRISE)
    admin = (await staff_login(api, "admin01"))["token"]
    firm = (await staff_login(api, "firm01"))["token"]

    async def node(global_id: str, token: str | None) -> dict[str, Any] | None:
        body = await api.gql(NODE, {"id": global_id}, token=token)
        assert "errors" not in body, body
        result: dict[str, Any] | None = body["data"]["node"]
        return result

    own = await node(person_a, token_a)
    assert own is not None and own["realName"] == "张三" and own["__typename"] == "Person"
    assert (await node(trail_a, token_a) or {}).get("action") == "REGISTER"
    assert await node(person_a, token_b) is None
    assert await node(trail_a, token_b) is None
    assert await node(person_a, None) is None
    assert await node(trail_a, None) is None
    assert await node(person_a, firm) is None
    assert await node(person_a, admin) is None  # administrators audit trails, not profiles (test_staff_reach)
    assert (await node(trail_a, admin) or {}).get("action") == "REGISTER"

    body = await api.gql(NODES, {"ids": [person_a, person_b, trail_a]}, token=token_b)
    assert "errors" not in body
    assert body["data"]["nodes"] == [None, {"id": person_b}, None]

    trail_b = (await trail(api, token_b))[0]["id"]
    assert pk_of(trail_b) != pk_of(trail_a)
    assert await node(trail_b, token_a) is None


@pytest.mark.parametrize("global_id", ["bm9wZQ==", "not base64!", "UGVyc29uOmFiYw==", "Rm9vOjE=", ""])
async def test_malformed_node_ids_never_fail_the_server(api: Api, global_id: str) -> None:
    await api.signed_up()
    response = await api.post(NODE, {"id": global_id})
    assert response.status_code < 500
    body = response.json()
    assert body.get("data") is None or body["data"]["node"] is None
    for error in body.get("errors", []):
        assert error.get("extensions", {}).get("code") not in (None, "INTERNAL_SERVER_ERROR"), error
        assert "Traceback" not in error["message"]
