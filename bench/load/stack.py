"""The system under load, started as `make run` starts it (`manage.py run`: migrations, dev seed, Redis, the API
processes and the workers under the supervisor) in a temporary VAR_DIR on free loopback ports in 8120–8129;
SQLite and the embedded Redis by default, PostgreSQL (database `load_scale`, recreated) and a Redis server
(database 3, flushed) with two API processes and two workers for the scale path."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from domain.kernel.settings import PROJECT_ROOT

PORTS = range(8120, 8130)  # this run's loopback ports (never the default 8000)
SCALE_DATABASE_URL = "postgres://root@127.0.0.1:5432/load_scale"
SCALE_REDIS_URL = "redis://127.0.0.1:6379/3"
SECRET_KEY = "load-run-secret-key-not-for-production-0123456789"
READY_TIMEOUT_S = 180.0
# Every client of the run comes from 127.0.0.1: the per-address throttles, which a real peak day spreads over
# millions of addresses, are raised; the per-account ones stay as configured.
LIMITS = {"LOGIN_IP_PER_MINUTE": "1000000", "SMS_DAILY_CAP_PER_IP": "1000000"}


@dataclass(frozen=True)
class StackOptions:
    scale: bool = False

    @property
    def api_processes(self) -> int:
        return 2 if self.scale else 1

    @property
    def worker_processes(self) -> int:
        return 2 if self.scale else 1


@dataclass
class Stack:
    """A running `manage.py run`: its API base URLs, var/ and the environment it was given."""

    bases: list[str]
    var_dir: Path
    env: dict[str, str]
    output: Path
    process: subprocess.Popen[bytes] | None = None
    pids: dict[str, int] = field(default_factory=dict)
    keep: bool = False  # leave var/ (logs, locust's CSV) for a look after a failed run

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def credentials(self) -> dict[str, str]:
        """The dev accounts' passwords (var/dev-credentials.json, written by the seed)."""
        import json

        loaded: dict[str, str] = json.loads((self.var_dir / "dev-credentials.json").read_text())
        return loaded


def free_ports(count: int) -> list[int]:
    """`count` consecutive free loopback ports in 8120–8129."""
    for first in PORTS:
        wanted = list(range(first, first + count))
        if wanted[-1] in PORTS and all(_free(port) for port in wanted):
            return wanted
    raise RuntimeError(f"no {count} consecutive free ports in 8120–8129")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def environment(options: StackOptions, var_dir: Path, port: int) -> dict[str, str]:
    """The environment of `manage.py run` (and of this runner, which seeds the same database)."""
    database = SCALE_DATABASE_URL if options.scale else f"sqlite://{var_dir / 'portal.sqlite3'}"
    return {
        **LIMITS,
        "APP_ENV": "dev",  # /dev/captcha and /dev/sms exist
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database,
        "REDIS_URL": SCALE_REDIS_URL if options.scale else "",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "API_PROCESSES": str(options.api_processes),
        "WORKER_PROCESSES": str(options.worker_processes),
        "EVENTS_CHANNEL_PREFIX": f"events-load-{port}",  # pub/sub is server-wide: our own channels
        "LIVE_RECHECK_S": "3600",  # a subscription learns of a step only through its event during the run
    }


async def reset_services(options: StackOptions) -> None:
    """Scale path: a fresh `load_scale` database and an empty Redis database 3."""
    if not options.scale:
        return
    import asyncpg
    from redis.asyncio import Redis

    maintenance = urlsplit(SCALE_DATABASE_URL)._replace(scheme="postgresql", path="/postgres")
    server = await asyncpg.connect(urlunsplit(maintenance))
    try:
        await server.execute("DROP DATABASE IF EXISTS load_scale WITH (FORCE)")
        await server.execute("CREATE DATABASE load_scale")
    finally:
        await server.close()
    client = Redis.from_url(SCALE_REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


@contextlib.contextmanager
def running(options: StackOptions) -> Iterator[Stack]:
    """`manage.py run` until the block ends (SIGINT, as Ctrl-C); var/ removed afterwards."""
    var_dir = Path(tempfile.mkdtemp(prefix="load-", dir="/tmp"))  # short: the embedded Redis's unix socket
    ports = free_ports(options.api_processes)
    env = environment(options, var_dir, ports[0])
    stack = Stack([f"http://127.0.0.1:{port}" for port in ports], var_dir, env, var_dir / "run.out")
    with stack.output.open("wb") as sink:
        stack.process = subprocess.Popen(
            [sys.executable, "manage.py", "run"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT)},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(stack, options)
        yield stack
    finally:
        _stop(stack)
        if not stack.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


def _wait_ready(stack: Stack, options: StackOptions) -> None:
    names = _children(options)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        assert stack.process is not None
        if stack.process.poll() is not None:
            raise RuntimeError(f"manage.py run exited: {stack.output.read_text()[-3000:]}")
        if all(_pid(stack.var_dir, name) for name in names) and all(_ready(base) for base in stack.bases):
            stack.pids = {name: _pid(stack.var_dir, name) or 0 for name in names}
            return
        time.sleep(0.2)
    raise TimeoutError(f"manage.py run did not become ready: {stack.output.read_text()[-3000:]}")


def _children(options: StackOptions) -> list[str]:
    def named(name: str, count: int) -> list[str]:
        return [name] if count == 1 else [f"{name}-{n + 1}" for n in range(count)]

    return named("api", options.api_processes) + named("worker", options.worker_processes)


def _pid(var_dir: Path, name: str) -> int | None:
    try:
        pid = int((var_dir / "run" / f"{name}.pid").read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _stop(stack: Stack) -> None:
    """SIGINT to the supervisor (it stops its children); if it does not end within a minute, SIGKILL to it and to
    its children still running (from their pid files, checked to be ours)."""
    if stack.process is None:
        return
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
    try:
        stack.process.wait(timeout=60)
        return
    except subprocess.TimeoutExpired:
        stack.process.kill()
        stack.process.wait()
    for pid_file in (stack.var_dir / "run").glob("*.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, FileNotFoundError):
            pid = int(pid_file.read_text())
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if str(stack.var_dir).encode() in command or b"manage.py" in command:
                os.kill(pid, signal.SIGKILL)
