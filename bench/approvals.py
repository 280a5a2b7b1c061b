"""Issue 10's figure: approvals applied per second by one arq worker, as a share of arq's no-op job rate.

Its own fresh SQLite file (migrated) and the embedded Redis. N people with an APPROVED initial registration each
(rows written directly, as the ministry's approval leaves them, with the approval's outbox row). A real arq Worker
(WorkerSettings' functions and limits, burst mode, the Deps in ctx["deps"]) drains each round's apply_approval jobs:
the conditional claim, a new registration number from the province's serial, the registration and its specialty,
the certificate version with its snapshot, the trail entry, the outbox acknowledgement, and the SMS notice it
queues (delivered by the same burst: an approval counts done when its notice is sent too). The same Worker drains
as many jobs of a no-op coroutine in the same round, in rotating order.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from arq.connections import ArqRedis
from arq.constants import default_queue_name
from tortoise import Tortoise, connections
from tortoise.transactions import in_transaction

from bench.notices import NOOP_JOB, POLL_DELAY_S, bench_worker, id_number, statement_kinds
from bench.sqlcount import StatementTrace
from db.config import tortoise_config
from db.models import Application, ApplicationKind, ApplicationStatus, Certificate, Enterprise, Person
from domain import accounts
from domain.kernel import clock, outbox
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job as PortalJob
from domain.kernel.settings import get_settings
from workers.queue import ArqQueue, connect_pool

APPROVALS_DB = "bench-approvals.sqlite3"
WARMUP = 20
PROVINCE = "11"

__all__ = ["POLL_DELAY_S", "ApprovalThroughput", "measure_approvals", "print_approvals"]


@dataclass
class ApprovalThroughput:
    """Approvals and no-op jobs per second, one figure per round, and what the setup cost."""

    jobs_per_round: int
    setup_s: float = 0.0
    approvals_per_s: list[float] = field(default_factory=list)
    noop_per_s: list[float] = field(default_factory=list)
    certificates: int = 0
    sql_per_approval: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Median approval rate over median no-op rate."""
        return statistics.median(self.approvals_per_s) / statistics.median(self.noop_per_s)


async def approved_filings(count: int) -> list[str]:
    """`count` people, each with an APPROVED initial registration and its apply_approval outbox row (ids)."""
    enterprise = await Enterprise.create(
        name="示范建设工程有限公司", credit_code="91110000MA00000001", province_code=PROVINCE
    )
    people = []
    for index in range(count):
        resident = accounts.parse_id_number(id_number(index))
        people.append(
            Person(
                real_name="李四", mobile=f"138{index:08d}", password_hash="-", **accounts.id_number_columns(resident)
            )
        )
    now = clock.now()
    async with in_transaction():
        await Person.bulk_create(people, batch_size=500)
        persons = await Person.all().order_by("id")
        rows = [
            Application(person_id=p.id, kind=ApplicationKind.INITIAL, status=ApplicationStatus.APPROVED,
                        enterprise_id=enterprise.id, specialty_codes=["01"], details={}, terms_version="v1",
                        terms_accepted_at=now, submitted_at=now, updated_at=now, decided_at=now)
            for p in persons
        ]  # fmt: skip
        await Application.bulk_create(rows, batch_size=500)
        applications = await Application.all().order_by("id")
        return [
            str((await outbox.add(PortalJob.APPLY_APPROVAL.value, {"application_id": a.id})).id) for a in applications
        ]


async def burst(pool: ArqRedis, deps: Deps, jobs: int, expected_complete: int) -> float:
    """`jobs` per second of one burst over the queue (wall time of Worker.main, start-up included)."""
    assert await pool.zcard(default_queue_name) == jobs
    worker = bench_worker(pool, deps)
    start = time.perf_counter()
    await worker.main()
    elapsed = time.perf_counter() - start
    await pool.delete(worker.health_check_key)
    assert (worker.jobs_complete, worker.jobs_failed) == (expected_complete, 0), (
        f"burst: {worker.jobs_complete} complete, {worker.jobs_failed} failed"
    )
    return jobs / elapsed


async def approvals_round(pool: ArqRedis, deps: Deps, batch: list[str], trace: StatementTrace | None = None) -> float:
    """Hand the batch's outbox rows to arq (untimed), then time the worker applying them (and sending notices)."""
    for message_id in batch:
        assert await deps.queue.enqueue(PortalJob.APPLY_APPROVAL.value, message_id)
    if trace is not None:
        trace.recording = True
    try:
        return await burst(pool, deps, len(batch), 2 * len(batch))  # each approval queues its SMS notice
    finally:
        if trace is not None:
            trace.recording = False


async def noop_round(pool: ArqRedis, deps: Deps, count: int) -> float:
    for index in range(count):
        await pool.enqueue_job(NOOP_JOB, index)
    return await burst(pool, deps, count, count)


async def measure_approvals(rounds: int, per_round: int) -> ApprovalThroughput:
    """Fresh database and data, a traced warm-up, then `rounds` interleaved rounds of approvals and no-op jobs."""
    from tortoise.migrations.api.migrate import migrate

    config = tortoise_config(f"sqlite://{get_settings().var_dir / APPROVALS_DB}")
    await migrate(config=config)
    await connections.close_all()
    await Tortoise.init(config=config, _enable_global_fallback=True)
    pool = connect_pool()
    deps = Deps(redis=pool, queue=ArqQueue(pool))
    result = ApprovalThroughput(per_round)
    try:
        assert await pool.zcard(default_queue_name) == 0, "the bench's Redis queue is not empty"
        started = time.perf_counter()
        message_ids = await approved_filings(WARMUP + rounds * per_round)
        trace = await StatementTrace().install()
        try:
            await approvals_round(pool, deps, message_ids[:WARMUP], trace)
        finally:
            await trace.remove()
        result.sql_per_approval = statement_kinds(trace.statements, WARMUP)
        await noop_round(pool, deps, WARMUP)
        result.setup_s = time.perf_counter() - started
        for index, start in enumerate(range(WARMUP, len(message_ids), per_round)):
            batch = message_ids[start : start + per_round]
            order = (True, False) if index % 2 == 0 else (False, True)
            for approvals in order:
                if approvals:
                    result.approvals_per_s.append(await approvals_round(pool, deps, batch))
                else:
                    result.noop_per_s.append(await noop_round(pool, deps, per_round))
        result.certificates = await Certificate.all().count()
        assert result.certificates == len(message_ids), f"{result.certificates} certificates for {len(message_ids)}"
    finally:
        await pool.aclose()
        await Tortoise.close_connections()
    return result


def print_approvals(found: ApprovalThroughput, rounds: int) -> None:
    """The figure: approvals per second over arq's no-op jobs per second, same worker and Redis."""
    from workers.settings import WorkerSettings

    print(
        f"\n-- approvals applied, one arq worker (WorkerSettings' functions and max_jobs {WorkerSettings.max_jobs}, "
        f"burst, poll {POLL_DELAY_S * 1000:.0f} ms)"
    )
    print(
        f"   fresh SQLite file + embedded Redis; {rounds} interleaved rounds × {found.jobs_per_round} jobs of each "
        "kind (alternating order), figure = median round; an approval = apply_approval + the SMS job it queues"
    )
    print(f"   {'job':<44}{'jobs/s':>9}{'rounds min–max jobs/s':>24}")
    for label, rates in (
        ("apply_approval (number, registration, cert)", found.approvals_per_s),
        ("no-op coroutine (arq's own cost per job)", found.noop_per_s),
    ):
        print(f"   {label:<44}{statistics.median(rates):>9.1f}{f'{min(rates):.0f}–{max(rates):.0f}':>24}")
    print(f"   approvals / no-op jobs: {found.ratio:.3f}×  (issue 10 sets no target; printed for comparison)")
    sql = found.sql_per_approval
    print(
        f"   per approval (its job and its SMS job): {sql['statements']:g} SQL statements, {sql['writes']:g} writes, "
        f"{sql['transactions']:g} explicit transaction(s)"
    )
    print(f"   certificates issued: {found.certificates}; setup (filings, warm-up) {found.setup_s:.1f} s")


def as_json(found: ApprovalThroughput) -> dict[str, Any]:
    return {
        "approvals_per_s": round(statistics.median(found.approvals_per_s), 1),
        "noop_jobs_per_s": round(statistics.median(found.noop_per_s), 1),
        "ratio": round(found.ratio, 3),
    }
