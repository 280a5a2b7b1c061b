"""`--profile`: GraphQL's own execution cost, in-process — the viewer query with and without its database reads.

The three reads of the viewer's resolvers (the person row, current attachments, the trail page) are answered from
rows fetched once, by patching the domain functions for the duration of the measurement only; what remains is
Strawberry + graphql-core turning those rows into the response. The baselines' hand-written JSON building for the
same rows is timed next to it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any
from unittest import mock

from starlette.requests import Request

from bench import data, shape
from bench.tortoise_view import viewer_json
from db.models import Person
from domain import trail
from domain.accounts import attachments
from graph.context import build_context

CALLS = 40
BLOCKS = 5


def fields_in(value: Any) -> int:
    """How many fields a GraphQL result holds (every key of every object, nested)."""
    if isinstance(value, dict):
        return sum(1 + fields_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(fields_in(item) for item in value)
    return 0


async def best_ms(work: Callable[[], Awaitable[object]]) -> float:
    """Fastest mean of BLOCKS blocks of CALLS calls (after one untimed block)."""
    for _ in range(CALLS):
        await work()
    best = float("inf")
    for _ in range(BLOCKS):
        start = time.perf_counter()
        for _ in range(CALLS):
            await work()
        best = min(best, (time.perf_counter() - start) * 1000 / CALLS)
    return best


async def _context(app: Any, token: str) -> Any:
    """The context the view would build for a Bearer request (one sessions.resolve)."""
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json")]
    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": headers, "app": app}
    scope |= {"client": ("203.0.113.10", 50000), "query_string": b""}
    return await build_context(Request(scope), None)


async def execution_costs(app: Any, schema: Any, fixture: data.Fixture) -> dict[str, Any]:
    """ms per schema.execute of the viewer query with the database, and with the reads answered from memory."""
    context = await _context(app, fixture.token)
    variables = {"first": shape.PAGE_SIZE}

    async def execute() -> dict[str, Any]:
        result = await schema.execute(shape.VIEWER_QUERY, variable_values=variables, context_value=context)
        assert not result.errors, result.errors
        body: dict[str, Any] = result.data
        return body

    with_db = await best_ms(execute)
    person = await Person.get(id=fixture.person_id)
    current = await attachments.current_for(fixture.person_id)
    page = await trail.page(fixture.person_id, shape.PAGE_SIZE, None)

    async def person_row(**_filters: Any) -> Person:
        return person

    async def current_rows(_person_id: int) -> list[Any]:
        return current

    async def page_rows(_person_id: int, _first: int, _before: int | None) -> tuple[list[Any], bool]:
        return page

    with (
        mock.patch.object(Person, "get_or_none", person_row),
        mock.patch.object(attachments, "current_for", current_rows),
        mock.patch.object(trail, "page", page_rows),
    ):
        answered = await execute()
        from_memory = await best_ms(execute)
        hand_built = await best_ms(lambda: viewer_json(person, True, shape.PAGE_SIZE))
    return {
        "fields_in_result": fields_in(answered),
        "schema_execute_ms": round(with_db, 3),
        "schema_execute_reads_from_memory_ms": round(from_memory, 3),
        "hand_built_json_same_rows_ms": round(hand_built, 3),
    }
