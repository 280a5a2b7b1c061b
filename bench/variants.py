"""The schema's request policy and executor switched at run time (bench only), to price each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


@dataclass(frozen=True)
class Variant:
    """What the schema runs with: its extension list and its execution context class."""

    extensions: list[Any]
    executor: type[Any]


def variants(schema: Any) -> dict[str, Variant]:
    """As configured, with graphql-core's standard execution, and with no extensions at all."""
    configured, planned = list(schema.extensions), schema.execution_context_class
    return {
        "as configured (RequestPolicy, planned execution)": Variant(configured, planned),
        "standard execution (Strawberry's executor, no field plans)": Variant(
            configured, StrawberryGraphQLCoreExecutionContext
        ),
        "no extensions (no limits, no caches), planned execution": Variant([], planned),
    }


def apply(schema: Any, variant: Variant) -> None:
    schema.extensions = variant.extensions
    schema.execution_context_class = variant.executor
