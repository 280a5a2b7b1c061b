"""SECURITY check 25 measured: a trivial query's latency at rest and beside two clients sending the reported
validation attack (`viewer { realName }` ×490, 10 KB, a fresh comment each time so it misses every cache) back to
back, all in one process and event loop (httpx's ASGI transport), as `tests/graph/policy/test_document_budget.py`
does; and, with `--profile`, where a refusal's time goes (cProfile, top functions by own time).

    .venv/bin/python -m bench.check25 [--rounds 3] [--seconds 3] [--profile] [--no-refusal-limit]

Each round's attackers come from new addresses: they start with their whole allowance of refused documents per
minute (`GRAPHQL_MAX_REFUSALS_PER_MINUTE`), then are held. `--no-refusal-limit` lifts that limit, to price the
refusals themselves (token count, refused-fingerprint cache).

Reported, never gated (timings on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import os
import pstats
import shutil
import statistics
import sys
import time
from typing import Any

import httpx

from bench.env import load_average, prepare_environment

ATTACK = "{ " + " ".join(["viewer { realName }"] * 490) + " }"
WITHIN_TOKEN_CAP = "{ " + " ".join(["viewer { realName }"] * 240) + " }"  # refused by the budget after parsing
TRIVIAL = {"query": "{ __typename }"}
_fresh = itertools.count()
SORT = "tottime"


def fresh(query: str) -> str:
    return f"# {time.time_ns()}-{next(_fresh)}\n{query}"


def client(app: Any, host: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=60)


async def trivial_ms(app: Any, seconds: float) -> list[float]:
    samples = []
    async with client(app, "127.0.3.1") as http:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await http.post("/graphql", json=TRIVIAL)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.json()["data"] == {"__typename": "Query"}, response.text[:200]
    return samples


async def attacker(app: Any, host: str, document: str, stop: asyncio.Event, answers: dict[str, int]) -> None:
    async with client(app, host) as http:
        while not stop.is_set():
            response = await http.post("/graphql", json={"query": fresh(document)})
            code = response.json()["errors"][0]["extensions"]["code"]
            answers[code] = answers.get(code, 0) + 1


_addresses = itertools.count(1)


async def beside_attackers(app: Any, seconds: float, document: str) -> tuple[list[float], dict[str, int]]:
    """Two attackers from addresses not seen before (each starts with its whole refusal allowance)."""
    stop, answers = asyncio.Event(), dict[str, int]()
    hosts = [f"127.0.{4 + n // 250}.{1 + n % 250}" for n in (next(_addresses), next(_addresses))]
    tasks = [asyncio.create_task(attacker(app, host, document, stop, answers)) for host in hosts]
    try:
        samples = await trivial_ms(app, seconds)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    return samples, answers


async def profile_refusals(app: Any, document: str, count: int = 200) -> str:
    """Own time of the functions behind `count` refusals, one client, sequential."""
    profiler = cProfile.Profile()
    async with client(app, "127.0.5.1") as http:
        profiler.enable()
        for _ in range(count):
            await http.post("/graphql", json={"query": fresh(document)})
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(SORT).print_stats(30)
    return out.getvalue()


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


async def run(rounds: int, seconds: float, profile: bool) -> None:
    from bench import data
    from graph.app import create_app

    await data.migrate_fresh()
    app = create_app()
    async with app.router.lifespan_context(app):
        await trivial_ms(app, 0.5)  # warm up
        print(f"load average before: {load_average()}")
        for document, name in ((ATTACK, "×490 (over the token cap)"), (WITHIN_TOKEN_CAP, "×240 (within the cap)")):
            for round_ in range(rounds):
                rest = median(await trivial_ms(app, seconds))
                under, answers = await beside_attackers(app, seconds, document)
                print(
                    f"{name} round {round_ + 1}: trivial median {rest:.2f} ms at rest, {median(under):.2f} ms beside "
                    f"2 attackers ({median(under) / rest:.2f}×); attackers answered {answers}"
                )
        if profile:
            print(await profile_refusals(app, ATTACK))
        print(f"load average after: {load_average()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-refusal-limit", action="store_true")
    args = parser.parse_args()
    var_dir = prepare_environment()
    if args.no_refusal_limit:
        os.environ["GRAPHQL_MAX_REFUSALS_PER_MINUTE"] = str(10**9)
    try:
        asyncio.run(run(args.rounds, args.seconds, args.profile))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
