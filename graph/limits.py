"""Request limits: query cost, introspection gate, error presentation (Strawberry schema extensions)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from db.models import StaffRole
from graph.errors import present

DEFAULT_PAGE = 100  # a connection whose `first` is a variable not given counts at the maximum page


def _page_size(node: FieldNode, variables: dict[str, Any]) -> int:
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(int(value.value), 1)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(int(given), 1) if isinstance(given, int) else DEFAULT_PAGE
    return 1


def selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> int:
    """Fields count 1 each; a field with `first: n` multiplies what is under it by n."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            inner = selection_cost(selection.selection_set, fragments, variables, seen)
            total += 1 + _page_size(selection, variables) * inner
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue
            total += selection_cost(fragments[name].selection_set, fragments, variables, seen | {name})
    return total


class QueryCost(SchemaExtension):
    """Estimates the operation's cost on the parsed document, rejects it above the cap, reports it.

    Computed beside validation rather than as a validation rule, so validation depends only on the document and
    a fixed rule set and ValidationCache can serve it. List it after ValidationCache: it adds to those errors.
    """

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost = 0

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, variables = context.graphql_document, context.variables or {}
        if document is not None:
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            self.cost = max((selection_cost(op.selection_set, fragments, variables) for op in operations), default=0)
            if self.cost > self.max_cost:
                error = GraphQLError(
                    f"查询过于复杂（成本 {self.cost}，上限 {self.max_cost}）。",
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
                context.pre_execution_errors = [*(context.pre_execution_errors or []), error]
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}}


class IntrospectionGate(SchemaExtension):
    """Introspection for administrators and in dev/test only."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        actor = getattr(context, "actor", None)
        allowed = context.settings.is_dev or (actor is not None and actor.has_role(StaffRole.ADMIN))
        if not allowed:
            rules = self.execution_context.validation_rules
            self.execution_context.validation_rules = (*rules, NoSchemaIntrospectionCustomRule)
        yield


class PresentErrors(SchemaExtension):
    """Masks unexpected errors (keeping codes of expected ones) and hides field suggestions in production."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        hide = not self.execution_context.context.settings.is_dev
        result.errors = [present(error, hide) for error in result.errors]
