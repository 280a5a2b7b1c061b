"""Job names and retry arithmetic: one place for both, and every job has a worker function."""

from __future__ import annotations

from arq.worker import Function, Worker

from domain.kernel.jobs import BACKOFF_BASE_S, MAX_TRIES, Job, backoff_s, is_final_try
from workers.settings import WorkerSettings


def test_every_job_has_a_worker_function() -> None:
    names = {item.name if isinstance(item, Function) else item.__name__ for item in WorkerSettings.functions}
    assert {job.value for job in Job} <= names


def test_back_off_doubles_from_the_base() -> None:
    assert [backoff_s(job_try) for job_try in range(1, MAX_TRIES)] == [BACKOFF_BASE_S * 2**n for n in range(4)]
    assert backoff_s(1) == 5 and backoff_s(4) == 40


def test_only_the_last_try_is_final() -> None:
    assert [is_final_try(job_try) for job_try in range(1, MAX_TRIES + 2)] == [False] * (MAX_TRIES - 1) + [True, True]


def test_no_job_or_cron_outlasts_the_worker_job_timeout() -> None:
    """arq keeps a job's in-progress mark for the longest timeout of any function or cron + 10 s: one long timeout
    would make a killed worker's jobs wait that long to run again (SECURITY check 14)."""
    worker = Worker(
        functions=WorkerSettings.functions,
        cron_jobs=WorkerSettings.cron_jobs,
        redis_pool=None,
        job_timeout=WorkerSettings.job_timeout,
        handle_signals=False,
    )
    assert worker.in_progress_timeout_s == WorkerSettings.job_timeout + 10
