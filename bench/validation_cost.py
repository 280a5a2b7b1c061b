"""Parse and validation of the viewer query priced piece by piece, in-process (no HTTP, best of several runs).

The schema parses and validates through ParserCache and ValidationCache (one fixed rule set), and QueryCost
computes the cost on the parsed document; a repeated query pays the cache look-ups and the cost walk, a new one
pays parse and full validation once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from graphql import ASTValidationRule, DocumentNode, specified_rules
from graphql import parse as graphql_parse
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.schema import validate_document

from bench import shape
from graph.limits import QueryCost

RUNS = 7
CALLS = 30
VARIABLES = {"first": shape.PAGE_SIZE}


def best_ms(works: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Fastest mean per work over RUNS interleaved runs of CALLS calls (interference only ever slows)."""
    best = dict.fromkeys(works, float("inf"))
    for work in works.values():
        work()
    for _ in range(RUNS):
        for name, work in works.items():
            start = time.perf_counter()
            for _ in range(CALLS):
                work()
            best[name] = min(best[name], (time.perf_counter() - start) * 1000 / CALLS)
    return best


def configured_extensions(extensions: list[Any]) -> list[SchemaExtension]:
    """One instance of each of the schema's extensions (classes and factories alike are called)."""
    return [item() if callable(item) else item for item in extensions]


def _one(instances: list[SchemaExtension], kind: type[Any]) -> Any:
    found = [ext for ext in instances if isinstance(ext, kind)]
    assert len(found) == 1, f"expected one {kind.__name__} among the schema's extensions, found {len(found)}"
    return found[0]


def cost_on_document(extension: QueryCost, document: DocumentNode) -> int:
    """QueryCost's on_validate run on its own, as the schema runs it for a request (no rule class involved)."""
    extension.execution_context = SimpleNamespace(  # type: ignore[assignment]
        graphql_document=document, variables=VARIABLES, pre_execution_errors=None
    )
    hook = extension.on_validate()
    next(hook)
    next(hook, None)
    return extension.cost


def price_pieces(graphql_schema: Any, extensions: list[Any]) -> dict[str, float]:
    """Milliseconds per request of each piece of parse + validation for the viewer query."""
    instances = configured_extensions(extensions)
    max_tokens: int = _one(instances, MaxTokensLimiter).max_token_count
    fixed: list[type[ASTValidationRule]] = _one(instances, AddValidationRules).validation_rules
    parser_cache: ParserCache = _one(instances, ParserCache)
    validation_cache: ValidationCache = _one(instances, ValidationCache)
    query_cost: QueryCost = _one(instances, QueryCost)
    query = shape.VIEWER_QUERY
    document = parser_cache.cached_parse_document(query, max_tokens=max_tokens)  # the app's cached document
    rules = (*specified_rules, *fixed)  # execution_context.validation_rules after AddValidationRules
    assert validation_cache.cached_validate_document(graphql_schema, document, rules) == [], "viewer query invalid"
    assert cost_on_document(query_cost, document) > 0
    works: dict[str, Callable[[], Any]] = {
        "parse, no limit": lambda: graphql_parse(query),
        "parse with the token limit (a ParserCache miss)": lambda: graphql_parse(query, max_tokens=max_tokens),
        "ParserCache hit (lru_cache on the query text)": lambda: parser_cache.cached_parse_document(
            query, max_tokens=max_tokens
        ),
        "validate: graphql-core's specified rules + strawberry's 2": lambda: validate_document(
            graphql_schema, document, tuple(specified_rules)
        ),
        "validate: the schema's rule set, + depth + aliases (a ValidationCache miss)": lambda: validate_document(
            graphql_schema, document, rules
        ),
        "ValidationCache hit (lru_cache key hashes the document)": lambda: validation_cache.cached_validate_document(
            graphql_schema, document, rules
        ),
        "  of which hash(document) (a frozen dataclass: the whole AST, every call)": lambda: hash(document),
        "QueryCost.on_validate (cost walk on the document)": lambda: cost_on_document(query_cost, document),
    }
    return {name: round(ms, 3) for name, ms in best_ms(works).items()}
