"""Parse, validation and cost of the viewer query priced piece by piece, in-process (no HTTP, best of several runs).

The request policy (`graph.policy.extensions`) parses through Strawberry's ParserCache (keyed by the query text and
the token limit), validates through Strawberry's ValidationCache (keyed by the cached document and the rule set,
the depth/alias rule included) and caches the cost per (query text, page-size variables); a repeated query pays
three look-ups, a new one pays parse, full validation and the cost walk once. The pieces are taken from the
extensions the schema's factories build, so they are the ones the requests use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from graphql import parse as graphql_parse
from graphql import specified_rules
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.schema import validate_document

from bench import shape
from bench.variants import built
from graph.policy import document_size
from graph.policy.extensions import ValidationAndCost

RUNS = 7
CALLS = 30
VARIABLES = {"first": shape.PAGE_SIZE}
Extension = TypeVar("Extension")


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


def one(extensions: list[Any], kind: type[Extension]) -> Extension:
    """The one extension of `kind` among those the schema's factories build."""
    found = [ext for ext in map(built, extensions) if isinstance(ext, kind)]
    assert len(found) == 1, f"expected one {kind.__name__} among the schema's extensions, found {len(found)}"
    return found[0]


def price_pieces(graphql_schema: Any, extensions: list[Any]) -> dict[str, float]:
    """Milliseconds per request of each piece of parse + validation + cost for the viewer query."""
    query, max_tokens = shape.VIEWER_QUERY, one(extensions, MaxTokensLimiter).max_token_count
    parse_cache, validation_cache = one(extensions, ParserCache), one(extensions, ValidationCache)
    cost = one(extensions, ValidationAndCost)
    document = parse_cache.cached_parse_document(query, max_tokens=max_tokens)  # the requests' cached document
    rules = (*specified_rules, *one(extensions, AddValidationRules).validation_rules)
    assert validation_cache.cached_validate_document(graphql_schema, document, rules) == [], "viewer query invalid"
    works: dict[str, Callable[[], Any]] = {
        "parse, no limit": lambda: graphql_parse(query),
        "parse with the token limit (a cache miss)": lambda: graphql_parse(query, max_tokens=max_tokens),
        "parse cache hit (keyed by the query text)": lambda: parse_cache.cached_parse_document(
            query, max_tokens=max_tokens
        ),
        "validate: graphql-core's specified rules + strawberry's 2": lambda: validate_document(
            graphql_schema, document, tuple(specified_rules)
        ),
        "validate: + depth and aliases (a cache miss)": lambda: validate_document(graphql_schema, document, rules),
        "validation cache hit (keyed by document and rule set)": lambda: validation_cache.cached_validate_document(
            graphql_schema, document, rules
        ),
        "cost walk on the document (a cache miss)": lambda: document_size.measure(document, VARIABLES),
        "cost cache hit (keyed by query text and page-size variables)": lambda: cost.measure(
            query, document, VARIABLES
        ),
    }
    return {name: round(ms, 3) for name, ms in best_ms(works).items()}
