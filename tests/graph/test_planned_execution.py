"""The planned executor (graph.execution) answers exactly as graphql-core's standard one, errors included.

Each query runs twice on one test schema, once with PortalExecutionContext and once with Strawberry's own
execution context; data, error messages, paths and locations must be identical. The schema is built to hit every
plan (leaves, enums, Relay ids, plain objects and object lists, resolver results) and every way out of a plan
(nulls for non-null fields, values a type refuses, objects of another class, errors propagating from deep inside
a planned object or list item, awaitable items).
"""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.execution import PortalExecutionContext
from graph.schema.schema import schema as portal_schema


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf(relay.Node):
    pk: relay.NodeID[int]
    name: str
    count: int
    colour: Colour
    note: str | None = None

    @strawberry.field
    def shout(self) -> str:
        if self.name == "boom":
            raise ValueError("shout failed")
        return self.name.upper()

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        if self.name == "late-boom":
            raise ValueError("later failed")
        return f"{self.name} later"


@strawberry.type
class CustomId(relay.Node):
    """A node with its own id: the id plan steps aside."""

    pk: relay.NodeID[int]

    @classmethod
    def resolve_id(cls, root: CustomId, *, info: strawberry.Info) -> str:
        return f"custom-{root.pk}"


@strawberry.type
class Holder:
    leaf: Leaf
    maybe_leaf: Leaf | None
    leaves: list[Leaf]
    maybe_leaves: list[Leaf] | None
    loose_leaves: list[Leaf | None]
    custom: CustomId


def leaf(pk: int, name: str = "ok", count: Any = 1, colour: Any = Colour.RED, note: Any = None) -> Leaf:
    return Leaf(pk=pk, name=name, count=count, colour=colour, note=note)


def holder(**overrides: Any) -> Holder:
    fields: dict[str, Any] = {
        "leaf": leaf(1),
        "maybe_leaf": leaf(2, note="n"),
        "leaves": [leaf(3), leaf(4, colour=Colour.BLUE)],
        "maybe_leaves": [leaf(5)],
        "loose_leaves": [leaf(6), None],
        "custom": CustomId(pk=7),
    }
    fields.update(overrides)
    return Holder(**fields)


CASES: dict[str, Holder | Any] = {
    "regular": holder(),
    "null for a non-null leaf": holder(leaf=leaf(1, name=None)),  # type: ignore[arg-type]
    "a value the Int type refuses": holder(leaves=[leaf(3, count="many"), leaf(4)]),
    "an enum value of another enum": holder(maybe_leaf=leaf(2, colour="green")),
    "null for a non-null object": holder(leaf=None),
    "null for a nullable object": holder(maybe_leaf=None),
    "an object of another class": holder(maybe_leaf="not a leaf"),
    "a list item of another class": holder(leaves=[leaf(3), "stray"]),
    "a null item in a non-null list": holder(maybe_leaves=[leaf(5), None]),
    "a resolver error in a nullable object": holder(maybe_leaf=leaf(2, name="boom")),
    "a resolver error in a non-null list item": holder(maybe_leaves=[leaf(5), leaf(8, name="boom")]),
    "an async error in a list item": holder(leaves=[leaf(3), leaf(9, name="late-boom")]),
    "not a list at all": holder(maybe_leaves=leaf(5)),
    "a tuple for a list": holder(leaves=(leaf(3), leaf(4))),
    "an empty list": holder(leaves=[]),
    "a bool for an Int": holder(leaf=leaf(1, count=True)),
}


@strawberry.type
class Query:
    @strawberry.field
    def holder(self, case: str) -> Holder | None:
        return CASES[case]

    @strawberry.field
    async def async_holder(self, case: str) -> Holder | None:
        await asyncio.sleep(0)
        return CASES[case]

    @strawberry.field
    def leaves(self, case: str) -> list[Leaf] | None:
        return CASES[case].leaves


LEAF_FIELDS = "id name count colour note shout __typename"
QUERIES = {
    "everything": f"""query($case: String!) {{ holder(case: $case) {{
        leaf {{ {LEAF_FIELDS} }} maybeLeaf {{ {LEAF_FIELDS} later }} leaves {{ {LEAF_FIELDS} later }}
        maybeLeaves {{ {LEAF_FIELDS} }} looseLeaves {{ id name }} custom {{ id }} }} }}""",
    "async root, aliases, fragments": """query($case: String!) { a: asyncHolder(case: $case) { ...H }
        b: holder(case: $case) { leaf { n1: name n2: name ...L } } }
        fragment H on Holder { leaves { ...L } maybeLeaf { ...L } }
        fragment L on Leaf { id name count }""",
    "directives": """query($case: String!, $yes: Boolean!) { holder(case: $case) {
        leaf { name @include(if: $yes) count @skip(if: $yes) } leaves { colour @skip(if: false) } } }""",
    "a resolver's list": "query($case: String!) { leaves(case: $case) { id name later } }",
}


def with_executor(execution_context_class: type) -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=execution_context_class)


PLANNED = with_executor(PortalExecutionContext)
STANDARD = with_executor(StrawberryGraphQLCoreExecutionContext)


def outcome(result: Any) -> tuple[Any, list[tuple[str, Any, Any]]]:
    errors = [(e.message, e.path, [(loc.line, loc.column) for loc in e.locations or ()]) for e in result.errors or ()]
    return result.data, sorted(errors, key=repr)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("query_name", list(QUERIES))
async def test_planned_execution_answers_as_graphql_core(case: str, query_name: str) -> None:
    variables = {"case": case, "yes": True}
    planned = await PLANNED.execute(QUERIES[query_name], variable_values=variables)
    standard = await STANDARD.execute(QUERIES[query_name], variable_values=variables)
    assert all(error.path for error in planned.errors or ()), planned.errors  # executed, not refused by validation
    assert outcome(planned) == outcome(standard)


async def test_the_regular_case_is_answered_without_errors() -> None:
    """The comparison above is not between two failures: the regular case has data and no errors."""
    result = await PLANNED.execute(QUERIES["everything"], variable_values={"case": "regular"})
    assert result.errors is None
    answered = result.data["holder"]  # type: ignore[index]
    assert answered["leaf"]["id"] == relay.to_base64("Leaf", "1") and answered["leaf"]["shout"] == "OK"
    assert [item["colour"] for item in answered["leaves"]] == ["RED", "BLUE"]
    assert answered["custom"]["id"] == relay.to_base64("CustomId", "custom-7")
    assert answered["looseLeaves"][1] is None


async def test_the_portal_schema_runs_the_planned_executor() -> None:
    assert portal_schema.execution_context_class is PortalExecutionContext
