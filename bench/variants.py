"""`--profile`: the schema's request policy switched at run time (bench only), to price it.

The policy is the list of extension factories of `graph.policy.extensions.request_policy`; a variant is a list of
factories the schema runs with instead (Strawberry builds its extensions from `schema.extensions` per request).
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

CACHES = (ParserCache, ValidationCache)


def built(factory: Any) -> SchemaExtension:
    """The extension a factory of `schema.extensions` gives, as Strawberry builds it for a request."""
    return factory if isinstance(factory, SchemaExtension) else factory()


def is_cache(factory: Any) -> bool:
    """Whether a factory builds one of Strawberry's parse/validation caches (the policy's bounded subclasses)."""
    return isinstance(built(factory), CACHES)


def variants(schema: Any) -> dict[str, list[Any]]:
    """As configured, without the two caches (every request parses and validates), and with no extensions."""
    configured = list(schema.extensions)
    uncached = [factory for factory in configured if not is_cache(factory)]
    assert len(uncached) == len(configured) - len(CACHES), "expected one parse and one validation cache"
    return {
        f"as configured (request policy: {len(configured)} extensions)": configured,
        f"without the parse and validation caches ({len(uncached)} extensions)": uncached,
        "no extensions (no limits, no caches, no cost)": [],
    }


def apply(schema: Any, extensions: list[Any]) -> None:
    schema.extensions = extensions
