"""Request limits: query cost, introspection gate, error presentation (Strawberry schema extensions)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, ValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from db.models import StaffRole
from graph import document_size
from graph.errors import present


def document_limits_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule (built once per schema, so validation stays cacheable) for depth and aliases,
    measured on the fragment-expanded operation in linear time."""

    class DocumentLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            size = document_size.measure(node)
            if size.depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"查询嵌套过深（{size.depth} 层，上限 {max_depth}）/ "
                        f"exceeds maximum operation depth of {max_depth}.",
                        extensions={"code": "QUERY_TOO_DEEP"},
                    )
                )
            if size.aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"别名过多（{size.aliases} 个，上限 {max_aliases}）/ "
                        f"{size.aliases} aliases, at most {max_aliases}.",
                        extensions={"code": "TOO_MANY_ALIASES"},
                    )
                )

    return DocumentLimits


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
            self.cost = document_size.measure(document, variables).cost
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
