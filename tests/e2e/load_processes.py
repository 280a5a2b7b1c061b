"""Two `manage.py serve` processes and one `manage.py worker` on the test's database and Redis, each writing its
stderr and its JSON log (LOG_DIR) under a directory the test reads afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx

from db.models import OutboxMessage
from domain.kernel.settings import PROJECT_ROOT
from tests.e2e.conftest import free_port
from workers.queue import redis_url

DRAIN_S = 60.0


@contextlib.contextmanager
def running_processes(
    log_dir: Path, extra_env: dict[str, str]
) -> Iterator[tuple[list[str], Callable[[], Awaitable[None]]]]:
    """The two API base URLs, and a wait until every outbox row is done; SIGINT to all three at the end."""
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    processes = [
        _start("serve", log_dir / f"api-{n}", {"PORT": str(port), "PUBLIC_BASE_URL": bases[n], **extra_env})
        for n, port in enumerate(ports)
    ]
    processes.append(_start("worker", log_dir / "worker", extra_env))
    try:
        for base in bases:
            _wait_ready(base, processes)
        yield bases, _drained
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _start(command: str, directory: Path, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    directory.mkdir(parents=True)
    env = {**os.environ, "REDIS_URL": redis_url(), "LOG_DIR": str(directory), **extra_env}
    with (directory / "stderr.log").open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "manage.py", command], cwd=PROJECT_ROOT, env=env, stdout=stderr, stderr=stderr
        )


async def _drained() -> None:
    deadline = time.monotonic() + DRAIN_S
    while await OutboxMessage.filter(done_at=None, failed_at=None).exists():
        if time.monotonic() > deadline:
            raise AssertionError("outbox rows still not done after the load")
        await asyncio.sleep(0.2)


def _wait_ready(base: str, processes: list[subprocess.Popen[bytes]], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{base} did not become ready")
