"""How big an operation really is once its fragments are expanded: depth, aliases, cost, selections and the widest
selection set, in linear time.

Each fragment is measured once and reused wherever it is spread, so a document whose fragments spread each other
twice over (2^n fields from n lines) is measured in n steps and refused, instead of being walked 2^n times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

DEFAULT_PAGE = 100  # a `first` (or `ids`) variable not given, or not a number (list), counts as the maximum
INT_MAX = 2**31 - 1  # GraphQL Int: a larger `first` fails validation anyway, and counts as this


@dataclass(frozen=True)
class Size:
    """Depth (introspection fields not counted), aliases, cost (fields × page sizes) and selections (fields, inline
    fragments and spreads, fragments expanded) of a selection."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0
    selections: int = 0

    def beside(self, other: Size) -> Size:
        """Two selections side by side (at the same level)."""
        return Size(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.cost + other.cost,
            self.selections + other.selections,
        )


EMPTY = Size()
ONE_SELECTION = Size(selections=1)  # a spread or an inline fragment: a selection of its own, not a field


COUNTED_ARGUMENTS = ("first", "ids")  # a page size, and `nodes(ids:)`: each id fetches an object


def variable_weight(value: Any) -> int | None:
    """What a variable given as `first` or `ids` weighs: an integer clamped to 1..INT_MAX (a 10**50 is a small
    key and a short number to print), a list by its length; None for anything else (the default page)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return min(max(value, 1), INT_MAX)
    if isinstance(value, list):
        return max(len(value), 1)
    return None


def page_size(node: FieldNode, variables: dict[str, Any]) -> int:
    """`first` as given, between 1 and INT_MAX (a literal of 5000 digits is not parsed: Python refuses such
    strings), or the number of `ids`; 1 without either."""
    for argument in node.arguments or ():
        if argument.name.value not in COUNTED_ARGUMENTS:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return min(max(int(value.value), 1), INT_MAX) if len(value.value) <= len(str(-INT_MAX)) else INT_MAX
        if isinstance(value, ListValueNode):
            return max(len(value.values), 1)
        if isinstance(value, VariableNode):
            weight = variable_weight(variables.get(value.name.value))
            return DEFAULT_PAGE if weight is None else weight
    return 1


def page_variables(document: DocumentNode) -> tuple[str, ...]:
    """The names of the variables given as `first` or `ids` anywhere in the document: the only ones the cost
    reads."""
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        for item in selection_set.selections if selection_set else ():
            if isinstance(item, FieldNode):
                names.update(
                    argument.value.name.value
                    for argument in item.arguments or ()
                    if argument.name.value in COUNTED_ARGUMENTS and isinstance(argument.value, VariableNode)
                )
            walk(getattr(item, "selection_set", None))

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            walk(definition.selection_set)
    return tuple(sorted(names))


class _Measurer:
    def __init__(self, document: DocumentNode, variables: dict[str, Any]) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables
        self.memo: dict[str, Size] = {}
        self.visiting: set[str] = set()

    def fragment(self, name: str) -> Size:
        if name in self.memo:
            return self.memo[name]
        if name in self.visiting or name not in self.fragments:
            return EMPTY  # a cycle or an unknown fragment: validation reports it
        self.visiting.add(name)
        size = self.selection(self.fragments[name].selection_set)
        self.visiting.discard(name)
        self.memo[name] = size
        return size

    def field(self, node: FieldNode) -> Size:
        inner = self.selection(node.selection_set)
        introspection = node.name.value.startswith("__")
        depth = 0 if introspection else 1 + inner.depth
        aliases = inner.aliases + (1 if node.alias else 0)
        cost = 1 + page_size(node, self.variables) * inner.cost
        return Size(depth, aliases, cost, 1 + inner.selections)

    def selection(self, selection_set: SelectionSetNode | None) -> Size:
        total = EMPTY
        for item in selection_set.selections if selection_set else ():
            if isinstance(item, FieldNode):
                total = total.beside(self.field(item))
            elif isinstance(item, InlineFragmentNode):
                total = total.beside(ONE_SELECTION).beside(self.selection(item.selection_set))
            elif isinstance(item, FragmentSpreadNode):
                total = total.beside(ONE_SELECTION).beside(self.fragment(item.name.value))
        return total


def measure(document: DocumentNode, variables: dict[str, Any] | None = None) -> Size:
    """The largest depth, alias count and cost among the document's operations (one of them runs); the selections
    of them all plus those of fragments no operation spreads (validation reads every definition, used or not)."""
    measurer = _Measurer(document, variables or {})
    sizes = [
        measurer.selection(d.selection_set) for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    unused = [measurer.fragment(name) for name in measurer.fragments if name not in measurer.memo]
    return Size(
        max((s.depth for s in sizes), default=0),
        max((s.aliases for s in sizes), default=0),
        max((s.cost for s in sizes), default=0),
        sum(s.selections for s in (*sizes, *unused)),
    )
