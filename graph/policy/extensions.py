"""The request policy as schema extensions: Strawberry's own where they fit, ours for what Strawberry lacks.

- tokens: counted before any parse by the document gate (`gate.py`: also refused fingerprints and refusals per
  address), and Strawberry's `MaxTokensLimiter` in the parser behind it;
- parse and validation: Strawberry's `ParserCache` and `ValidationCache`, bounded by query length: a text over
  CACHED_QUERY_CHARS (a 6 MB comment or string fits the body cap) is parsed and validated afresh and never kept,
  or a few such entries would pin gigabytes; every document is validated, whatever its length or cost;
- document budget: selections (fragments expanded) and same-path field pairs, checked before validation
  (`budget.py`), and a named operation required when the document holds several;
- depth and aliases: a validation rule measuring the fragment-expanded operation (`limits.py`), added with
  Strawberry's `AddValidationRules`;
- introspection: refused per request unless the caller may introspect (`graph.permissions.may_introspect`);
- transport: subscriptions over the WebSocket only, nothing else there; streamed results presented (`streams.py`);
- cost: fields × page sizes on the fragment-expanded operation, refused above the cap and reported in
  `extensions.cost`, cached per (query text, values of the variables given as `first`), the only variables it reads.

Errors are presented once, on their way out, by the view (`graph.view`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from domain.kernel.settings import Settings
from graph.permissions import may_introspect
from graph.policy import document_size
from graph.policy.budget import document_refusal
from graph.policy.codes import TopLevelCode
from graph.policy.gate import CACHED_QUERY_CHARS, DocumentGate, GateBook, count_refusal
from graph.policy.limits import document_limits_rule
from graph.policy.lru import BoundedCache
from graph.policy.streams import StreamPresentation, TransportGate

CACHE_SIZE = 256  # distinct documents kept parsed, validated and costed (bounded: clients can send anything)


def cacheable(query: str | None) -> bool:
    """Only texts of a sensible length enter a cache."""
    return query is not None and len(query) <= CACHED_QUERY_CHARS


class BoundedParserCache(ParserCache):
    """Strawberry's parse cache for texts up to CACHED_QUERY_CHARS; longer ones, and those that do not parse,
    Strawberry parses itself (its `stream`, the WebSocket's path, lets a parse error raised in this hook escape)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if cacheable(context.query):
            try:
                context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
            except GraphQLError:  # Strawberry parses it again where its error is reported (as a stream's too)
                context.graphql_document = None
        yield


class IntrospectionGate(SchemaExtension):
    """No introspection unless dev, test or an administrator (the rule set, a validation cache key, says which)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        if not may_introspect(context.context):
            context.validation_rules = (*context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield


@dataclass
class CostBook:
    """The cost cap and the caches of one schema: page-size variables per text, cost per (text, their values)."""

    max_cost: int
    costs: BoundedCache[int] = field(default_factory=lambda: BoundedCache(CACHE_SIZE))
    page_variables: BoundedCache[tuple[str, ...]] = field(default_factory=lambda: BoundedCache(CACHE_SIZE))


def page_values(names: tuple[str, ...], variables: dict[str, Any] | None) -> tuple[int | None, ...]:
    """The cost's inputs among the variables: each page-size variable's value, each `ids` list's length (a list
    of 33,000 ids is one small key), as the cost weighs them."""
    given = variables or {}
    return tuple(document_size.variable_weight(given.get(name)) for name in names)


def provided_operation_name(context: ExecutionContext) -> str | None:
    """The operationName the client sent, as the view recorded it on our context (Strawberry's `operation_name`
    falls back to the first operation's, which is what must not happen silently)."""
    sent = getattr(context.context, "sent_operation_name", None)
    name: str | None = sent() if sent is not None else None
    return name


class ValidationAndCost(ValidationCache):
    """Validation, then the cost, in one hook so that neither can skip the other: Strawberry's validation cache for
    texts up to CACHED_QUERY_CHARS, the same validation uncached for longer ones; then an operation costing more
    than the cap is refused before execution, and its cost reported."""

    def __init__(self, book: CostBook, gate: GateBook, settings: Settings, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.uncached = ValidationCache(maxsize=0)
        self.book = book
        self.gate = gate
        self.settings = settings
        self.cost = 0

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, query = context.graphql_document, context.query
        if document is None or query is None:
            yield
            return
        refusal = document_refusal(document, provided_operation_name(context), self.settings)
        if refusal is None:  # the budget, checked before any validation rule runs, is what keeps validation cheap
            validator = self if cacheable(query) else self.uncached
            validator.execution_context = context
            next(ValidationCache.on_validate(validator))  # its part before the step: sets pre_execution_errors
        elif (refusal.extensions or {}).get("code") != TopLevelCode.OPERATION_NAME_REQUIRED.value:
            self.gate.remember_refusal(query, refusal)  # decided by the document alone: the gate refuses it again
        self.cost = self.measure(query, document, context.variables)
        errors = [refusal] if refusal else list(context.pre_execution_errors or [])
        if self.cost > self.book.max_cost and refusal is None:
            errors.append(self.cost_error())
        context.pre_execution_errors = errors
        if errors:
            count_refusal(context.context, errors)
        else:
            self.gate.admit(query)
        yield

    def measure(self, query: str, document: DocumentNode, variables: dict[str, Any] | None) -> int:
        def compute() -> int:
            return document_size.measure(document, variables or {}).cost

        if not cacheable(query):
            return compute()
        names = self.book.page_variables.get(query, lambda: document_size.page_variables(document))
        return self.book.costs.get((query, page_values(names, variables)), compute)

    def cost_error(self) -> GraphQLError:
        return GraphQLError(
            f"查询过于复杂（成本 {self.cost}，上限 {self.book.max_cost}）。",
            extensions={"code": TopLevelCode.QUERY_TOO_COMPLEX.value},
        )

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.book.max_cost}}


def request_policy(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The schema's extension factories, in hook order; the caches live as long as the schema."""
    limits = document_limits_rule(settings.graphql_max_depth, settings.graphql_max_aliases)
    book = CostBook(max_cost=settings.graphql_max_cost)
    gate = GateBook(settings.graphql_max_tokens)
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: AddValidationRules([limits]),
        IntrospectionGate,
        lambda: DocumentGate(gate),
        lambda: BoundedParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationAndCost(book, gate, settings, maxsize=CACHE_SIZE),
        TransportGate,
        StreamPresentation,
    ]
