"""The process supervisor of `make run` (manage.py run): the API, the worker and the embedded Redis as children.
A crashed worker or Redis is restarted with exponential back-off while the API keeps serving (its /readyz says 503
while Redis is down); a child failing fast again and again is given up with a clear message, and then everything
stops with a non-zero exit. The API's exit, Ctrl-C or SIGTERM stop everything (Redis last)."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 30.0
STABLE_AFTER_S = 30.0  # a child that ran this long before exiting starts a fresh back-off series
MAX_FAST_FAILURES = 5  # consecutive exits within STABLE_AFTER_S before giving up
POLL_S = 0.2


def backoff_s(failures: int, base_s: float = BACKOFF_BASE_S) -> float:
    """The wait before restart number `failures` (1, 2, 4, … seconds, capped)."""
    return float(min(BACKOFF_CAP_S, base_s * 2 ** max(0, failures - 1)))


@dataclass
class Child:
    """One supervised process; `start` launches it (and may raise when it cannot start); `stop` stops it, or None
    for a SIGINT (a clean shutdown for uvicorn and arq)."""

    name: str
    start: Callable[[], subprocess.Popen[bytes]]
    stop: Callable[[subprocess.Popen[bytes]], None] | None
    restart: bool
    pid_dir: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    history: list[float] = field(default_factory=list)

    def launch(self) -> bool:
        """Start the process and record its pid in var/run/<name>.pid; False when it could not start."""
        try:
            self.process = self.start()
        except Exception as exc:  # a start that fails counts as a fast failure
            print(f"{self.name} 无法启动 / could not start: {exc}", flush=True)
            self.process = None
            return False
        self.started_at = time.monotonic()
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        (self.pid_dir / f"{self.name}.pid").write_text(str(self.process.pid))
        return True

    def exited(self) -> int | None:
        """The exit code when the process has ended (or never started), else None."""
        if self.process is None:
            return -1
        return self.process.poll()


class Supervisor:
    """Runs the children until one cannot be kept up, the API exits, or a stop signal arrives."""

    def __init__(self, children: list[Child], backoff_base_s: float = BACKOFF_BASE_S) -> None:
        self.children = children
        self.backoff_base_s = backoff_base_s
        self.stopping = False
        self.gave_up: str | None = None

    def run(self) -> int:
        """Supervise; then stop every child in reverse start order. The exit code: 0 on a requested stop."""
        previous = {signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            return self._supervise()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _supervise(self) -> int:
        for child in self.children:
            if not child.launch():
                self._schedule(child, -1)
        while not self.stopping and self.gave_up is None:
            for child in self.children:
                self._tend(child)
            time.sleep(POLL_S)
        self._stop_all()
        print("已停止 API、worker 与 Redis / API, worker and Redis stopped", flush=True)
        if self.gave_up is not None:
            print(self.gave_up, flush=True)
            return 1
        return 0

    def _stop_all(self, timeout_s: float = 15) -> None:
        """SIGINT to the API and the worker at once, SIGKILL to those still running after `timeout_s`; then the
        children with their own `stop` (Redis), in reverse start order."""
        graceful = [c.process for c in self.children if c.stop is None and c.process is not None]
        for process in graceful:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout_s
        for process in graceful:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in reversed(self.children):
            if child.stop is not None and child.process is not None:
                child.stop(child.process)

    def _on_signal(self, _signum: int, _frame: Any) -> None:
        self.stopping = True

    def _tend(self, child: Child) -> None:
        if child.restart_at is not None:
            if time.monotonic() >= child.restart_at:
                child.restart_at = None
                if child.launch():
                    print(f"{child.name} 已重启 / restarted (pid {child.process and child.process.pid})", flush=True)
                else:
                    self._schedule(child, -1)
            return
        code = child.exited()
        if code is None or self.stopping:
            return
        if not child.restart:
            self.gave_up = (
                f"{child.name} 已退出（代码 {code}），全部停止 / exited with code {code}: stopping everything"
            )
            return
        self._schedule(child, code)

    def _schedule(self, child: Child, code: int) -> None:
        ran = time.monotonic() - child.started_at if child.started_at else 0.0
        child.failures = 1 if ran >= STABLE_AFTER_S else child.failures + 1
        if child.failures > MAX_FAST_FAILURES:
            self.gave_up = (
                f"{child.name} 连续 {MAX_FAST_FAILURES} 次启动后很快退出，放弃重启 / "
                f"{child.name} exited quickly {MAX_FAST_FAILURES} times in a row (last code {code}): giving up"
            )
            return
        delay = backoff_s(child.failures, self.backoff_base_s)
        child.history.append(delay)
        child.restart_at = time.monotonic() + delay
        print(
            f"{child.name} 已退出（代码 {code}），{delay:g} 秒后重启（第 {child.failures} 次）/ "
            f"exited with code {code}, restarting in {delay:g} s (attempt {child.failures})",
            flush=True,
        )
