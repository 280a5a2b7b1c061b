"""Project commands: python manage.py run | serve | worker | migrate | seed | verify-trail | export-schema |
sandbox-notify CERTIFY_ID pass|fail."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from db.config import tortoise_config
from domain.kernel.settings import get_settings

# For the `tortoise` CLI (`make migrations`: `tortoise -c manage.TORTOISE_ORM makemigrations`).
TORTOISE_ORM = tortoise_config(get_settings().database_target)


async def _with_db(work: Callable[[], Any]) -> Any:
    from tortoise import Tortoise, connections

    await Tortoise.init(config=tortoise_config(get_settings().database_target))
    try:
        return await work()
    finally:
        await connections.close_all()


def migrate() -> None:
    """Apply every pending migration."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    get_settings().var_dir.mkdir(parents=True, exist_ok=True)

    async def main() -> None:
        from tortoise import connections

        try:
            await run_migrations(config=tortoise_config(get_settings().database_target))
        finally:
            await connections.close_all()

    asyncio.run(main())
    print("数据库迁移完成 / migrations applied")


def seed() -> dict[str, Any]:
    """Dev seed data; prints the staff accounts."""
    from domain.accounts import seed_dev

    result: dict[str, Any] = asyncio.run(_with_db(seed_dev))
    print("开发用工作人员账号 / dev staff accounts (username: password):")
    for username, password in result["staff"].items():
        print(f"  {username}: {password}")
    return result


def verify_trail() -> int:
    """Check every person's trail hash chain; exit 1 naming the first broken entry of each broken chain."""
    from domain.trail import verify_all

    breaks = asyncio.run(_with_db(verify_all))
    if not breaks:
        print("操作轨迹哈希链完整 / every trail chain verifies")
        return 0
    for found in breaks:
        print(f"person {found.person_id}: first broken entry id={found.entry_id} seq={found.seq}: {found.reason}")
    return 1


def export_schema() -> None:
    """Print the SDL of the code's schema (make schema writes it to schema.graphql)."""
    from graph.schema.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


def worker() -> None:
    """One arq worker (REDIS_URL, or the embedded server)."""
    from arq import run_worker

    from workers.settings import WorkerSettings, redis_settings

    run_worker(WorkerSettings, redis_settings=redis_settings())  # type: ignore[arg-type]


def serve() -> None:
    """The API alone (uvicorn)."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "graph.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=False,
        log_level="info",
    )


def run() -> int:
    """make run: migrate, seed, then API and worker together on one Redis; Ctrl-C stops both cleanly."""
    from db.redis import start_embedded_server, stop_embedded_server

    settings = get_settings()
    migrate()
    seed()
    embedded, url = (
        (None, settings.redis_url) if settings.redis_url else start_embedded_server(settings.var_dir / "redis")
    )
    env = {**os.environ, "REDIS_URL": url, "APP_ENV": settings.app_env}
    # Own sessions: a terminal's Ctrl-C reaches only this supervisor, which sends each child exactly one SIGINT.
    children = [
        subprocess.Popen([sys.executable, "manage.py", command], env=env, start_new_session=True)  # noqa: S603
        for command in ("serve", "worker")
    ]
    base = f"http://{settings.host}:{settings.port}"
    print(f"\nAPI: {base}/graphql   GraphiQL: {base}/graphiql   dev SMS: {base}/dev/sms?mobile=…\n", flush=True)
    try:
        return _supervise(children)
    finally:
        if embedded is not None:
            stop_embedded_server(embedded)


def _supervise(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait until a child exits or Ctrl-C/SIGTERM arrives, then stop all of them (Redis is stopped after)."""
    stop = False

    def on_signal(_signum: int, _frame: Any) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stop and all(child.poll() is None for child in children):
        time.sleep(0.3)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    codes = []
    for child in children:
        try:
            codes.append(child.wait(timeout=15))
        except subprocess.TimeoutExpired:
            child.kill()
            codes.append(child.wait())
    print("已停止 API 与 worker / API and worker stopped", flush=True)
    return 0 if stop else max(abs(code) for code in codes)


def sandbox_notify(args: list[str]) -> int:
    """Decide a sandbox certification as the certify page would, then sign its notice like Alipay and POST it to
    our callback: sandbox-notify CERTIFY_ID pass|fail."""
    from domain.verification import sandbox_decide_and_notify

    if len(args) != 2 or args[1] not in ("pass", "fail"):
        print("usage: python manage.py sandbox-notify CERTIFY_ID pass|fail", file=sys.stderr)
        return 2
    notice, body = asyncio.run(_with_db(lambda: sandbox_decide_and_notify(args[0], args[1] == "pass")))
    print(f"notify_id={notice['notify_id']} callback answered: {body}")
    return 0 if body == "success" else 1


def check_test_env() -> int:
    """In CI (CI=true) PostgreSQL tests are mandatory: TEST_DATABASE_URL must be set."""
    if os.environ.get("CI") == "true" and not os.environ.get("TEST_DATABASE_URL"):
        print("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory in CI", file=sys.stderr)
        return 1
    return 0


COMMANDS: dict[str, Callable[[], Any]] = {
    "run": run,
    "serve": serve,
    "worker": worker,
    "migrate": migrate,
    "seed": seed,
    "verify-trail": verify_trail,
    "export-schema": export_schema,
    "check-test-env": check_test_env,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=sorted([*COMMANDS, "sandbox-notify"]))
    parser.add_argument("args", nargs="*")
    parsed = parser.parse_args()
    if parsed.command == "sandbox-notify":
        return sandbox_notify(parsed.args)
    result = COMMANDS[parsed.command]()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
