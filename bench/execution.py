"""`--profile`: GraphQL's own execution cost, in-process — the viewer query with and without its database reads.

The three reads of the viewer's resolvers (the person row, current attachments, the trail page) are answered from
rows fetched once, by patching the public domain functions the resolvers call (`domain.accounts.find_person`,
`domain.accounts.current_attachments_for_people` behind the attachments DataLoader, `domain.trail.page`) for the
duration of the measurement only, and checked to be the ones called; what remains is Strawberry + graphql-core
turning those rows into the response. The baselines' hand-written JSON building for the same rows is timed next to
it.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from contextlib import ExitStack
from typing import Any
from unittest import mock

from starlette.requests import Request

from bench import data, shape
from bench.tortoise_view import viewer_json
from db.models import Attachment, Person, TrailEntry
from domain import accounts, trail
from graph.context import build_context
from graph.loaders import Loaders

CALLS = 40
BLOCKS = 5
READS = {"find_person", "current_attachments_for_people", "page"}  # what the viewer's resolvers call


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


def answer_from_memory(
    stack: ExitStack, person: Person, current: list[Attachment], page: tuple[list[TrailEntry], bool]
) -> Counter[str]:
    """Patch the resolvers' three reads (and the baselines' attachments read) to return the rows given; the Counter
    counts the patched calls."""
    calls: Counter[str] = Counter()

    async def person_row(_person_id: int) -> Person:
        calls["find_person"] += 1
        return person

    async def current_rows(person_ids: Iterable[int]) -> dict[int, list[Attachment]]:
        calls["current_attachments_for_people"] += 1
        return {person_id: current for person_id in person_ids}

    async def current_list(_person_id: int) -> list[Attachment]:
        calls["current_attachments"] += 1
        return current

    async def page_rows(_person_id: int, _first: int, _before: int | None) -> tuple[list[TrailEntry], bool]:
        calls["page"] += 1
        return page

    stack.enter_context(mock.patch.object(accounts, "find_person", person_row))
    stack.enter_context(mock.patch.object(accounts, "current_attachments_for_people", current_rows))
    stack.enter_context(mock.patch.object(accounts, "current_attachments", current_list))
    stack.enter_context(mock.patch.object(trail, "page", page_rows))
    return calls


async def execution_costs(app: Any, schema: Any, fixture: data.Fixture) -> dict[str, Any]:
    """ms per schema.execute of the viewer query with the database, and with the reads answered from memory."""
    context = await _context(app, fixture.token)
    variables = {"first": shape.PAGE_SIZE}

    async def execute() -> dict[str, Any]:
        """One request's execution: its own DataLoaders, as a request builds them with its context."""
        fresh = dataclasses.replace(context, loaders=Loaders())
        result = await schema.execute(shape.VIEWER_QUERY, variable_values=variables, context_value=fresh)
        assert not result.errors, result.errors
        body: dict[str, Any] = result.data
        return body

    with_db, expected = await best_ms(execute), await execute()
    person = await Person.get(id=fixture.person_id)
    current = await accounts.current_attachments(fixture.person_id)
    page = await trail.page(fixture.person_id, shape.PAGE_SIZE, None)
    with ExitStack() as stack:
        calls = answer_from_memory(stack, person, current, page)
        answered = await execute()
        assert answered == expected and set(calls) == READS, f"the resolvers no longer read through these: {calls}"
        from_memory = await best_ms(execute)
        hand_built = await best_ms(lambda: viewer_json(person, context.actor, True, shape.PAGE_SIZE))
        assert calls["current_attachments"] > 0, "the baseline no longer reads through accounts.current_attachments"
    return {
        "fields_in_result": fields_in(answered),
        "schema_execute_ms": round(with_db, 3),
        "schema_execute_reads_from_memory_ms": round(from_memory, 3),
        "hand_built_json_same_rows_ms": round(hand_built, 3),
    }
