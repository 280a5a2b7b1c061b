"""`--profile`: where the GraphQL request's time goes — stages, the request policy's price, cProfile by area."""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import connections

from bench import data
from bench.endpoints import Endpoint
from bench.execution import execution_costs
from bench.stages import measure_stages
from bench.timing import rotation
from bench.validation_cost import price_pieces
from bench.variants import apply, variants
from domain import trail

STAGE_REQUESTS = 50
VARIANT_ROUNDS = 4
VARIANT_REQUESTS = 50
CPROFILE_REQUESTS = 100
AREAS = (  # first match wins: (label, path fragments)
    ("graphql-core validation", ("graphql/validation", "graphql/utilities/type_info", "graphql/language/visitor")),
    ("graphql-core parser", ("graphql/language",)),
    ("graphql-core execution", ("graphql/execution",)),
    ("strawberry extensions (runner, tokens, caches, depth/alias rules)", ("strawberry/extensions",)),
    ("portal request policy (graph/policy/)", ("graph/policy/",)),
    ("strawberry (view, schema, fields, relay)", ("strawberry/",)),
    ("Tortoise ORM + pypika", ("tortoise/", "pypika")),
    ("aiosqlite + sqlite3", ("aiosqlite", "sqlite3")),
    ("HTTP stack (httpx, Starlette, cross_web)", ("httpx", "httpcore", "starlette", "cross_web", "anyio")),
    ("asyncio event loop", ("asyncio",)),
    ("portal code (graph/, domain/)", ("/graph/", "/domain/")),
    ("json", ("json",)),
)
TRAIL_PAGE_SQL = "SELECT * FROM trail_entry WHERE person_id = ? ORDER BY seq DESC LIMIT 21"  # domain.trail.page


def graphql_view(app: Any) -> Any:
    """The PortalGraphQL instance behind /graphql."""
    return next(route.app for route in app.routes if getattr(route, "path", "") == "/graphql")


async def _rate(endpoint: Endpoint, requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        await endpoint.send()
    return requests / (time.perf_counter() - start)


async def _check_clean(endpoint: Endpoint, name: str) -> None:
    body = await endpoint.json()
    assert "errors" not in body and body["data"]["viewer"] is not None, f"variant {name!r}: {body}"


async def compare_variants(schema: Any, endpoint: Endpoint) -> dict[str, float]:
    """Requests/s of GraphQL per extension list, interleaved rounds, best round kept (noise is one-sided)."""
    choices = variants(schema)
    names = list(choices)
    best: dict[str, float] = dict.fromkeys(names, 0.0)
    configured = choices[names[0]]
    try:
        for round_index in range(VARIANT_ROUNDS):
            for name in rotation(names, round_index):
                apply(schema, choices[name])
                await _check_clean(endpoint, name)
                await _rate(endpoint, 10)  # warm the caches of the variant
                best[name] = max(best[name], await _rate(endpoint, VARIANT_REQUESTS))
    finally:
        apply(schema, configured)
    return best


def _area(filename: str, function: str) -> str:
    if filename == "~":
        return "waiting on the SQLite thread (epoll)" if "poll" in function else "builtins (getattr, hash, …)"
    return next((label for label, parts in AREAS if any(p in filename for p in parts)), "other")


def _by_area(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) per area, in percent of the profiled total."""
    areas: dict[str, float] = {}
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in raw.items():
        label = _area(filename, function)
        areas[label] = areas.get(label, 0.0) + own
    total = sum(areas.values()) or 1.0
    return {k: round(100 * v / total, 1) for k, v in sorted(areas.items(), key=lambda kv: -kv[1])}


def _top_functions(stats: pstats.Stats, count: int = 8) -> list[str]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:count]
    return [
        f"{own * 1000 / CPROFILE_REQUESTS:6.3f} ms/req  {filename.split('site-packages/')[-1]}:{line} {function}"
        for (filename, line, function), (_cc, _nc, own, _cum, _callers) in rows
    ]


async def cprofile(endpoint: Endpoint) -> dict[str, Any]:
    """cProfile over GraphQL requests (inflates call-heavy code such as the validation visitor)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(CPROFILE_REQUESTS):
        await endpoint.send()
    profiler.disable()
    stats = pstats.Stats(profiler)
    return {"own_time_percent_by_area": _by_area(stats), "top_functions_by_own_time": _top_functions(stats)}


async def trail_page_plan(person_id: int) -> list[str]:
    """SQLite's plan for the trail page query of domain.trail.page (ORDER BY seq DESC on person_id)."""
    rows = await connections.get("default").execute_query_dict(f"EXPLAIN QUERY PLAN {TRAIL_PAGE_SQL}", [person_id])
    return [row["detail"] for row in rows]


async def _mean_ms(work: Callable[[], Awaitable[object]], calls: int = 20) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await work()
    return (time.perf_counter() - start) * 1000 / calls


async def large_trail(person_id: int) -> dict[str, Any]:
    """On the large trail: the page query the viewer runs, and the COUNT it no longer runs (for comparison)."""
    return {
        "page_ms": round(await _mean_ms(lambda: trail.page(person_id, 20, None)), 3),
        "count_ms": round(await _mean_ms(lambda: trail.count(person_id)), 3),
        "plan": await trail_page_plan(person_id),
    }


async def profile_graphql(app: Any, endpoint: Endpoint, fixture: data.Fixture) -> dict[str, Any]:
    """The whole breakdown, as one JSON-ready dict."""
    view = graphql_view(app)
    await data.refresh_session(fixture)
    stages = await measure_stages(view, view.schema, endpoint, STAGE_REQUESTS)
    return {
        "stages_ms_per_request": {k: round(v, 3) for k, v in stages.items()},
        "parse_and_validation_ms": price_pieces(view.schema._schema, view.schema.extensions),
        "variants_requests_per_s": {k: round(v, 1) for k, v in (await compare_variants(view.schema, endpoint)).items()},
        "execution_ms": await execution_costs(app, view.schema, fixture),
        "cprofile": await cprofile(endpoint),
        "trail_page_plan": await trail_page_plan(fixture.person_id),
    }
