"""`python -m tests.workers.crash_apply <outbox id>`: run the apply_approval job body in this process and SIGKILL
the process right after the certificate's INSERT, before the unit of work commits (a worker dying mid-approval).
The database and Redis come from the environment the test process set (DATABASE_URL, REDIS_URL)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from redis.asyncio import Redis
from tortoise import Tortoise
from tortoise.signals import post_save

from db.config import tortoise_config
from db.models import Certificate
from domain import certificates
from domain.kernel.deps import Deps
from workers.queue import ArqQueue

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # never used: the process dies before the commit


@post_save(Certificate)
async def die_after_insert(sender: Any, instance: Certificate, created: bool, *args: Any) -> None:
    """The certificate row is written inside the open transaction: the worker dies now."""
    if created:
        sys.stdout.write(f"inserted certificate {instance.id}\n")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


async def main(outbox_id: str) -> str:
    await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]), _enable_global_fallback=True)
    redis = Redis.from_url(os.environ.get("REDIS_URL") or UNREACHABLE_REDIS)
    try:
        return await certificates.apply_approval(Deps(redis=redis, queue=ArqQueue(redis)), outbox_id)
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1])))
