"""SECURITY check 20, the query cost: reported and capped, computed per request's variables, cached within
bounds, linear on fragment bombs."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar, cast

from graphql import parse

from domain.kernel.settings import get_settings
from graph.policy import document_size
from graph.policy.extensions import BoundedParserCache, ValidationAndCost
from graph.schema.schema import schema
from tests.graph.policy.helpers import rejected
from tests.helpers import VIEWER, Api


async def test_query_cost_is_reported_and_capped(api: Api) -> None:
    await api.signed_up()
    cheap = await api.gql("{ viewer { id realName } }")
    cost = cheap["extensions"]["cost"]
    assert cost == {"requestedQueryCost": 3, "maximumAvailable": get_settings().graphql_max_cost}

    pages = " ".join(f"t{i}: trail(first: 100) {{ edges {{ node {{ id action description ip }} }} }}" for i in range(9))
    body = await rejected(api, f"{{ viewer {{ {pages} }} }}")

    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["cost"]["requestedQueryCost"] > get_settings().graphql_max_cost
    variables = await _rejected_with_variables(api)
    assert variables["extensions"]["cost"]["requestedQueryCost"] > get_settings().graphql_max_cost


async def test_the_cost_follows_the_variables_of_each_request(api: Api) -> None:
    """The cost is cached per query text and page-size variables: one text, three page sizes, three answers."""
    await api.signed_up()
    query = VIEWER.replace("trail(first: $first", "t1: trail(first: $first")
    costs = []
    for first in (1, 1000, 1):
        body = (await api.post(query, {"first": first})).json()
        costs.append(body["extensions"]["cost"]["requestedQueryCost"])
        refused = [e["extensions"]["code"] for e in body.get("errors", ())] == ["QUERY_TOO_COMPLEX"]
        assert refused == (first == 1000), body
    assert costs[0] == costs[2] < get_settings().graphql_max_cost < costs[1]


Part = TypeVar("Part")


def policy_part(kind: type[Part]) -> Part:
    """The schema's extension of that kind (its caches are the schema's)."""
    return next(ext for ext in (make() for make in schema.extensions) if isinstance(ext, kind))


async def test_unused_variables_stay_out_of_the_cost_cache(api: Api) -> None:
    """A body of unused variables (as many as allowed: 20,000 are refused as TOO_MANY_VARIABLES) costs as without
    them, and its cache key holds only the page sizes the document reads."""
    flood = {f"v{i}": i for i in range(get_settings().graphql_max_variables - 1)}
    query = VIEWER.replace("trail(first: $first", "t1: trail(first: $first")
    body = (await api.post(query, {"first": 5, **flood})).json()
    assert body["extensions"]["cost"] == (await api.post(query, {"first": 5})).json()["extensions"]["cost"]
    cost = policy_part(ValidationAndCost)
    keys = [cast(tuple[str, tuple[int | None, ...]], key) for key in cost.book.costs.entries]
    assert max(len(values) for _query, values in keys) == 1  # `first` alone
    assert document_size.page_variables(parse(query)) == ("first",)


async def test_a_huge_query_text_is_answered_but_not_cached(api: Api) -> None:
    """A 1 MB comment makes a valid query within the token limit; it is parsed and validated, not kept."""
    parser, validator = policy_part(BoundedParserCache), policy_part(ValidationAndCost)
    cost = validator

    def cached() -> tuple[int, int]:
        return (
            parser.cached_parse_document.cache_info().currsize,  # type: ignore[attr-defined]
            validator.cached_validate_document.cache_info().currsize,  # type: ignore[attr-defined]
        )

    await api.signed_up()  # a 3 MB body: past the anonymous cap
    before = cached()
    query = "#" + "注" * 1_000_000 + "\n{ __typename }"
    body = (await api.post(query)).json()
    assert body["data"] == {"__typename": "Query"}
    assert cached() == before
    assert not any(query in key for key in cost.book.costs.entries)  # type: ignore[operator]


async def _rejected_with_variables(api: Api) -> dict[str, Any]:
    """`first` given as a variable is costed with its value."""
    response = await api.post(VIEWER.replace("trail(first: $first", "t1: trail(first: $first"), {"first": 1000})
    body: dict[str, Any] = response.json()
    assert body.get("data") is None and body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    return body


async def test_a_fragment_bomb_is_measured_in_linear_time_and_refused(api: Api) -> None:
    """24 fragments, each spreading the next twice: 2^24 fields from 600 bytes. Each fragment is measured once,
    so the request is refused at once (it took minutes when depth, aliases and cost walked every expansion)."""
    levels = 24
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ captcha {{ id }} }}")
    query = "query { ...F0 }\n" + "\n".join(fragments)
    response = await asyncio.wait_for(api.post(query), timeout=60)  # a liveness guard: 2^24 walks never end
    body = response.json()
    assert response.status_code == 200 and body.get("data") is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_LARGE"]  # before validation
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2**levels * 2


async def test_a_long_costly_document_is_still_validated(api: Api) -> None:
    """Over the cost cap and past the cached length: the validation errors come with the cost error."""
    aliases = " ".join(f"t{n}: trail(first: 100) {{ edges {{ node {{ id action description }} }} }}" for n in range(12))
    query = "#" + "x" * 25_000 + f"\n{{ viewer {{ {aliases} nope }} }}"
    await api.signed_up()  # past the anonymous body cap
    body = (await api.post(query)).json()
    codes = [e.get("extensions", {}).get("code") for e in body["errors"]]
    assert "QUERY_TOO_COMPLEX" in codes
    assert any("nope" in e["message"] for e in body["errors"]), body["errors"]
