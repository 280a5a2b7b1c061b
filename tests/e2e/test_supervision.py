"""SECURITY check 31: under `manage.py run` (the embedded Redis, the API and the worker as children of the
supervisor), a SIGKILLed worker and a SIGKILLed redis-server are restarted with back-off while the API keeps
answering (`/readyz` honest: 200, or 503 naming Redis while it is down), and a lockout written before the Redis
restart is still there after it (append-only file). Every wait polls a condition with a deadline."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from redis import Redis

from domain.kernel.settings import PROJECT_ROOT, get_settings
from tests.e2e.conftest import free_port, reap
from tests.helpers import LOGIN, VALID_ID_2

T = TypeVar("T")
DEADLINE_S = 60


def poll(condition: Callable[[], T | None], what: str, timeout_s: float = DEADLINE_S) -> T:
    """The condition's first truthy value, polled until the deadline."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(what)


@dataclass
class Run:
    base: str
    var_dir: Path
    output: Path

    def pid(self, name: str) -> int | None:
        """The pid of a live child, from the supervisor's var/run/<name>.pid."""
        try:
            pid = int((self.var_dir / "run" / f"{name}.pid").read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid

    def readyz(self) -> tuple[int, dict[str, object]]:
        response = httpx.get(f"{self.base}/readyz", timeout=5)
        return response.status_code, response.json()

    def redis(self) -> Redis:
        return Redis(unix_socket_path=str(self.var_dir / "redis" / "redis.sock"))


@pytest.fixture
def supervised(clean_state: None) -> Iterator[Run]:
    """`manage.py run` with its own var/ (short path: the unix socket's limit) and the embedded Redis."""
    var_dir = Path(tempfile.mkdtemp(prefix="run-", dir="/tmp"))
    port = free_port()
    env = {**os.environ, "VAR_DIR": str(var_dir), "PORT": str(port), "REDIS_URL": ""}
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    output = var_dir / "run.out"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run"], cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    run = Run(f"http://127.0.0.1:{port}", var_dir, output)
    try:
        poll(lambda: _ready(run), f"manage.py run never became ready: {output}")
        yield run
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        reap(var_dir / "run")
        shutil.rmtree(var_dir, ignore_errors=True)


def _ready(run: Run) -> bool:
    try:
        return run.readyz()[0] == 200 and bool(run.pid("worker"))
    except httpx.HTTPError:
        return False


def test_a_killed_worker_is_restarted_while_the_api_answers(supervised: Run) -> None:
    first = supervised.pid("worker")
    assert first is not None
    os.kill(first, signal.SIGKILL)
    answers: list[int] = []

    def restarted() -> int | None:
        answers.append(supervised.readyz()[0])
        pid = supervised.pid("worker")
        return pid if pid not in (None, first) else None

    second = poll(restarted, "the worker was not restarted")
    assert second != first and set(answers) == {200}, answers
    assert "worker 已重启 / restarted" in supervised.output.read_text()


def lockout_keys(client: Redis) -> list[str]:
    keys: list[bytes] = client.keys("login:*")  # type: ignore[assignment]
    return sorted(key.decode() for key in keys)


def lock_out(run: Run) -> list[str]:
    """Wrong passwords for an unknown ID number past the threshold: the lockout keys now in Redis."""
    with httpx.Client(base_url=run.base, timeout=30) as http:
        for _ in range(get_settings().login_lock_threshold + 1):
            captcha_id = http.post("/graphql", json={"query": "{ captcha { id } }"}).json()["data"]["captcha"]["id"]
            answer = http.get(f"/dev/captcha/{captcha_id}").json()["answer"]
            variables = {"input": {"idNumber": VALID_ID_2, "password": "Cuowu#mima-2026"}}
            variables["input"].update(captchaId=captcha_id, captchaAnswer=answer)
            body = http.post("/graphql", json={"query": LOGIN, "variables": variables}).json()
            codes = [error["code"] for error in body["data"]["login"]["errors"]]
    assert codes == ["ACCOUNT_LOCKED"]
    client = run.redis()
    try:
        return lockout_keys(client)
    finally:
        client.close()


def test_a_killed_redis_is_restarted_and_keeps_the_lockouts(supervised: Run) -> None:
    keys = lock_out(supervised)
    assert keys
    first = supervised.pid("redis")
    assert first is not None
    os.kill(first, signal.SIGKILL)
    answers: list[tuple[int, object]] = []

    def back() -> bool:
        status, body = supervised.readyz()
        answers.append((status, body["redis"]))
        pid = supervised.pid("redis")
        return status == 200 and pid not in (None, first)

    poll(back, "redis was not restarted")
    assert all(status == 200 or (status == 503 and redis != "ok") for status, redis in answers), answers
    client = supervised.redis()
    try:
        assert lockout_keys(client) == keys
        assert all(int(client.ttl(key)) > 0 for key in keys)  # type: ignore[arg-type]
    finally:
        client.close()
    assert "redis 已重启 / restarted" in supervised.output.read_text()
    assert lock_out(supervised) == keys  # still locked after the restart
