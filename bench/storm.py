"""A login storm (issue 8, item 12): N login clients, each from its own loopback address, request a captcha, read
its answer from the dev route and log in, as fast as they can, while M dashboard clients query `viewer` with a
Bearer token. The dashboard's latency at rest and during the storm; reported, never gated."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench import shape
from bench.data import BENCH_ID_NUMBER, BENCH_PASSWORD
from bench.env import load_average

TARGET_RATIO = 3.0  # p99 during the storm ≤ 3 × p99 at rest
CAPTCHA_QUERY = json.dumps({"query": "query { captcha { id } }"}).encode()
LOGIN_MUTATION = """mutation($input: LoginInput!) { login(input: $input) { token errors { code } } }"""
JSON_HEADERS = {"content-type": "application/json"}


@dataclass(frozen=True)
class StormOptions:
    """Command-line knobs: seconds per phase, login clients, dashboard clients."""

    seconds: float = 4.0
    logins: int = 8
    dashboards: int = 4


@dataclass
class Latencies:
    """Dashboard request latencies of one phase, in milliseconds."""

    samples_ms: list[float] = field(default_factory=list)
    loop_cpu_share: float = 0.0  # the event loop thread's CPU seconds over the phase's wall seconds

    def percentile(self, p: int) -> float:
        """The p-th percentile (statistics.quantiles, inclusive method)."""
        if len(self.samples_ms) < 2:
            return self.samples_ms[0] if self.samples_ms else float("nan")
        return statistics.quantiles(self.samples_ms, n=100, method="inclusive")[p - 1]

    def as_json(self) -> dict[str, object]:
        return {
            "requests": len(self.samples_ms),
            "p50_ms": round(self.percentile(50), 2),
            "p99_ms": self.p99,
            "loop_cpu_share": round(self.loop_cpu_share, 2),
        }

    @property
    def p99(self) -> float:
        return round(self.percentile(99), 2)


@dataclass
class StormResult:
    """Both phases, the login outcomes during the storm, the load average around the run."""

    options: StormOptions
    at_rest: Latencies = field(default_factory=Latencies)
    during: Latencies = field(default_factory=Latencies)
    outcomes: dict[str, int] = field(default_factory=dict)
    load_before: str = field(default_factory=load_average)
    load_after: str = ""

    @property
    def ratio(self) -> float:
        return self.during.percentile(99) / self.at_rest.percentile(99)

    @property
    def logins_per_s(self) -> float:
        return self.outcomes.get("ok", 0) / self.options.seconds

    def as_json(self) -> dict[str, object]:
        return {
            "seconds_per_phase": self.options.seconds,
            "login_clients": self.options.logins,
            "dashboard_clients": self.options.dashboards,
            "at_rest": self.at_rest.as_json(),
            "during_storm": self.during.as_json(),
            "p99_ratio": round(self.ratio, 2),
            "target_ratio": TARGET_RATIO,
            "logins_per_s": round(self.logins_per_s, 1),
            "login_outcomes": self.outcomes,
            "load_average": {"before": self.load_before, "after": self.load_after},
        }


def _client(app: Any, host: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=60)


async def _dashboard(client: httpx.AsyncClient, token: str, deadline: float, found: Latencies) -> None:
    """Sequential viewer queries until the deadline; every answer must be a 200 with the viewer."""
    body = json.dumps({"query": shape.VIEWER_QUERY, "variables": {"first": shape.PAGE_SIZE}}).encode()
    headers = JSON_HEADERS | {"authorization": f"Bearer {token}"}
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        response = await client.post("/graphql", content=body, headers=headers)
        found.samples_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.json()["data"]["viewer"], response.text[:200]


async def login_once(client: httpx.AsyncClient) -> str:
    """One captcha, its answer from /dev/captcha, one login: "ok" or the first error code."""
    captcha_id = (await client.post("/graphql", content=CAPTCHA_QUERY, headers=JSON_HEADERS)).json()
    captcha_id = captcha_id["data"]["captcha"]["id"]
    answer = (await client.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
    form = {"idNumber": BENCH_ID_NUMBER, "password": BENCH_PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}
    body = json.dumps({"query": LOGIN_MUTATION, "variables": {"input": form}}).encode()
    response = await client.post("/graphql", content=body, headers=JSON_HEADERS)
    assert response.status_code == 200, response.text[:200]
    login = response.json()["data"]["login"]
    return "ok" if login["token"] else str(login["errors"][0]["code"])


async def _login_client(client: httpx.AsyncClient, deadline: float, outcomes: dict[str, int]) -> None:
    while time.perf_counter() < deadline:
        outcome = await login_once(client)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1


async def _phase(app: Any, token: str, options: StormOptions, found: Latencies, outcomes: dict[str, int]) -> None:
    """The dashboards for `options.seconds`, with `options.logins` login clients beside them (0: at rest)."""
    started, cpu = time.perf_counter(), time.thread_time()  # the loop's thread: ours, we run on it
    deadline = started + options.seconds
    dashboards = [_client(app, f"127.0.1.{index + 1}") for index in range(options.dashboards)]
    storm = [_client(app, f"127.0.0.{index + 1}") for index in range(options.logins)]
    tasks = [_dashboard(client, token, deadline, found) for client in dashboards]
    tasks += [_login_client(client, deadline, outcomes) for client in storm]
    try:
        await asyncio.gather(*tasks)
        found.loop_cpu_share = (time.thread_time() - cpu) / (time.perf_counter() - started)
    finally:
        for client in dashboards + storm:
            await client.aclose()


async def measure_storm(app: Any, token: str, options: StormOptions) -> StormResult:
    """Warm up (a login from another address, a few dashboard queries), then the dashboards alone, then with the
    storm; the login throttle's keys start empty for the storm's addresses."""
    result = StormResult(options)
    async with _client(app, "127.0.2.1") as warm:
        assert await login_once(warm) == "ok", "the bench person cannot log in"
    at_rest = StormOptions(options.seconds, 0, options.dashboards)
    await _phase(app, token, StormOptions(1.0, 0, options.dashboards), Latencies(), {})
    await _phase(app, token, at_rest, result.at_rest, {})
    await _phase(app, token, options, result.during, result.outcomes)
    result.load_after = load_average()
    return result


def print_storm(found: StormResult) -> None:
    """The two phases, the ratio against the 3× target (PASS/MISS: reported, not gated), logins/s."""
    options = found.options
    print(
        f"\n-- login storm: {options.logins} login clients (captcha + answer + login, each its own address) and "
        f"{options.dashboards} dashboard clients (viewer, Bearer), {options.seconds:g} s per phase"
    )
    print(f"   load average (1/5/15 min) before: {found.load_before}, after: {found.load_after}")
    print(f"   {'dashboard viewer query':<26}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'loop CPU':>10}")
    for label, phase in (("at rest", found.at_rest), ("during the storm", found.during)):
        p50, p99, share = phase.percentile(50), phase.percentile(99), phase.loop_cpu_share
        print(f"   {label:<26}{len(phase.samples_ms):>9}{p50:>9.1f}{p99:>9.1f}{share:>10.0%}")
    verdict = "PASS" if found.ratio <= TARGET_RATIO else "MISS"
    print(f"   p99 during / at rest: {found.ratio:.2f}×  (target ≤ {TARGET_RATIO:g}×: {verdict}; reported, not gated)")
    outcomes = ", ".join(f"{count} {name}" for name, count in sorted(found.outcomes.items()))
    print(f"   logins: {found.logins_per_s:.1f}/s succeeded; attempts: {outcomes}")
