"""Real-name verification over real HTTP against uvicorn + arq worker processes: the sandbox certify page, the
sandbox's own notice sender (a worker job POSTing to our callback), the notice job, the sandbox-notify command,
and a worker SIGKILLed in the middle of the notice job (SECURITY check 14)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from arq.constants import in_progress_key_prefix
from arq.jobs import Job
from tortoise import Tortoise

from db.config import tortoise_config
from db.models import OutboxMessage, TrailEntry, VerificationAttempt
from db.redis import connect
from domain.kernel.jobs import Job as PortalJob
from domain.kernel.settings import PROJECT_ROOT, get_settings
from tests.e2e.client import LiveClient
from tests.e2e.conftest import _wait_ready, free_port
from tests.e2e.slow_provider import MARKER, SlowQueryProvider
from tests.helpers import LOGIN, PASSWORD, REGISTER, UPLOAD, VALID_ID, VALID_ID_2, image_bytes
from tests.verification_helpers import MATERIALS, START, VIEWER_VERIFICATION
from workers.queue import redis_url

STATUS_TIMEOUT_S = 10


class Client(LiveClient):
    """The live client plus the verification views the SPA polls."""

    async def viewer(self) -> dict[str, Any]:
        person: dict[str, Any] = (await self.gql(VIEWER_VERIFICATION))["viewer"]
        return person

    async def wait_for(self, status: str, timeout_s: float = STATUS_TIMEOUT_S) -> dict[str, Any]:
        """Poll viewer.verification like the SPA would, until it shows `status`."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while True:
            person = await self.viewer()
            if person["verification"]["status"] == status:
                # Read again: a response's fields are separate reads, and this one's trail may predate the commit.
                return await self.viewer()
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"still {person['verification']} after {timeout_s} s")
            await asyncio.sleep(0.1)


async def _person_with_materials(http: httpx.AsyncClient, id_number: str, mobile: str) -> Client:
    client = Client(http)
    registered = await client.gql(
        REGISTER,
        {
            "input": {
                "realName": "张三",
                "idNumber": id_number,
                "mobile": mobile,
                "password": PASSWORD,
                **await client.registration_code(mobile),
            }
        },
    )
    assert registered["register"]["errors"] == []
    logged = await client.gql(LOGIN, {"input": {"idNumber": id_number, "password": PASSWORD, **await client.captcha()}})
    client.token = logged["login"]["token"]
    for kind in MATERIALS:
        operations = {"query": UPLOAD, "variables": {"input": {"kind": kind, "file": None}}}
        response = await http.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": (f"{kind.lower()}.jpg", image_bytes(800, 600), "image/jpeg")},
            headers={"Authorization": f"Bearer {client.token}", "x-requested-with": "XMLHttpRequest"},
        )
        assert response.json()["data"]["uploadAttachment"]["errors"] == [], response.text
    return client


async def _start(client: Client, base: str) -> str:
    """startAlipayVerification; the certify URL points at this live server (PUBLIC_BASE_URL)."""
    payload = (await client.gql(START))["startAlipayVerification"]
    assert payload["errors"] == [], payload
    url = str(payload["verification"]["certifyUrl"])
    assert url.startswith(f"{base}/sandbox/alipay/certify/"), url
    return urlparse(url).path.rsplit("/", 1)[-1]


async def _press(http: httpx.AsyncClient, certify_id: str, decision: str) -> None:
    """Open the certify page as the phone would, then press a button."""
    page = await http.get(f"/sandbox/alipay/certify/{certify_id}")
    assert page.status_code == 200 and "刷脸通过" in page.text and "张*" in page.text
    pressed = await http.post(f"/sandbox/alipay/certify/{certify_id}", data={"decision": decision})
    assert pressed.status_code == 200, pressed.text
    assert ("已通过" if decision == "pass" else "已拒绝") in pressed.text


def _actions(person: dict[str, Any]) -> list[str]:
    return [edge["node"]["action"] for edge in person["trail"]["edges"]]


async def test_sandbox_pass_and_fail_through_the_page_sender_and_callback(live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        passing = await _person_with_materials(http, VALID_ID, "13800138001")
        certify_id = await _start(passing, live_server)
        assert (await passing.viewer())["verification"]["status"] == "PENDING"
        await _press(http, certify_id, "pass")

        person = await passing.wait_for("PASSED")
        assert person["verification"]["method"] == "ALIPAY" and person["verification"]["qrCodeDataUrl"] is None
        assert _actions(person)[:2] == ["VERIFICATION_PASSED", "VERIFICATION_STARTED"]

        failing = await _person_with_materials(http, VALID_ID_2, "13800138002")
        certify_id = await _start(failing, live_server)
        await _press(http, certify_id, "fail")

        person = await failing.wait_for("FAILED")
        assert person["verification"]["failureReason"] == "人脸比对未通过（沙箱）"
        assert _actions(person)[:2] == ["VERIFICATION_FAILED", "VERIFICATION_STARTED"]
        assert (await passing.viewer())["verification"]["status"] == "PASSED"  # one person's result only


def _sandbox_notify(base: str, certify_id: str, decision: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": redis_url(), "PUBLIC_BASE_URL": base}
    return subprocess.run(
        [sys.executable, "manage.py", "sandbox-notify", certify_id, decision],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


async def test_sandbox_notify_command_completes_a_verification(live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        client = await _person_with_materials(http, VALID_ID, "13800138001")
        certify_id = await _start(client, live_server)

        done = await asyncio.to_thread(_sandbox_notify, live_server, certify_id, "pass")

        assert done.returncode == 0, done.stdout + done.stderr
        assert "callback answered: success" in done.stdout
        person = await client.wait_for("PASSED")
        assert _actions(person).count("VERIFICATION_PASSED") == 1
        # The certify page shows the recorded result; the page cannot change it any more.
        page = await http.get(f"/sandbox/alipay/certify/{certify_id}")
        assert "本次认证已完成：通过" in page.text

        unknown = await asyncio.to_thread(_sandbox_notify, live_server, "SBX" + "0" * 32, "pass")
        assert unknown.returncode != 0
        usage = await asyncio.to_thread(_sandbox_notify, live_server, certify_id, "maybe")
        assert usage.returncode == 2


# --- check 14: a worker SIGKILLed in the middle of the notice job ------------------------------------------------


@dataclass
class Processes:
    base: str
    env: dict[str, str]
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: str, **extra_env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "manage.py", command],
            cwd=PROJECT_ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")


@pytest.fixture
def processes(clean_state: None) -> Iterator[Processes]:
    """An API process; the test starts and kills workers itself. Job timeout 2 s, so a dead worker's job is
    taken over after 2 + 10 s (arq's in-progress key)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIS_URL": redis_url(),
        "PUBLIC_BASE_URL": base,
        "WORKER_JOB_TIMEOUT_S": "2",
    }
    (get_settings().var_dir / MARKER).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-e2e-logs-") as logs:
        group = Processes(base, env, Path(logs))
        api = group.start("api", "serve")
        try:
            _wait_ready(base, [api])
            yield group
        finally:
            for process in group.running.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in group.running.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
async def db() -> AsyncIterator[None]:
    await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]))
    yield
    await Tortoise.close_connections()


def _read_marker(path: Path) -> str:
    return path.read_text() if path.exists() else ""


async def _wait_for_file(path: Path, process: subprocess.Popen[bytes], timeout_s: float = 15) -> str:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not (content := _read_marker(path)):
        assert process.poll() is None, "the worker exited early"
        assert asyncio.get_running_loop().time() < deadline, f"{path.name} never appeared"
        await asyncio.sleep(0.02)
    return content


async def test_a_worker_killed_mid_job_is_replaced_and_the_effect_happens_once(processes: Processes, db: None) -> None:
    spec = f"{SlowQueryProvider.__module__}:{SlowQueryProvider.__name__}"
    first = processes.start("worker-1", "worker", IDENTITY_PROVIDER=spec)
    redis = connect(redis_url())
    try:
        async with httpx.AsyncClient(base_url=processes.base, timeout=10) as http:
            client = await _person_with_materials(http, VALID_ID, "13800138001")
            certify_id = await _start(client, processes.base)
            await _press(http, certify_id, "pass")

            # The sandbox's sender (worker 1) posts the notice; worker 1 then hangs inside the provider query.
            marker = await _wait_for_file(get_settings().var_dir / MARKER, first)
            assert marker == f"{first.pid} {certify_id}"
            [message] = await OutboxMessage.filter(job_name=PortalJob.PROCESS_VERIFICATION_NOTICE.value)
            assert await redis.exists(in_progress_key_prefix + str(message.id)) == 1
            first.send_signal(signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
            assert (await client.viewer())["verification"]["status"] == "PENDING"

            processes.start("worker-2", "worker")  # the plain sandbox provider: query answers at once
            person = await client.wait_for("PASSED", timeout_s=30)

        assert _actions(person).count("VERIFICATION_PASSED") == 1, processes.log("worker-2")
        attempt = await VerificationAttempt.get(certify_id=certify_id)
        assert attempt.check_count == 1  # the killed try never got past the query
        assert await TrailEntry.filter(action="VERIFICATION_PASSED").count() == 1
        await message.refresh_from_db()
        assert message.done_at is not None and message.failed_at is None
        info = await Job(str(message.id), redis).result_info()
        assert info is not None and info.success and info.job_try == 2, processes.log("worker-2")
    finally:
        await redis.aclose()
