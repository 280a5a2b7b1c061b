"""The review queue's first page at 1M applications against 1k (issue 10, gate ≤ 1.2×): `reviewQueue(first: 20)`
through GraphQL over HTTP for a ministry reviewer and an enterprise reviewer. The two sizes are two copies of the
bench database (same staff and sessions), one with 1k applications, one with 1M (raw SQL executemany, the seeding
timed); the app switches between them round by round, so a change of load on the machine hits both sizes alike.
Both spread the same way: a quarter decided (outside every queue), a quarter in the ministry's queue, a quarter in
enterprises' queues (half of them the measured enterprise's), a quarter in specialty reviews. The plans are printed
and checked: each page query one index range, no scan, no sort. The run goes on with the 1k copy."""

from __future__ import annotations

import gc
import json
import shutil
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise, connections

from bench.data import BENCH_META
from bench.endpoints import CLIENT_ADDRESS
from db.config import tortoise_config
from db.models import Enterprise, StaffRole, StaffUser
from domain.accounts import sessions
from domain.accounts.dev_seed import credit_code
from domain.kernel import clock
from domain.kernel.settings import get_settings
from domain.review.queue import QueueRequest, key_query

SMALL, LARGE = 1_000, 1_000_000
GATE = 1.2
QUEUE_ROUNDS, QUEUE_REQUESTS, WARMUP = 10, 40, 10
BATCH = 50_000
BASE = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
QUERY = """query($first: Int!) { reviewQueue(first: $first) { pageInfo { hasNextPage endCursor }
  edges { cursor node { stage enteredAt deadline overdue workdaysLeft findings { code severity rule }
  application { id kind status submittedAt } } } } }"""
COLUMNS = (
    "person_id, kind, status, temporary, specialty_codes, details, terms_version, terms_accepted_at, submitted_at,"
    " updated_at, decided_at, version, queue_key, stage_entered_at, stage_deadline_on"
)
INSERT = f"INSERT INTO application ({COLUMNS}) VALUES ({', '.join('?' * 15)})"


@dataclass
class QueueBench:
    """Per-round mean latency (ms) per reviewer at each size; the plans; how long 1M rows took to write."""

    small_ms: dict[str, list[float]] = field(default_factory=dict)
    large_ms: dict[str, list[float]] = field(default_factory=dict)
    seed_s: float = 0.0
    plans: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def ratio(self, who: str) -> float:
        """Best round at 1M over best round at 1k (rounds interleaved; the best rounds are the least disturbed)."""
        return min(self.large_ms[who]) / min(self.small_ms[who])

    def median_ratio(self, who: str) -> float:
        """The median of the rounds at 1M over that at 1k (printed beside the gated figure)."""
        return statistics.median(self.large_ms[who]) / statistics.median(self.small_ms[who])

    @property
    def bad_plans(self) -> list[str]:
        return [plan for plan in self.plans.values() if "SCAN application" in plan or "TEMP B-TREE" in plan]

    @property
    def passed(self) -> bool:
        return all(self.ratio(who) <= GATE for who in self.small_ms) and not self.bad_plans


def row(n: int, person_id: int, enterprise_id: int) -> tuple[Any, ...]:
    """The n-th application as raw column values (SQLite's text form of dates and times)."""
    entered = BASE + timedelta(seconds=n * 7)
    when = entered.isoformat(sep=" ")
    part = n % 4
    if part == 0:
        status, key = "APPROVED", None
    elif part == 1:
        status, key = "MINISTRY_REVIEW", "MINISTRY_REVIEW|M"
    elif part == 2:
        scope = enterprise_id if n % 8 == 2 else 100_000 + n % 997  # half the measured enterprise's
        status, key = "ENTERPRISE_CONFIRMATION", f"ENTERPRISE_CONFIRMATION|E:{scope}"
    else:
        status, key = "SPECIALTY_REVIEW", f"SPECIALTY_REVIEW|S:0{2 + n % 5}"
    deadline = (entered + timedelta(days=28)).date().isoformat() if key else None
    return (person_id, "INITIAL", status, 0, '["01"]', "{}", "2024.1", when, when, when, None, 0, key,
            when if key else None, deadline)  # fmt: skip


async def seed(start: int, stop: int, person_id: int, enterprise_id: int) -> None:
    """Rows start..stop written with executemany in batches (one transaction each)."""
    conn = connections.get("default")
    for low in range(start, stop, BATCH):
        values = [list(row(n, person_id, enterprise_id)) for n in range(low, min(stop, low + BATCH))]
        await conn.execute_many(INSERT, values)


async def staff_tokens(enterprise_id: int) -> dict[str, str]:
    """A ministry reviewer and the measured enterprise's reviewer, each with a session."""
    tokens = {}
    for name, role, employer in (
        ("ministry", StaffRole.MINISTRY, None),
        ("enterprise", StaffRole.ENTERPRISE, enterprise_id),
    ):
        staff = await StaffUser.create(
            username=f"bench.{name}", display_name=name, role=role, password_hash="not-a-login", enterprise_id=employer
        )
        tokens[name] = (await sessions.open_session(BENCH_META, staff=staff)).token
    return tokens


async def _rounds(client: httpx.AsyncClient, token: str, rounds: int, requests: int) -> list[float]:
    per_round = []
    body = json.dumps({"query": QUERY, "variables": {"first": 20}})
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for _ in range(requests):
            response = await client.post("/graphql", content=body, headers=headers)
            answer = response.json()
            if response.status_code != 200 or "errors" in answer:
                raise AssertionError(f"review queue: {response.status_code} {response.text[:300]}")
            if len(answer["data"]["reviewQueue"]["edges"]) != 20:
                raise AssertionError("review queue: the first page is not full")
        per_round.append((time.perf_counter() - start) * 1000 / requests)
    return per_round


async def use_database(path: Path) -> None:
    """Point the app (Tortoise's global connections) at another copy of the database."""
    await Tortoise.close_connections()
    await Tortoise.init(config=tortoise_config(f"sqlite://{path}"), _enable_global_fallback=True)


async def _interleaved(
    app: Any, tokens: dict[str, str], databases: dict[int, Path], rounds: int, requests: int
) -> dict[int, dict[str, list[float]]]:
    """Per size, per reviewer: each round's mean latency, the sizes alternating round by round."""
    timed: dict[int, dict[str, list[float]]] = {size: {who: [] for who in tokens} for size in databases}
    transport = httpx.ASGITransport(app=app, client=CLIENT_ADDRESS)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        order = list(databases.items())
        for number in range(rounds):
            for size, path in order if number % 2 == 0 else order[::-1]:  # ABBA: neither size always goes first
                await use_database(path)
                for who, token in tokens.items():
                    await _rounds(client, token, 1, WARMUP)  # warm the connection and the page cache
                    timed[size][who] += await _rounds(client, token, 1, requests)
    return timed


async def _plans(enterprise_id: int) -> dict[str, str]:
    conn = connections.get("default")
    today = clock.business_date()
    found = {}
    for name, key, request in (
        ("ministry, first page", "MINISTRY_REVIEW|M", QueueRequest(first=20)),
        ("enterprise, first page", f"ENTERPRISE_CONFIRMATION|E:{enterprise_id}", QueueRequest(first=20)),
        ("ministry, overdue", "MINISTRY_REVIEW|M", QueueRequest(first=20, overdue=True)),
    ):
        sql = key_query(key, request, today).sql(params_inline=True)
        rows = await conn.execute_query_dict("EXPLAIN QUERY PLAN " + sql)
        found[name] = " / ".join(str(r["detail"]) for r in rows)
    return found


async def measure_review_queue(app: Any, person_id: int, rounds: int, requests: int) -> QueueBench:
    """Two copies of the database, 1k and 1M applications (the 1M seeding timed), timed round by round in turn;
    the app is left on the 1k copy and the 1M copy removed."""
    enterprise = await Enterprise.create(
        name="基准测试建设工程有限公司", credit_code=credit_code("91110000MA0000001"), province_code="11"
    )
    tokens = await staff_tokens(enterprise.id)
    target = get_settings().database_target
    if not target.startswith("sqlite://"):
        raise RuntimeError("the review queue bench copies the SQLite database file")
    small = Path(target.removeprefix("sqlite://"))
    large = small.with_name("review-queue-1m.sqlite3")
    await Tortoise.close_connections()  # checkpointed: the file is the whole database
    shutil.copyfile(small, large)
    result = QueueBench(requests=requests)
    try:
        await use_database(large)
        started = time.perf_counter()
        await seed(0, LARGE, person_id, enterprise.id)
        result.seed_s = time.perf_counter() - started
        await connections.get("default").execute_script("ANALYZE")
        result.plans = await _plans(enterprise.id)
        await use_database(small)
        await seed(0, SMALL, person_id, enterprise.id)
        await connections.get("default").execute_script("ANALYZE")
        timed = await _interleaved(app, tokens, {SMALL: small, LARGE: large}, rounds, requests)
        result.small_ms, result.large_ms = timed[SMALL], timed[LARGE]
    finally:
        await use_database(small)
        for leftover in large.parent.glob(large.name + "*"):
            leftover.unlink()
    return result


def print_review_queue(found: QueueBench) -> None:
    print(f"\n== Review queue, first page (reviewQueue first: 20, GraphQL over HTTP, {found.requests} per round) ==")
    print(
        f"   seeding {LARGE:,} applications into a copy (raw SQL executemany, {BATCH:,} a batch): {found.seed_s:.1f} s"
    )
    for who in found.small_ms:
        for size, rounds in ((SMALL, found.small_ms[who]), (LARGE, found.large_ms[who])):
            spread = f"best {min(rounds):.2f}, median {statistics.median(rounds):.2f}, worst {max(rounds):.2f}"
            print(f"   {who:>10} reviewer, {size:>9,} applications: ms per request: {spread}")
        state = "PASS" if found.ratio(who) <= GATE else "FAIL"
        ratios = f"{found.ratio(who):.2f}× on the best rounds ({found.median_ratio(who):.2f}× on the medians)"
        print(f"   {who:>10} reviewer: 1M / 1k {ratios}, gate ≤ {GATE}× on the best rounds: {state}")
    print("   EXPLAIN QUERY PLAN at 1M:")
    for name, plan in found.plans.items():
        print(f"     {name}: {plan}")
    print(f"   plans: one index range each, no scan, no sort: {'PASS' if not found.bad_plans else 'FAIL'}")
