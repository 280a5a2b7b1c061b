"""The apply_approval job in real arq workers (burst mode): it issues once however often it runs, a worker killed
mid-approval leaves no partial effect (the rerun issues exactly one version), and concurrent approvals in one
province get distinct numbers with serials 1..N."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from db.models import Application, ApplicationKind, Certificate, OutboxMessage, Registration, RegistrationSerial
from domain import certificates
from domain.kernel import clock
from domain.kernel.jobs import Job
from domain.kernel.unit_of_work import unit_of_work
from tests.domain.certificates.helpers import approved, make_enterprise, qualified_person, queued
from tests.workers.burst import run_burst

ROOT = Path(__file__).resolve().parents[2]
CONCURRENT = 20
WAIT_POLLS = 2000
HOLD_PROVINCE_ROW = (
    "INSERT INTO registration_serial (province_code, last_serial) VALUES ('11', 0) ON CONFLICT DO NOTHING"
)
WAITING_BACKENDS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def approval_queued(app: Any, application: Application) -> str:
    """The outbox row as the approval's unit of work writes it, handed to arq after the commit."""
    async with unit_of_work(app.state.deps) as work:
        message = await work.enqueue(Job.APPLY_APPROVAL, {"application_id": application.id})
    return str(message.id)


async def test_the_worker_applies_an_approval_once(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.INITIAL, await make_enterprise(), ["01"])
    message_id = await approval_queued(app, application)
    run = await run_burst(app)
    assert (run.complete, run.failed) == (2, 0)  # the approval and its SMS notice
    assert await Certificate.filter(application_id=application.id).count() == 1

    # run again: the same outbox row, and a second row for the same application (a duplicate hand-off)
    assert await certificates.apply_approval(app.state.deps, message_id) == "skipped"
    await approval_queued(app, application)
    run = await run_burst(app)
    assert (run.complete, run.failed) == (1, 0)
    assert await Certificate.filter(person_id=person.id).count() == 1
    assert (await OutboxMessage.get(id=message_id)).done_at is not None


async def run_and_kill(outbox_id: str) -> tuple[int, str]:
    """The job body in a child process that SIGKILLs itself after the certificate INSERT, before the commit."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.workers.crash_apply",
        outbox_id,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(child.communicate(), timeout=60)
    return child.returncode or 0, output.decode()


async def test_a_worker_killed_mid_approval_leaves_exactly_one_version_after_the_rerun(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.INITIAL, await make_enterprise(province="44"), ["01"])
    message_id = await queued(application)  # committed; not handed to arq yet (the child runs it first)

    returncode, output = await run_and_kill(message_id)
    assert returncode == -9, output
    assert "inserted certificate" in output
    # nothing of the killed unit of work survived
    assert not await Certificate.exists(person_id=person.id)
    assert not await Registration.exists(person_id=person.id)
    assert (await Application.get(id=application.id)).effect_applied_at is None
    assert (await OutboxMessage.get(id=message_id)).done_at is None
    assert not await RegistrationSerial.exists(province_code="44")  # the serial went back with the rollback

    assert await app.state.deps.queue.enqueue(Job.APPLY_APPROVAL.value, message_id)  # as the relay re-sends it
    run = await run_burst(app)
    assert run.failed == 0
    assert await Certificate.filter(person_id=person.id).count() == 1
    assert (await Registration.get(person_id=person.id)).number.endswith("00001")
    assert await certificates.apply_approval(app.state.deps, message_id) == "skipped"
    assert await Certificate.filter(person_id=person.id).count() == 1


async def approvals_in_one_province(count: int) -> list[Application]:
    enterprise = await make_enterprise(province="11")
    return [await approved(await qualified_person(), ApplicationKind.INITIAL, enterprise, ["01"]) for _ in range(count)]


def serials(numbers: list[str]) -> list[int]:
    return sorted(int(number[-5:]) for number in numbers)


async def test_concurrent_approvals_in_one_province_get_distinct_numbers(app: Any) -> None:
    applications = await approvals_in_one_province(CONCURRENT)
    message_ids = [await queued(application) for application in applications]
    outcomes = await asyncio.gather(*(certificates.apply_approval(app.state.deps, m) for m in message_ids))
    assert outcomes == ["issued"] * CONCURRENT
    numbers = [registration.number for registration in await Registration.all()]
    year = clock.business_date().year % 100
    assert len(set(numbers)) == CONCURRENT
    assert all(number.startswith("京111") and number[6:8] == f"{year:02d}" for number in numbers)
    assert serials(numbers) == list(range(1, CONCURRENT + 1))
    assert (await RegistrationSerial.get(province_code="11")).last_serial == CONCURRENT
    assert await Certificate.filter(seal_check=0, current_key__isnull=False).count() == CONCURRENT


async def test_a_worker_running_concurrent_approval_jobs_numbers_them_distinctly(app: Any) -> None:
    applications = await approvals_in_one_province(CONCURRENT)
    for application in applications:
        await approval_queued(app, application)
    run = await run_burst(app)  # WorkerSettings.max_jobs = 20: the jobs run side by side
    assert run.failed == 0
    numbers = [registration.number for registration in await Registration.all()]
    assert serials(numbers) == list(range(1, CONCURRENT + 1))


async def test_runs_of_one_approval_at_the_same_time_issue_once(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.INITIAL, await make_enterprise(), ["01"])
    first, second = await queued(application), await queued(application)  # a duplicate hand-off
    outcomes = await asyncio.gather(*(certificates.apply_approval(app.state.deps, m) for m in (first, second, first)))
    assert sorted(outcomes) == ["issued", "skipped", "skipped"]
    assert await Certificate.filter(person_id=person.id).count() == 1
    assert (await RegistrationSerial.get(province_code="11")).last_serial == 1


@pytest.mark.skipif(os.environ.get("PORTAL_TEST_BACKEND") != "postgres", reason="PostgreSQL's concurrent connections")
async def test_on_postgresql_concurrent_approvals_wait_for_the_province_serial_in_turn(app: Any) -> None:
    """Another connection holds the province's serial row: the approvals' transactions, on their own pooled
    connections, are seen waiting for it side by side; once it is released they take serials 1..20 in turn."""
    applications = await approvals_in_one_province(CONCURRENT)
    message_ids = [await queued(application) for application in applications]
    import asyncpg

    holder = await asyncpg.connect(os.environ["DATABASE_URL"])
    watcher = await asyncpg.connect(os.environ["DATABASE_URL"])  # outside any transaction: a fresh view each time
    try:
        await holder.execute(HOLD_PROVINCE_ROW)
        hold = holder.transaction()
        await hold.start()
        await holder.execute("SELECT last_serial FROM registration_serial WHERE province_code = '11' FOR UPDATE")
        jobs = asyncio.gather(*(certificates.apply_approval(app.state.deps, m) for m in message_ids))
        waiting = 0
        for _ in range(WAIT_POLLS):  # until two transactions wait at once (a condition, not a duration)
            waiting = await watcher.fetchval(WAITING_BACKENDS)
            if waiting >= 2:
                break
            await asyncio.sleep(0.01)
        await hold.commit()
        outcomes = await jobs
    finally:
        await holder.close()
        await watcher.close()
    assert waiting >= 2, "the approvals never waited side by side"
    assert outcomes == ["issued"] * CONCURRENT
    assert serials([r.number for r in await Registration.all()]) == list(range(1, CONCURRENT + 1))
