"""How big an operation really is once its fragments are expanded: depth, aliases and cost, in linear time.

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
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

DEFAULT_PAGE = 100  # a connection whose `first` is a variable not given counts at the maximum page
INT_MAX = 2**31 - 1  # GraphQL Int: a larger `first` fails validation anyway, and counts as this


@dataclass(frozen=True)
class Size:
    """Depth (introspection fields not counted), aliases and cost (fields × page sizes) of a selection."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def beside(self, other: Size) -> Size:
        """Two selections side by side."""
        return Size(max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost)


EMPTY = Size()


def page_size(node: FieldNode, variables: dict[str, Any]) -> int:
    """`first` as given, between 1 and INT_MAX: a literal of 5000 digits is not parsed (Python refuses such
    strings) and a huge variable does not make a cost too long to print."""
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return min(max(int(value.value), 1), INT_MAX) if len(value.value) <= len(str(-INT_MAX)) else INT_MAX
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return min(max(int(given), 1), INT_MAX) if isinstance(given, int) else DEFAULT_PAGE
    return 1


def page_variables(document: DocumentNode) -> tuple[str, ...]:
    """The names of the variables given as `first` anywhere in the document: the only ones the cost reads."""
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        for item in selection_set.selections if selection_set else ():
            if isinstance(item, FieldNode):
                names.update(
                    argument.value.name.value
                    for argument in item.arguments or ()
                    if argument.name.value == "first" and isinstance(argument.value, VariableNode)
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
        return Size(depth, aliases, 1 + page_size(node, self.variables) * inner.cost)

    def selection(self, selection_set: SelectionSetNode | None) -> Size:
        total = EMPTY
        for item in selection_set.selections if selection_set else ():
            if isinstance(item, FieldNode):
                total = total.beside(self.field(item))
            elif isinstance(item, InlineFragmentNode):
                total = total.beside(self.selection(item.selection_set))
            elif isinstance(item, FragmentSpreadNode):
                total = total.beside(self.fragment(item.name.value))
        return total


def measure(document: DocumentNode, variables: dict[str, Any] | None = None) -> Size:
    """The largest depth, alias count and cost among the document's operations."""
    measurer = _Measurer(document, variables or {})
    sizes = [
        measurer.selection(d.selection_set) for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    return Size(
        max((s.depth for s in sizes), default=0),
        max((s.aliases for s in sizes), default=0),
        max((s.cost for s in sizes), default=0),
    )
