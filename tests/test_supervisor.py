"""The supervisor of `make run` with real child processes: back-off doubling from the base, a start that raises
counts as a failure, repeated fast failures are given up with a message and a non-zero exit, the API's exit stops
everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from supervisor import BACKOFF_CAP_S, Child, Supervisor, backoff_s


def exits_with(code: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", f"raise SystemExit({code})"])


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_s(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff_s(50) == BACKOFF_CAP_S


def test_a_child_failing_fast_again_and_again_is_given_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crashing = Child("worker", lambda: exits_with(3), None, restart=True, pid_dir=tmp_path)
    assert Supervisor([crashing], backoff_base_s=0.01).run() == 1
    assert crashing.history == [0.01, 0.02, 0.04, 0.08, 0.16]
    output = capsys.readouterr().out
    assert "restarting in 0.01 s (attempt 1)" in output
    assert "worker exited quickly 5 times in a row (last code 3): giving up" in output
    assert (tmp_path / "worker.pid").read_text().isdigit()


def test_a_start_that_raises_is_retried_then_given_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def cannot_start() -> subprocess.Popen[bytes]:
        raise TimeoutError("embedded redis-server did not start")

    redis = Child("redis", cannot_start, None, restart=True, pid_dir=tmp_path)
    assert Supervisor([redis], backoff_base_s=0.01).run() == 1
    assert len(redis.history) == 5
    assert "redis 无法启动 / could not start: embedded redis-server did not start" in capsys.readouterr().out


def test_the_api_exiting_stops_everything(tmp_path: Path) -> None:
    sleeper = Child(
        "worker",
        lambda: subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]),
        None,
        restart=True,
        pid_dir=tmp_path,
    )
    api = Child("api", lambda: exits_with(0), None, restart=False, pid_dir=tmp_path)
    assert Supervisor([sleeper, api]).run() == 1
    assert sleeper.process is not None and sleeper.process.poll() is not None
