"""`node(id:)` and `nodes(ids:)` with client-made ids: at most GRAPHQL_MAX_NODE_IDS ids, each counted in the cost;
a made-up id answers null without a traceback in the logs."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from domain.kernel.settings import get_settings
from tests.graph.policy.helpers import assert_no_leak
from tests.helpers import Api

NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_more_ids_than_allowed_are_a_coded_error(api: Api) -> None:
    await api.signed_up()
    limit = get_settings().graphql_max_node_ids
    ids = [global_id("Attachment", str(i)) for i in range(limit + 1)]
    over = await api.gql(NODES, {"ids": ids})
    assert codes(over) == ["TOO_MANY_IDS"] and over["data"] is None
    within = await api.gql(NODES, {"ids": ids[:limit]})
    assert "errors" not in within and within["data"]["nodes"] == [None] * limit


async def test_thirty_three_thousand_ids_are_refused_by_the_cost(api: Api) -> None:
    """The reported attack (an internal error on PostgreSQL): refused before execution, with its cost (and, from
    an anonymous caller, by the body cap before that)."""
    ids = [global_id("Attachment", str(i)) for i in range(33_000)]
    assert (await api.post(NODES, {"ids": ids})).status_code == 413
    await api.signed_up()
    response = await api.post(NODES, {"ids": ids})
    assert response.status_code == 200
    assert_no_leak(response.text)
    body = response.json()
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["cost"]["requestedQueryCost"] == 1 + 33_000


async def test_each_id_counts_in_the_cost(api: Api) -> None:
    three = [global_id("Attachment", str(i)) for i in range(3)]
    by_variable = await api.gql(NODES, {"ids": three})
    listed = ", ".join(f'"{i}"' for i in three)
    literal = await api.gql(f"{{ nodes(ids: [{listed}]) {{ id }} }}")
    assert by_variable["extensions"]["cost"]["requestedQueryCost"] == 4
    assert literal["extensions"]["cost"]["requestedQueryCost"] == 4
    one = await api.gql(NODES, {"ids": three[:1]})  # the same text, another list: costed afresh
    assert one["extensions"]["cost"]["requestedQueryCost"] == 2


@pytest.mark.parametrize("made_up", ["Node:1", "Person:1", "Nope:1", "not base64 at all", global_id("Node", "1")])
async def test_a_made_up_id_answers_null_without_a_traceback(
    api: Api, caplog: pytest.LogCaptureFixture, made_up: str
) -> None:
    caplog.set_level(logging.INFO)
    body = await api.gql("query ($id: ID!) { node(id: $id) { id } }", {"id": made_up})
    assert body["data"] in ({"node": None}, None), body
    if body["data"] is None:
        assert codes(body) == ["INVALID_ID"], body
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    assert "Traceback" not in caplog.text
