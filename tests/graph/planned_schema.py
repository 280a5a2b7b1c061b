"""A schema built to hit every field plan of graph.execution and every way out of one (tests only).

Each case of CASES is a Holder (or a variant) whose values are regular, or irregular in one way: nulls in
non-null positions, values a type refuses, objects of another class or type cast, raising properties, awaitable
values, errors inside list items, nested lists, interfaces, a type with its own `is_type_of`, a Node with its own
`resolve_id`. The same queries run on PortalExecutionContext and Strawberry's own execution context.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.execution import PortalExecutionContext

T = TypeVar("T")
SIDE_EFFECTS: list[str] = []


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class OtherColour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Leaf(relay.Node, Named):
    pk: relay.NodeID[int]
    name: str
    count: int
    colour: Colour
    note: str | None = None
    secret: strawberry.Private[str] = "s"
    data: JSON | None = None
    ids: list[uuid.UUID] | None = None  # a list of leaves: not a leaf itself

    @classmethod
    def resolve_nodes(cls, *, info: Any, node_ids: Any, required: bool = False) -> list[Any]:
        out = []
        for i in node_ids:
            n = int(i)
            out.append(leaf(n, name="boom" if n == 99 else "ok", count="bad" if n == 98 else 1))
        return out

    @strawberry.field
    def shout(self) -> str:
        if self.name == "boom":
            raise ValueError("shout failed")
        return self.name.upper()

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0.001 * (self.pk % 7))
        if self.name.startswith("late-boom"):
            raise ValueError(f"later failed {self.pk}")
        return f"{self.name} later"

    @strawberry.field
    async def later_maybe(self) -> str | None:
        await asyncio.sleep(0.001 * (self.pk % 5))
        if self.name.startswith("late-boom"):
            raise ValueError(f"later_maybe failed {self.pk}")
        return "m"


@strawberry.type
class Other(relay.Node, Named):
    pk: relay.NodeID[int]
    name: str


@strawberry.type
class Picky:
    """A type with its own is_type_of."""

    value: int

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, Picky) and obj.value >= 0


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class StaticId(relay.Node):
    pk: relay.NodeID[int]

    @staticmethod
    def resolve_id(root: Any, *, info: Any) -> str:
        return f"static-{root.pk}"


@strawberry.type
class Inner:
    value: int
    maybe: int | None = None


@strawberry.type
class Holder:
    leaf: Leaf
    maybe_leaf: Leaf | None
    leaves: list[Leaf]
    maybe_leaves: list[Leaf] | None
    loose_leaves: list[Leaf | None]
    grid: list[list[Leaf]]
    maybe_grid: list[list[Leaf | None] | None] | None
    named: Named | None
    picky: Picky | None
    edge: Edge[Leaf] | None
    static: StaticId | None
    inner: Inner | None
    inners: list[Inner] | None


def leaf(
    pk: int, name: str = "ok", count: Any = 1, colour: Any = Colour.RED, note: Any = None, data: Any = None
) -> Leaf:
    return Leaf(pk=pk, name=name, count=count, colour=colour, note=note, data=data, ids=[uuid.UUID(int=pk)])


class Problem(Exception):
    """An exception held as a value: graphql-core raises it rather than coercing it (str() would make a text)."""


def holder(**overrides: Any) -> Holder:
    fields: dict[str, Any] = {
        "leaf": leaf(1),
        "maybe_leaf": leaf(2, note="n"),
        "leaves": [leaf(3), leaf(4, colour=Colour.BLUE)],
        "maybe_leaves": [leaf(5)],
        "loose_leaves": [leaf(6), None],
        "grid": [[leaf(10), leaf(11)], [leaf(12)]],
        "maybe_grid": [[leaf(13), None], None],
        "named": leaf(14),
        "picky": Picky(value=1),
        "edge": Edge(node=leaf(15), cursor="c"),
        "static": StaticId(pk=16),
        "inner": Inner(value=1),
        "inners": [Inner(value=2), Inner(value=3)],
    }
    fields.update(overrides)
    return Holder(**fields)


class RaisingHolder(Holder):
    """A subclass whose maybe_leaf attribute is a property that raises."""

    @property
    def maybe_leaf(self) -> Any:
        raise ValueError("maybe_leaf property failed")

    @maybe_leaf.setter
    def maybe_leaf(self, _value: Any) -> None:
        pass


class RaisingLeafsHolder(Holder):
    @property
    def maybe_leaves(self) -> Any:
        raise ValueError("maybe_leaves property failed")

    @maybe_leaves.setter
    def maybe_leaves(self, _value: Any) -> None:
        pass


class RaisingInnerHolder(Holder):
    @property
    def inner(self) -> Any:
        raise ValueError("inner property failed")

    @inner.setter
    def inner(self, _value: Any) -> None:
        pass


class RaisingPkLeaf(Leaf):
    @property
    def pk(self) -> Any:
        raise ValueError("pk property failed")

    @pk.setter
    def pk(self, _value: Any) -> None:
        pass


class CountingLeaf(Leaf):
    @property
    def note(self) -> Any:
        SIDE_EFFECTS.append("note read")
        raise ValueError("note property failed")

    @note.setter
    def note(self, _value: Any) -> None:
        pass


async def coro_value() -> dict[str, int]:
    return {"a": 1}


def raising_holder(cls: type[Holder], **overrides: Any) -> Holder:
    base = holder(**overrides)
    return cls(**{name: getattr(base, name) for name in Holder.__dataclass_fields__})


CASES: dict[str, Callable[[], Any]] = {
    "regular": holder,
    "property raising on nullable object": lambda: raising_holder(RaisingHolder),
    "property raising on nullable object list": lambda: raising_holder(RaisingLeafsHolder),
    "property raising on nullable plain object": lambda: raising_holder(RaisingInnerHolder),
    "node pk property raising": lambda: holder(maybe_leaf=RaisingPkLeaf(pk=0, name="x", count=1, colour=Colour.RED)),
    "leaf property raising (side effects)": lambda: holder(
        maybe_leaf=CountingLeaf(pk=2, name="x", count=1, colour=Colour.RED)
    ),
    "picky refuses": lambda: holder(picky=Picky(value=-1)),
    "enum of another class": lambda: holder(maybe_leaf=leaf(2, colour=OtherColour.RED)),
    "enum of another class no match": lambda: holder(maybe_leaf=leaf(2, colour=OtherColour.GREEN)),
    "plain string for enum": lambda: holder(maybe_leaf=leaf(2, colour="RED")),
    "awaitable JSON leaf": lambda: holder(maybe_leaf=leaf(2, data=coro_value())),
    "list subclass": lambda: holder(leaves=type("L", (list,), {})([leaf(3)])),
    "generator for list": lambda: holder(leaves=(x for x in [leaf(3)])),
    "grid with a null": lambda: holder(grid=[[leaf(10), None]]),
    "maybe grid all null": lambda: holder(maybe_grid=[None, [None]]),
    "named is other": lambda: holder(named=Other(pk=20, name="o")),
    "named is a leaf boom": lambda: holder(named=leaf(21, name="boom")),
    "edge node wrong": lambda: holder(edge=Edge(node="x", cursor="c")),
    "static id": holder,
    "async errors in list items": lambda: holder(
        leaves=[leaf(30, name="late-boom"), leaf(31), leaf(32, name="late-boom"), leaf(33, name="late-boom")],
        maybe_leaves=[leaf(34, name="late-boom"), leaf(35, name="late-boom")],
    ),
    "inner maybe bad": lambda: holder(inner=Inner(value=1, maybe="x")),  # type: ignore[arg-type]
    "inners with bad non-null": lambda: holder(inners=[Inner(value=1), Inner(value="bad")]),  # type: ignore[arg-type]
    "float integral for int": lambda: holder(leaf=leaf(1, count=2.0)),
    "null for a non-null leaf": lambda: holder(leaf=leaf(1, name=None)),  # type: ignore[arg-type]
    "a value the Int type refuses": lambda: holder(leaves=[leaf(3, count="many"), leaf(4)]),
    "null for a non-null object": lambda: holder(leaf=None),
    "null for a nullable object": lambda: holder(maybe_leaf=None),
    "an object of another class": lambda: holder(maybe_leaf="not a leaf"),
    "a list item of another class": lambda: holder(leaves=[leaf(3), "stray"]),
    "a null item in a non-null list": lambda: holder(maybe_leaves=[leaf(5), None]),
    "a resolver error in a nullable object": lambda: holder(maybe_leaf=leaf(2, name="boom")),
    "a resolver error in a non-null list item": lambda: holder(maybe_leaves=[leaf(5), leaf(8, name="boom")]),
    "not a list at all": lambda: holder(maybe_leaves=leaf(5)),
    "a tuple for a list": lambda: holder(leaves=(leaf(3), leaf(4))),
    "an empty list": lambda: holder(leaves=[]),
    "a bool for an Int": lambda: holder(leaf=leaf(1, count=True)),
    "an exception held in a String field": lambda: holder(maybe_leaf=leaf(2, note=Problem("note unavailable"))),
    "an exception held in a JSON field": lambda: holder(maybe_leaf=leaf(2, data=ValueError("data unavailable"))),
    "cast to another type": lambda: holder(maybe_leaf=strawberry.cast(Other, leaf(2))),
    "huge int": lambda: holder(leaf=leaf(1, count=2**40)),
}


def case_holder(name: str) -> Holder:
    """A fresh holder for the case (built per call: some values are coroutines, awaited once)."""
    return cast(Holder, CASES[name]())


def make_query() -> type:
    @strawberry.type
    class Query:
        @strawberry.field
        def holder(self, case: str) -> Holder | None:
            return case_holder(case)

        @strawberry.field
        async def async_holder(self, case: str) -> Holder | None:
            await asyncio.sleep(0)
            return case_holder(case)

        @strawberry.field
        def leaves(self, case: str) -> list[Leaf] | None:
            return case_holder(case).leaves

        @strawberry.field
        async def async_leaves(self, case: str) -> list[Leaf] | None:
            await asyncio.sleep(0)
            return case_holder(case).leaves

        @strawberry.field
        def picky(self, case: str) -> Picky | None:
            return case_holder(case).picky

        @strawberry.field
        def edge(self, case: str) -> Edge[Leaf] | None:
            return case_holder(case).edge

        @strawberry.field
        def named_list(self, case: str) -> list[Named] | None:
            h = case_holder(case)
            return cast(list[Named], [h.named, h.leaf])  # a null item on purpose in some cases

        @strawberry.field
        def maybe_leaf(self, case: str) -> Leaf | None:
            return case_holder(case).maybe_leaf

        @strawberry.field
        def leaf_non_null(self, case: str) -> Leaf:
            return cast(Leaf, case_holder(case).maybe_leaf)  # null on purpose in some cases

        node: relay.Node | None = relay.node()

    return Query


def with_executor(execution_context_class: type) -> strawberry.Schema:
    return strawberry.Schema(
        query=make_query(), types=[Leaf, Other, StaticId], execution_context_class=execution_context_class
    )


PLANNED = with_executor(PortalExecutionContext)
STANDARD = with_executor(StrawberryGraphQLCoreExecutionContext)


def outcome(result: Any, sort: bool = True) -> tuple[Any, list[tuple[str, Any, Any]]]:
    errors = [(e.message, e.path, [(loc.line, loc.column) for loc in e.locations or ()]) for e in result.errors or ()]
    return result.data, sorted(errors, key=repr) if sort else errors
