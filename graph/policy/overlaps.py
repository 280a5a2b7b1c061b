"""How much work graphql-core's OverlappingFieldsCanBeMerged rule will do on a document, counted before it runs.

That rule compares every two fields that answer under the same response path (the same key at the same place,
fragments merged in), recursively: `viewer { realName }` written 490 times is 490²/2 pairs at `viewer`, as many at
`viewer.realName`, about a second of validation. Fields with distinct keys are never compared, so the count of such
pairs bounds the rule's work. It is counted by walking each definition with its fragments expanded, every field's
response path into one counter; the walk stops after `budget` selections (the caller caps expanded selections first,
so that only happens to a document that is refused anyway).
"""

from __future__ import annotations

from collections import Counter

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
)

Path = tuple[str, ...]


class _Exhausted(Exception):
    """More selections than the budget: the count is not finished, the document is too big anyway."""


class _Walker:
    def __init__(self, document: DocumentNode, budget: int) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.budget = budget
        self.paths: Counter[tuple[int, Path]] = Counter()

    def walk(self, root: int, path: Path, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> None:
        for item in selection_set.selections if selection_set else ():
            self.budget -= 1
            if self.budget < 0:
                raise _Exhausted
            if isinstance(item, FieldNode):
                key = (item.alias or item.name).value
                self.paths[(root, (*path, key))] += 1
                self.walk(root, (*path, key), item.selection_set, seen)
            elif isinstance(item, InlineFragmentNode):
                self.walk(root, path, item.selection_set, seen)
            elif isinstance(item, FragmentSpreadNode):
                name = item.name.value
                if name in self.fragments and name not in seen:  # a cycle or unknown name: validation reports it
                    self.walk(root, path, self.fragments[name].selection_set, seen | {name})


def overlapping_pairs(document: DocumentNode, budget: int) -> int | None:
    """Pairs of fields sharing a response path, within each definition (each is validated); None when the
    expanded document has more than `budget` selections."""
    walker = _Walker(document, budget)
    try:
        for root, definition in enumerate(document.definitions):
            if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
                fragment = isinstance(definition, FragmentDefinitionNode)
                seen = frozenset({definition.name.value}) if fragment and definition.name else frozenset()
                walker.walk(root, (), definition.selection_set, seen)
    except _Exhausted:
        return None
    return sum(count * (count - 1) // 2 for count in walker.paths.values())


def literal_values(document: DocumentNode) -> int:
    """Values written in the document (arguments of fields and directives, variable defaults, every list item and
    object field counted): validation checks each against its type; 980 ids took ~28 ms, 300 up to ~23 ms."""

    def value(node: ValueNode | None) -> int:
        if isinstance(node, ListValueNode):
            return 1 + sum(value(item) for item in node.values)
        if isinstance(node, ObjectValueNode):
            return 1 + sum(value(item.value) for item in node.fields)
        return 0 if node is None else 1

    def arguments(node: Node) -> int:
        own = sum(value(argument.value) for argument in getattr(node, "arguments", None) or ())
        directives = sum(arguments(directive) for directive in getattr(node, "directives", None) or ())
        selection_set = getattr(node, "selection_set", None)
        inner = sum(arguments(item) for item in selection_set.selections) if selection_set else 0
        return own + directives + inner

    total = 0
    for definition in document.definitions:
        for variable in getattr(definition, "variable_definitions", None) or ():
            total += value(variable.default_value)
        total += arguments(definition)
    return total
