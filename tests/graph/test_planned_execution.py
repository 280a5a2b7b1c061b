"""The planned executor (graph.execution) answers exactly as graphql-core's standard one, errors included.

Each query runs twice on the schema of tests/graph/planned_schema.py, once with PortalExecutionContext and once with
Strawberry's own execution context; data, error messages, paths and locations (and the errors' order) must be
identical, and an attribute is read as often by both.
"""

from __future__ import annotations

from typing import Any

import pytest
from strawberry import relay

from graph.execution import PortalExecutionContext
from graph.schema.schema import schema as portal_schema
from tests.graph.planned_schema import CASES, PLANNED, SIDE_EFFECTS, STANDARD, outcome

LEAF = "id name count colour note shout __typename data ids"
QUERIES = {
    "everything": f"""query($case: String!) {{ holder(case: $case) {{
        leaf {{ {LEAF} }} maybeLeaf {{ {LEAF} later }} leaves {{ {LEAF} later }}
        maybeLeaves {{ {LEAF} laterMaybe }} looseLeaves {{ id name }} grid {{ id name }} maybeGrid {{ id }}
        named {{ __typename name ... on Leaf {{ id count shout }} ... on Other {{ id }} }}
        picky {{ value }} edge {{ cursor node {{ id name }} }} inner {{ value maybe }} static {{ id }}
        inners {{ value }} }} }}""",
    "async root": f"""query($case: String!) {{ asyncHolder(case: $case) {{ maybeLeaf {{ {LEAF} }}
        leaves {{ name later laterMaybe }} maybeLeaves {{ name later }} inner {{ value maybe }} }} }}""",
    "interface fragments": """query($case: String!) { holder(case: $case) {
        named { ...N } leaf { ...N ... on Node { id } } } }
        fragment N on Named { name ... on Leaf { count colour } }""",
    "merged fields, different selections": """query($case: String!) { holder(case: $case) {
        leaf { name } ... on Holder { leaf { count id } } ...F maybeLeaf { note } maybeLeaf { later } } }
        fragment F on Holder { leaf { colour } maybeLeaf { name } leaves { name } leaves { count } }""",
    "skip and include": """query($case: String!, $yes: Boolean!, $no: Boolean!) { holder(case: $case) {
        leaf @include(if: $yes) { name @skip(if: $yes) count @include(if: $no) id }
        maybeLeaf @skip(if: $no) { name @include(if: $yes) } leaves @include(if: $no) { id } } }""",
    "resolvers' lists": """query($case: String!) { leaves(case: $case) { id name later }
        asyncLeaves(case: $case) { id laterMaybe } }""",
    "a type with its own is_type_of": "query($case: String!) { picky(case: $case) { value } }",
    "a generic edge": "query($case: String!) { edge(case: $case) { cursor node { id name } } }",
    "an interface list": """query($case: String!) { namedList(case: $case) { name __typename
        ... on Leaf { id count } } }""",
    "a non-null root object": "query($case: String!) { leafNonNull(case: $case) { id name note count } }",
    "a nullable root object": "query($case: String!) { maybeLeaf(case: $case) { id name note count colour data } }",
    "__typename everywhere": """query($case: String!) { __typename holder(case: $case) { __typename
        leaf { __typename } leaves { __typename t2: __typename } } }""",
}
NODE_QUERIES = {
    "a node": ('query { node(id: "%s") { id __typename ... on Leaf { name count shout } } }', "1"),
    "a node with a refused count": ('query { node(id: "%s") { id ... on Leaf { name count } } }', "98"),
    "a node whose resolver raises": ('query { node(id: "%s") { id ... on Leaf { name shout } } }', "99"),
}
VARIABLES = {"yes": True, "no": False}
# Some cases hold coroutine values that some queries never select, and both executors drop sibling awaitables
# that a propagating non-null error made pointless; Python warns about both, for either executor alike.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")


async def both(query: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    planned = await PLANNED.execute(query, variable_values=variables)
    standard = await STANDARD.execute(query, variable_values=variables)
    return planned, standard


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("query_name", list(QUERIES))
async def test_planned_execution_answers_as_graphql_core(case: str, query_name: str) -> None:
    planned, standard = await both(QUERIES[query_name], {"case": case, **VARIABLES})
    assert all(error.path for error in planned.errors or ()), planned.errors  # executed, not refused by validation
    assert outcome(planned, sort=False) == outcome(standard, sort=False)


@pytest.mark.parametrize("name", list(NODE_QUERIES))
async def test_node_queries_answer_as_graphql_core(name: str) -> None:
    query, pk = NODE_QUERIES[name]
    planned, standard = await both(query % relay.to_base64("Leaf", pk))
    assert outcome(planned) == outcome(standard)


async def test_a_raising_attribute_is_read_once_as_by_graphql_core() -> None:
    query, variables = QUERIES["a nullable root object"], {"case": "leaf property raising (side effects)"}
    SIDE_EFFECTS.clear()
    await STANDARD.execute(query, variable_values=variables)
    standard = list(SIDE_EFFECTS)
    SIDE_EFFECTS.clear()
    await PLANNED.execute(query, variable_values=variables)
    assert SIDE_EFFECTS == standard == ["note read"]


async def test_the_regular_case_is_answered_without_errors() -> None:
    """The comparisons above are not between two failures: the regular case has data and no errors."""
    result = await PLANNED.execute(QUERIES["everything"], variable_values={"case": "regular"})
    assert result.errors is None
    answered = result.data["holder"]  # type: ignore[index]
    assert answered["leaf"]["id"] == relay.to_base64("Leaf", "1") and answered["leaf"]["shout"] == "OK"
    assert [item["colour"] for item in answered["leaves"]] == ["RED", "BLUE"]
    assert answered["static"]["id"] == relay.to_base64("StaticId", "static-16")
    assert answered["looseLeaves"][1] is None and answered["grid"][0][1]["name"] == "ok"


async def test_the_portal_schema_runs_the_planned_executor() -> None:
    assert portal_schema.execution_context_class is PortalExecutionContext
