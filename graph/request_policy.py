"""The per-request GraphQL policy as one schema extension: limits, caches, introspection gate, error presentation.

One extension rather than seven: Strawberry builds each extension's hook context managers on every request
(four hooks × seven extensions was ≈ 0.07 ms of a request that answers in ≈ 3 ms). The caches are keyed by the
query text (its hash is computed once per string), not by the parsed document, whose hash walks the whole AST.

- parse: the token limit, a bounded cache of documents per query text (texts up to CACHED_QUERY_CHARS: a few
  entries of megabytes each would otherwise be kept by anyone);
- validate: the schema's rules + depth and alias limits (+ no introspection unless dev or an administrator),
  a bounded cache of the errors per (query text, rule set);
- cost: fields × page sizes, refused above the cap and reported in `extensions.cost`, cached per (query text,
  values of the variables the document gives as `first`), the only variables it reads: a key holds only those, so
  a body of 300,000 unused variables cannot make a cache entry of that size;
- errors: masked when unexpected (codes of expected ones kept), field suggestions cut outside dev.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from db.models import StaffRole
from graph import document_size
from graph.errors import present

Value = TypeVar("Value")
CACHED_QUERY_CHARS = 20_000  # longer texts (a 6 MB comment or string fits the body cap) are never kept in a cache


class BoundedCache(Generic[Value]):
    """A small LRU map: at most `size` entries, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, Value] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        if key in self.entries:
            self.entries.move_to_end(key)
            return self.entries[key]
        value = compute()
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


@dataclass
class PolicyConfig:
    """The limits and the caches, shared by every request of one schema."""

    max_tokens: int
    max_cost: int
    fixed_rules: tuple[type[ASTValidationRule], ...]  # built once, so the rule set (a cache key) is stable
    cache_size: int

    def __post_init__(self) -> None:
        self.parse = lru_cache(maxsize=self.cache_size)(parse)
        self.validations: BoundedCache[list[GraphQLError]] = BoundedCache(self.cache_size)
        self.costs: BoundedCache[int] = BoundedCache(self.cache_size)
        self.page_variables: BoundedCache[tuple[str, ...]] = BoundedCache(self.cache_size)


def page_values(names: tuple[str, ...], variables: dict[str, Any] | None) -> tuple[int | None, ...]:
    """The cost's inputs among the variables: each page-size variable's value when an integer (else None, which
    the cost counts as the default page), clamped to 1..INT_MAX as the cost clamps it (a 10**50 is one small key)."""
    given = variables or {}
    return tuple(
        min(max(int(given[name]), 1), document_size.INT_MAX) if isinstance(given.get(name), int) else None
        for name in names
    )


def introspection_allowed(context: Any) -> bool:
    """Introspection in dev and test, or for administrators."""
    actor = getattr(context, "actor", None)
    return bool(context.settings.is_dev or (actor is not None and actor.has_role(StaffRole.ADMIN)))


class RequestPolicy(SchemaExtension):
    """See the module doc; one instance per request, the config (and its caches) per schema."""

    def __init__(self, config: PolicyConfig) -> None:
        self.config = config
        self.cost = 0
        self.cacheable = False

    def cached(self, cache: BoundedCache[Value], key: Hashable, compute: Callable[[], Value]) -> Value:
        """From the cache for a query text of a sensible length; computed afresh (and not kept) otherwise."""
        return cache.get(key, compute) if self.cacheable else compute()

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        self.cacheable = context.query is not None and len(context.query) <= CACHED_QUERY_CHARS
        context.parse_options["max_tokens"] = self.config.max_tokens
        rules = (*context.validation_rules, *self.config.fixed_rules)
        if not introspection_allowed(context.context):
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        context.validation_rules = rules
        yield
        result = context.result
        if result is not None and result.errors:
            hide = not context.context.settings.is_dev
            result.errors = [present(error, hide) for error in result.errors]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            parser = self.config.parse if self.cacheable else parse
            context.graphql_document = parser(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, query = context.graphql_document, context.query
        if document is not None and query is not None:
            rules = tuple(context.validation_rules)
            schema = context.schema._schema
            errors = self.cached(
                self.config.validations, (query, rules), lambda: validate_document(schema, document, rules)
            )
            names = self.cached(self.config.page_variables, query, lambda: document_size.page_variables(document))
            self.cost = self.cached(
                self.config.costs, (query, page_values(names, context.variables)), lambda: self.measure_cost(document)
            )
            if self.cost > self.config.max_cost:
                errors = [*errors, self.cost_error()]
            context.pre_execution_errors = list(errors)
        yield

    def measure_cost(self, document: DocumentNode) -> int:
        return document_size.measure(document, self.execution_context.variables or {}).cost

    def cost_error(self) -> GraphQLError:
        return GraphQLError(
            f"查询过于复杂（成本 {self.cost}，上限 {self.config.max_cost}）。",
            extensions={"code": "QUERY_TOO_COMPLEX"},
        )

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.config.max_cost}}
