"""Interleaved rounds: every endpoint runs a block of requests per round, in a rotating order."""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field
from typing import TypeVar

from bench.endpoints import Endpoint

T = TypeVar("T")


@dataclass
class Throughput:
    """Requests per second of one endpoint, one figure per round."""

    name: str
    per_round_rps: list[float] = field(default_factory=list)

    @property
    def median_rps(self) -> float:
        """The figure reported: the median round (robust to a noisy neighbour on the machine)."""
        return statistics.median(self.per_round_rps)

    @property
    def mean_latency_ms(self) -> float:
        """Mean time per request at the median rate."""
        return 1000.0 / self.median_rps

    def as_json(self) -> dict[str, object]:
        """For var/bench-results.json."""
        return {
            "requests_per_s": round(self.median_rps, 1),
            "mean_latency_ms": round(self.mean_latency_ms, 3),
            "per_round_requests_per_s": [round(rps, 1) for rps in self.per_round_rps],
        }


async def _block(endpoint: Endpoint, requests: int) -> float:
    """`requests` sequential requests; the elapsed seconds. Any status but 200 fails the bench."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(requests):
        response = await endpoint.send()
        if response.status_code != 200:
            raise AssertionError(f"{endpoint.name}: HTTP {response.status_code} during timing")
    return time.perf_counter() - start


async def warm_up(endpoints: list[Endpoint], requests: int) -> None:
    """Untimed requests first: imports, caches and the connection are warm before any round."""
    for endpoint in endpoints:
        await _block(endpoint, requests)


def rotation(items: list[T], round_index: int) -> list[T]:
    """Round r starts with item r mod n, so each one takes every position in turn."""
    shift = round_index % len(items)
    return items[shift:] + items[:shift]


async def interleaved(endpoints: list[Endpoint], rounds: int, requests: int) -> dict[str, Throughput]:
    """`rounds` rounds of `requests` requests per endpoint, all in one run on the same data."""
    results = {endpoint.name: Throughput(endpoint.name) for endpoint in endpoints}
    for round_index in range(rounds):
        for endpoint in rotation(endpoints, round_index):
            elapsed = await _block(endpoint, requests)
            results[endpoint.name].per_round_rps.append(requests / elapsed)
    return results
