"""A live server: `manage.py serve` (uvicorn) and `manage.py worker` (arq) as real processes on loopback."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from tortoise import Tortoise

from db.config import tortoise_config
from db.redis import connect
from domain.kernel.settings import PROJECT_ROOT
from tests.conftest import clean_database
from workers.queue import redis_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def clean_state() -> AsyncIterator[None]:
    """Empty tables and Redis before the live processes start."""
    await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]))
    await clean_database()
    await Tortoise.close_connections()
    client = connect(redis_url())
    await client.flushdb()
    await client.aclose()
    yield


@pytest.fixture
def live_server(clean_state: None) -> Iterator[str]:
    """Base URL of a running API + worker sharing the test database and Redis."""
    with running_server() as base:
        yield base


@contextlib.contextmanager
def running_server(**extra_env: str) -> Iterator[str]:
    """`manage.py serve` and `manage.py worker` as processes (with `extra_env`), stopped with SIGINT at the end."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PORT": str(port), "REDIS_URL": redis_url(), "PUBLIC_BASE_URL": base, **extra_env}
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", command],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for command in ("serve", "worker")
    ]
    try:
        _wait_ready(base, processes)
        yield base
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def reap(run_dir: Path) -> None:
    """SIGKILL what a `manage.py run` under test left running (its children's pid files), so no stray worker
    takes the next test's jobs."""
    for pid_file in run_dir.glob("*.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, FileNotFoundError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        pid_file.unlink(missing_ok=True)


def _wait_ready(base: str, processes: list[subprocess.Popen[bytes]], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "process exited")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("live server did not become ready")


@pytest.fixture
def chromium_executable() -> str:
    """Chromium for the browser tests; requested before the live server, so a skip costs no server start."""
    from tests.e2e.browser import require_browser

    return require_browser()
