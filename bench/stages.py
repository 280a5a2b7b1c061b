"""Where one GraphQL request's time goes, by stage: a timing extension and a timed get_context (bench only)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from bench.endpoints import Endpoint

STAGES = ("context", "parse", "validate", "execute", "operation")
STAGE_LABELS = {
    "context": "get_context (Bearer → sessions.resolve, 1 SELECT)",
    "parse": "parse (a cache hit by query text; the token limit's parse on a miss)",
    "validate": "validate + cost (cache hits: by document and rule set, by query text and page sizes)",
    "execute": "execute (resolvers, 3 SELECTs, result completion)",
    "extensions": "other extension hooks + result assembly",
    "transport": "HTTP in/out: httpx, Starlette, guard, view, JSON",
}


class StageClock:
    """Seconds spent per stage, summed over the requests measured."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def span(self, stage: str) -> Iterator[None]:
        """A generator hook body that adds its own duration to `stage`."""
        start = time.perf_counter()
        yield
        self.seconds[stage] += time.perf_counter() - start

    def extension(self) -> type[SchemaExtension]:
        """A schema extension class feeding this clock; put it first so it spans the others' hooks."""
        clock = self

        class StageTimer(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                yield from clock.span("operation")

            def on_parse(self) -> Iterator[None]:
                yield from clock.span("parse")

            def on_validate(self) -> Iterator[None]:
                yield from clock.span("validate")

            def on_execute(self) -> Iterator[None]:
                yield from clock.span("execute")

        return StageTimer

    def timed_context(self, get_context: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        """Wrap the view's get_context (authentication) to time it as its own stage."""

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await get_context(*args, **kwargs)
            finally:
                self.seconds["context"] += time.perf_counter() - start

        return wrapper


def breakdown_ms(clock: StageClock, total_s: float, requests: int) -> dict[str, float]:
    """Mean milliseconds per request and stage; what no hook covers is HTTP and the view."""
    per = {stage: clock.seconds[stage] * 1000 / requests for stage in STAGES}
    inner = per["parse"] + per["validate"] + per["execute"]
    total = total_s * 1000 / requests
    return {
        "context": per["context"],
        "parse": per["parse"],
        "validate": per["validate"],
        "execute": per["execute"],
        "extensions": per["operation"] - inner,
        "transport": total - per["operation"] - per["context"],
        "total": total,
    }


async def _timed_block(view: Any, schema: Any, endpoint: Endpoint, requests: int) -> dict[str, float]:
    """Time `requests` GraphQL requests with a stage clock installed, then restore view and schema."""
    clock = StageClock()
    extensions, own_context = schema.extensions, vars(view).get("get_context")
    get_context = view.get_context
    schema.extensions = [clock.extension(), *extensions]
    view.get_context = clock.timed_context(get_context)
    try:
        start = time.perf_counter()
        for _ in range(requests):
            await endpoint.send()
        total_s = time.perf_counter() - start
    finally:
        schema.extensions = extensions
        if own_context is None:
            del view.get_context  # back to the class's method
        else:
            view.get_context = own_context
    return breakdown_ms(clock, total_s, requests)


async def measure_stages(
    view: Any, schema: Any, endpoint: Endpoint, requests: int, blocks: int = 3
) -> dict[str, float]:
    """The fastest of `blocks` timed blocks (interference on a shared machine only ever slows)."""
    timed = [await _timed_block(view, schema, endpoint, requests) for _ in range(blocks)]
    return min(timed, key=lambda stages: stages["total"])
