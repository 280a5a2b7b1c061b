"""arq WorkerSettings: `arq workers.settings.WorkerSettings`, or `python manage.py worker`."""

from __future__ import annotations

from typing import Any, ClassVar

from arq import Worker, cron, func
from arq.connections import ArqRedis, RedisSettings
from tortoise import Tortoise

from db.config import tortoise_config
from domain.kernel.clock import BUSINESS_TZ
from domain.kernel.deps import Deps
from domain.kernel.jobs import MAX_TRIES
from domain.kernel.log_setup import configure_logging
from domain.kernel.settings import get_settings, require_safe_configuration
from workers.attachments import purge_attachment_files
from workers.certificates import apply_approval
from workers.certificates_cron import lapse_registrations, send_renewal_reminders
from workers.filings import precheck_application, run_import
from workers.outbox import relay_outbox
from workers.queue import ArqQueue, redis_url
from workers.review import flag_overdue_reviews
from workers.sms import send_sms
from workers.verification import poll_verifications, process_verification_notice, sandbox_send_notice

SANDBOX_NOTICE_TRIES = 8  # Alipay sends a notice up to 8 times


async def startup(ctx: dict[str, Any]) -> None:
    """Refuse unsafe production settings, log as JSON lines (also under the `arq` CLI), open the database and a
    Redis client for the jobs."""
    require_safe_configuration(get_settings())
    configure_logging("worker")
    await Tortoise.init(config=tortoise_config(get_settings().database_target), _enable_global_fallback=True)
    ctx["deps"] = Deps(redis=ctx["redis"], queue=ArqQueue(ctx["redis"]))


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close what startup opened."""
    await Tortoise.close_connections()


def redis_settings() -> RedisSettings:
    """arq's connection settings from the same URL the API uses."""
    return RedisSettings.from_dsn(redis_url())


class WorkerSettings:
    """One worker process runs every job family and the relay."""

    functions: ClassVar[list[Any]] = [
        send_sms,
        process_verification_notice,
        precheck_application,
        run_import,
        apply_approval,
        func(sandbox_send_notice, max_tries=SANDBOX_NOTICE_TRIES),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(relay_outbox, second={0, 30}, run_at_startup=True, unique=True),
        cron(poll_verifications, second={15, 45}, unique=True),
        cron(purge_attachment_files, minute={7, 37}, second=0, unique=True),
        cron(flag_overdue_reviews, minute={12}, second=0, unique=True),  # hourly: deadlines are dates
        # Hourly passes within the usual job timeout (a long cron timeout would make arq wait as long before
        # re-running a killed worker's jobs): each commits in batches, acts only on what is due, and a pass cut
        # off is finished by the next.
        cron(lapse_registrations, minute={20}, second=0, unique=True),
        cron(send_renewal_reminders, hour=set(range(9, 21)), minute={30}, second=0, unique=True),  # SMS by day
    ]
    timezone = BUSINESS_TZ  # cron hours are Beijing time, whatever the server's zone
    on_startup = startup
    on_shutdown = shutdown
    max_tries = MAX_TRIES
    retry_jobs = True
    job_timeout = get_settings().worker_job_timeout_s
    keep_result = 3600
    max_jobs = 20


def burst_worker(
    redis: ArqRedis, on_startup: Any, functions: list[Any] | None = None, poll_delay: float = 0.01
) -> Worker:
    """A Worker configured as WorkerSettings, that drains the queue and returns (burst, no signal handlers, no
    crons): what the tests and the bench run in-process, with their own `on_startup` giving the jobs `deps`."""
    return Worker(
        functions=functions if functions is not None else WorkerSettings.functions,
        redis_pool=redis,
        burst=True,
        handle_signals=False,
        poll_delay=poll_delay,
        on_startup=on_startup,
        max_tries=WorkerSettings.max_tries,
        job_timeout=WorkerSettings.job_timeout,
        keep_result=WorkerSettings.keep_result,
        max_jobs=WorkerSettings.max_jobs,
        retry_jobs=WorkerSettings.retry_jobs,
    )
