"""Parse and validation of the viewer query priced piece by piece, in-process (no HTTP, best of several runs).

The schema's RequestPolicy parses through a cache keyed by the query text, validates through a cache keyed by
(query text, rule set) and caches the cost per (query text, page-size variables); a repeated query pays three
look-ups, a new one pays parse, full validation and the cost walk once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from graphql import parse as graphql_parse
from graphql import specified_rules
from strawberry.schema.schema import validate_document

from bench import shape
from graph import document_size
from graph.request_policy import PolicyConfig, RequestPolicy, page_values

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


def policy_config(extensions: list[Any]) -> PolicyConfig:
    """The config (limits and caches) of the schema's one RequestPolicy."""
    policies = [ext for ext in (item() for item in extensions) if isinstance(ext, RequestPolicy)]
    assert len(policies) == 1, f"expected one RequestPolicy among the schema's extensions, found {len(policies)}"
    return policies[0].config


def price_pieces(graphql_schema: Any, extensions: list[Any]) -> dict[str, float]:
    """Milliseconds per request of each piece of parse + validation for the viewer query."""
    config = policy_config(extensions)
    query = shape.VIEWER_QUERY
    document = config.parse(query, max_tokens=config.max_tokens)  # the app's cached document
    rules = (*specified_rules, *config.fixed_rules)
    assert validate_document(graphql_schema, document, rules) == [], "viewer query invalid"
    works: dict[str, Callable[[], Any]] = {
        "parse, no limit": lambda: graphql_parse(query),
        "parse with the token limit (a cache miss)": lambda: graphql_parse(query, max_tokens=config.max_tokens),
        "parse cache hit (keyed by the query text)": lambda: config.parse(query, max_tokens=config.max_tokens),
        "validate: graphql-core's specified rules + strawberry's 2": lambda: validate_document(
            graphql_schema, document, tuple(specified_rules)
        ),
        "validate: + depth and aliases (a cache miss)": lambda: validate_document(graphql_schema, document, rules),
        "validation cache hit (keyed by query text and rule set)": lambda: config.validations.get(
            (query, rules), lambda: []
        ),
        "cost walk on the document (a cache miss)": lambda: document_size.measure(document, VARIABLES),
        "cost cache hit (keyed by query text and page-size variables)": lambda: config.costs.get(
            (query, page_values(config.page_variables.get(query, lambda: ()), VARIABLES)), lambda: 0
        ),
    }
    return {name: round(ms, 3) for name, ms in best_ms(works).items()}
