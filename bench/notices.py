"""Issue 3's figure: provider notices processed per second by one arq worker, as a share of arq's no-op job rate.

Its own fresh SQLite file (migrated) and the embedded Redis. Applicants start an Alipay verification through
`domain.verification.start_alipay` (sandbox provider), decide on the sandbox, and their signed notices arrive
through `domain.verification.receive_notice` (stored, outbox row, `process_verification_notice` queued).
Then a real arq Worker (WorkerSettings' functions and limits, burst mode, the Deps in ctx["deps"]) drains them:
confirm with the provider's `query`, the state transition with its trail entry, the event, outbox done. The same
Worker drains as many jobs of a no-op coroutine in the same round, in rotating order.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from arq import func
from arq.connections import ArqRedis
from arq.constants import default_queue_name
from arq.worker import Worker
from tortoise import Tortoise, connections
from tortoise.transactions import in_transaction

from bench.data import BENCH_META, BENCH_PASSWORD
from bench.sqlcount import StatementTrace
from db.config import tortoise_config
from db.models import Attachment, Person, VerificationAttempt, VerificationStatus
from domain import accounts, verification
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job as PortalJob
from domain.kernel.settings import get_settings
from domain.verification.providers import sandbox
from workers.queue import ArqQueue, connect_pool
from workers.settings import WorkerSettings, burst_worker

NOOP_JOB = "noop"
POLL_DELAY_S = 0.01  # as tests/workers/burst.py; WorkerSettings keeps arq's 0.5 s, which only idles a drain's tail
FAIL_EVERY = 5  # every fifth applicant fails the sandbox's face check, the others pass
AREA_AND_BIRTH = "360426"
FIRST_BIRTH = date(1980, 1, 1)
NOTICE_DB = "bench-notices.sqlite3"
WARMUP = 20


async def noop(ctx: dict[str, Any], x: int) -> int:
    """The reference job: arq's own cost per job (dequeue, run, result, ack) and nothing else."""
    return x


@dataclass
class NoticeThroughput:
    """Jobs per second of both job kinds, one figure per round, and what the setup cost."""

    jobs_per_round: int
    setup_s: float = 0.0
    notices_per_s: list[float] = field(default_factory=list)
    noop_per_s: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    sql_per_notice: dict[str, float] = field(default_factory=dict)

    @staticmethod
    def median(values: list[float]) -> float:
        """The figure reported: the median round."""
        return statistics.median(values)

    @property
    def ratio(self) -> float:
        """Median notice rate over median no-op rate."""
        return self.median(self.notices_per_s) / self.median(self.noop_per_s)

    def as_json(self) -> dict[str, Any]:
        return {
            "jobs_per_round": self.jobs_per_round,
            "rounds": len(self.notices_per_s),
            "notices_per_s": round(self.median(self.notices_per_s), 1),
            "noop_jobs_per_s": round(self.median(self.noop_per_s), 1),
            "ratio": round(self.ratio, 3),
            "per_round_notices_per_s": [round(v, 1) for v in self.notices_per_s],
            "per_round_noop_jobs_per_s": [round(v, 1) for v in self.noop_per_s],
            "outcomes": self.outcomes,
            "sql_per_notice_job": self.sql_per_notice,
            "setup_s": round(self.setup_s, 1),
        }


def statement_kinds(statements: list[str], jobs: int) -> dict[str, float]:
    """Statements per job: all, the writes among them, and the explicit transactions (BEGIN)."""
    writes = [q for q in statements if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    begins = [q for q in statements if q.lstrip().upper().startswith("BEGIN")]
    return {
        "statements": round(len(statements) / jobs, 1),
        "writes": round(len(writes) / jobs, 1),
        "transactions": round(len(begins) / jobs, 1),
    }


def id_number(index: int) -> str:
    """A valid resident ID number (GB 11643 check character) per applicant: one birth day each."""
    from stdnum.cn import ric

    body = AREA_AND_BIRTH + (FIRST_BIRTH + timedelta(days=index)).strftime("%Y%m%d") + "001"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check character


async def create_applicants(count: int) -> list[Person]:
    """`count` persons with the three identity materials start_alipay requires (rows only: nothing reads files)."""
    password_hash = await accounts.hash_password(BENCH_PASSWORD)  # once: argon2 is not what is measured
    people = []
    for index in range(count):
        resident = accounts.parse_id_number(id_number(index))
        people.append(
            Person(
                real_name="李四",
                mobile=f"139{index:08d}",
                password_hash=password_hash,
                **accounts.id_number_columns(resident),
            )
        )
    async with in_transaction():
        await Person.bulk_create(people)
    persons = await Person.all().order_by("id")
    now = clock.now()
    materials = [
        Attachment(
            person_id=person.id,
            kind=kind,
            storage_name=f"notice-{person.id}-{kind.value}.jpg",
            content_type="image/jpeg",
            size_bytes=40_000,
            width=413,
            height=579,
            sha256="0" * 64,
            current=True,
            created_at=now,
        )
        for person in persons
        for kind in verification.REQUIRED_MATERIALS
    ]
    async with in_transaction():
        await Attachment.bulk_create(materials, batch_size=1000)
    return persons


async def decided_attempts(deps: Deps, persons: list[Person]) -> list[tuple[str, bool]]:
    """Each person starts an Alipay verification (the real start) and decides on the sandbox page."""
    decided = []
    for index, person in enumerate(persons):
        actor = Actor(ActorKind.PERSON, person.id, session_id=0)
        attempt = await verification.start_alipay(deps, actor, BENCH_META)
        assert attempt.certify_id is not None
        passed = index % FAIL_EVERY != 0
        assert await verification.decide_in_sandbox(attempt.certify_id, passed) is not None
        decided.append((attempt.certify_id, passed))
    return decided


def bench_worker(pool: ArqRedis, deps: Deps) -> Worker:
    """One arq Worker as WorkerSettings configures it (burst, no signals, the short poll of the test burst)."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["deps"] = deps  # what workers.settings.startup gives the jobs (Tortoise is already open)

    return burst_worker(pool, on_startup, [*WorkerSettings.functions, func(noop, name=NOOP_JOB)], POLL_DELAY_S)


async def drain(pool: ArqRedis, deps: Deps, expected: int) -> float:
    """Jobs per second of one burst over the queue (wall time of Worker.main, start-up included)."""
    assert await pool.zcard(default_queue_name) == expected
    worker = bench_worker(pool, deps)
    assert PortalJob.PROCESS_VERIFICATION_NOTICE.value in worker.functions and NOOP_JOB in worker.functions
    start = time.perf_counter()
    await asyncio.wait_for(worker.main(), timeout=60)
    elapsed = time.perf_counter() - start
    await pool.delete(worker.health_check_key)
    assert (worker.jobs_complete, worker.jobs_failed, worker.jobs_retried) == (expected, 0, 0), (
        f"burst: {worker.jobs_complete} complete, {worker.jobs_failed} failed, {worker.jobs_retried} retried"
    )
    return expected / elapsed


async def notices_round(
    pool: ArqRedis, deps: Deps, batch: list[tuple[str, bool]], trace: StatementTrace | None = None
) -> float:
    """Receive the batch's signed notices (untimed), then time the worker processing them (traced if asked)."""
    for certify_id, passed in batch:
        assert await verification.receive_notice(deps, sandbox.build_notice(certify_id, passed), BENCH_META)
    if trace is not None:
        trace.recording = True
    try:
        rate = await drain(pool, deps, len(batch))
    finally:
        if trace is not None:
            trace.recording = False
    certify_ids = [certify_id for certify_id, _ in batch]
    pending = await VerificationAttempt.filter(certify_id__in=certify_ids, status=VerificationStatus.PENDING).count()
    assert pending == 0, f"{pending} attempts still pending after the burst"
    return rate


async def noop_round(pool: ArqRedis, deps: Deps, count: int) -> float:
    """Queue `count` no-op jobs (untimed), then time the worker running them."""
    for index in range(count):
        await pool.enqueue_job(NOOP_JOB, index)
    return await drain(pool, deps, count)


async def warm_up(pool: ArqRedis, deps: Deps, batch: list[tuple[str, bool]], result: NoticeThroughput) -> None:
    """One untimed burst of each kind; the notice burst also counts the jobs' SQL statements."""
    trace = await StatementTrace().install()
    try:
        await notices_round(pool, deps, batch, trace)
    finally:
        await trace.remove()
    result.sql_per_notice = statement_kinds(trace.statements, len(batch))
    await noop_round(pool, deps, len(batch))


async def timed_rounds(pool: ArqRedis, deps: Deps, decided: list[tuple[str, bool]], result: NoticeThroughput) -> None:
    """One round per batch of `decided`: its notices and as many no-op jobs, the order alternating by round."""
    per_round = result.jobs_per_round
    for index, start in enumerate(range(0, len(decided), per_round)):
        batch = decided[start : start + per_round]
        if index % 2 == 0:
            result.notices_per_s.append(await notices_round(pool, deps, batch))
            result.noop_per_s.append(await noop_round(pool, deps, per_round))
        else:
            result.noop_per_s.append(await noop_round(pool, deps, per_round))
            result.notices_per_s.append(await notices_round(pool, deps, batch))


async def record_outcomes(result: NoticeThroughput, applicants: int) -> None:
    """The attempts by status, and every applicant's trail showing the start and an outcome."""
    for status in VerificationStatus:
        found = await VerificationAttempt.filter(status=status).count()
        if found:
            result.outcomes[status.value] = found
    concluded = await Person.filter(trail_head_seq=2).count()  # VERIFICATION_STARTED, then the outcome
    assert concluded == applicants, f"only {concluded} of {applicants} trails show a start and an outcome"


async def measure_notices(rounds: int, per_round: int) -> NoticeThroughput:
    """Fresh database and data, then `rounds` interleaved rounds of notices and no-op jobs."""
    from tortoise.migrations.api.migrate import migrate

    config = tortoise_config(f"sqlite://{get_settings().var_dir / NOTICE_DB}")
    await migrate(config=config)
    await connections.close_all()
    await Tortoise.init(config=config, _enable_global_fallback=True)
    pool = connect_pool()
    deps = Deps(redis=pool, queue=ArqQueue(pool))
    result = NoticeThroughput(per_round)
    try:
        assert await pool.zcard(default_queue_name) == 0, "the bench's Redis queue is not empty"
        started = time.perf_counter()
        decided = await decided_attempts(deps, await create_applicants(WARMUP + rounds * per_round))
        await warm_up(pool, deps, decided[:WARMUP], result)
        result.setup_s = time.perf_counter() - started
        await timed_rounds(pool, deps, decided[WARMUP:], result)
        await record_outcomes(result, len(decided))
    finally:
        await pool.aclose()
        await Tortoise.close_connections()
    return result
