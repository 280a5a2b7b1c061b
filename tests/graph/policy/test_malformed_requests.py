"""Malformed requests, client-made ids, cursors and page sizes: never a 500, never a stack trace or SQL."""

from __future__ import annotations

import base64

import pytest
from strawberry.relay import to_base64

from tests.graph.policy.helpers import assert_no_leak
from tests.helpers import VIEWER, Api

MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("application/json", b"{not json"),
    ("application/json", b"[]"),
    ("application/json", b"null"),
    ("application/json", b'"query"'),
    ("application/json", b"{}"),
    ("application/json", b'{"query": 5}'),
    ("application/json", b'{"query": "{ viewer { id } }", "variables": "nope"}'),
    ("application/json", b'{"query": "{ viewer { id } }", "operationName": "Missing"}'),
    ("application/json", b'{"query": "query {"}'),
    ("application/json", b'{"query": "}{"}'),
    ("application/json", b'{"query": "\\u0000"}'),
    ("application/json", b'{"query": "{ viewer(x: 1) { id } }"}'),
    (
        "application/json",
        b'{"query": "query($f: Int!) { viewer { trail(first: $f) { totalCount } } }", "variables": {"f": "abc"}}',
    ),
    ("application/json", b'{"query": "{ nope }"}'),
    ("application/json", b"\xff\xfe\x00garbage"),
    ("text/plain", b"{ viewer { id } }"),
    ("application/x-www-form-urlencoded", b"query=%7B+viewer+%7B+id+%7D+%7D"),
    ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
]


@pytest.mark.parametrize(("content_type", "payload"), MALFORMED_BODIES)
async def test_malformed_requests_never_fail_as_server_errors(api: Api, content_type: str, payload: bytes) -> None:
    headers = {"content-type": content_type, "x-requested-with": "XMLHttpRequest"}

    response = await api.client.post("/graphql", content=payload, headers=headers)

    assert response.status_code in (200, 400, 415), response.text
    assert_no_leak(response.text)
    if response.status_code == 200:
        body = response.json()
        assert body["errors"] and body.get("data") is None
        assert all(e.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR" for e in body["errors"])


MALFORMED_MULTIPART: list[tuple[str, str]] = [
    ("null", "{}"),
    ("5", "{}"),
    ('{"query": "{ __typename }"}', "null"),
    ('{"query": "{ __typename }"}', "[1]"),
    ('{"query": "{ __typename }"}', '{"0": [5]}'),
    ('{"query": "{ __typename }"}', '{"0": "variables.input.file"}'),
    ('{"query": "{ __typename }"}', '{"9": ["variables.x"]}'),
    ('{"query": "{ __typename }", "variables": {"input": 5}}', '{"0": ["variables.input.file"]}'),
    ('{"query": "{ __typename }", "variables": null}', '{"0": ["variables.input.file"]}'),
    ('{"query": "{ __typename }", "variables": {"x": [1]}}', '{"0": ["variables.x.5"]}'),
    ('{"query": "{ __typename }", "variables": {"x": [1]}}', '{"0": ["variables.x.a"]}'),
    ('[{"query": "{ __typename }"}]', '{"0": ["0.variables.x"]}'),
]


@pytest.mark.parametrize(("operations", "files_map"), MALFORMED_MULTIPART)
async def test_malformed_multipart_is_a_400(api: Api, operations: str, files_map: str) -> None:
    response = await api.client.post(
        "/graphql",
        data={"operations": operations, "map": files_map},
        files={"0": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 400, response.text
    assert_no_leak(response.text)


async def test_client_made_ids_and_cursors_are_bad_input_not_faults(api: Api) -> None:
    await api.signed_up()
    huge = "9" * 30
    cursors = [
        base64.urlsafe_b64encode(f"k:{huge}".encode()).decode(),
        base64.urlsafe_b64encode(b"k:" + b"9" * 5000).decode(),
        base64.urlsafe_b64encode("k:²".encode()).decode(),
        "not-a-cursor",
    ]
    for cursor in cursors:  # a coded error in the trail's place (never the first page, never a fault)
        response = await api.post(VIEWER, {"first": 5, "after": cursor})
        body = response.json()
        assert response.status_code == 200 and body["data"]["viewer"]["trail"] is None, response.text
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_CURSOR"]
        assert body["errors"][0]["path"] == ["viewer", "trail"]
    node_ids = [to_base64("Person", huge), to_base64("Attachment", "-1"), to_base64("NoSuchType", "1"), "%%%"]
    for node_id in node_ids:
        response = await api.post("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
        assert response.status_code == 200
        assert_no_leak(response.text)
        body = response.json()
        assert body["data"] == {"node": None}
        assert all(e["extensions"].get("code") != "INTERNAL_SERVER_ERROR" for e in body.get("errors", []))


async def test_a_page_size_out_of_range_is_an_error_in_the_trails_place(api: Api) -> None:
    """`trail(first: 0)` or 101: a coded error at the trail, the viewer itself still answered."""
    await api.signed_up()
    for first in (0, 101, -1):
        body = (await api.post(VIEWER, {"first": first})).json()
        assert body["data"]["viewer"]["realName"] == "张三" and body["data"]["viewer"]["trail"] is None, body
        assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
            ("INVALID_PAGE_SIZE", ["viewer", "trail"])
        ]


async def test_pages_follow_each_other_with_relay_page_info(api: Api) -> None:
    """Keyset pages newest first: startCursor/endCursor, hasPreviousPage after the first page, no overlap."""
    await api.signed_up()
    query = """query($first: Int!, $after: String) { viewer { trail(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }"""
    first_page = (await api.post(query, {"first": 1})).json()["data"]["viewer"]["trail"]
    info = first_page["pageInfo"]
    assert first_page["totalCount"] == 2 and info["hasNextPage"] and not info["hasPreviousPage"]
    assert info["startCursor"] == info["endCursor"] == first_page["edges"][0]["cursor"]
    second = (await api.post(query, {"first": 5, "after": info["endCursor"]})).json()["data"]["viewer"]["trail"]
    assert second["pageInfo"]["hasPreviousPage"] and not second["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in second["edges"]] != [e["node"]["id"] for e in first_page["edges"]]
    assert len(second["edges"]) == 1


async def test_get_cannot_run_mutations(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert response.status_code in (400, 405)
    assert_no_leak(response.text)
