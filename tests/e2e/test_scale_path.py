"""The scale path's one setting: `manage.py run` with API_PROCESSES=2 and WORKER_PROCESSES=2 starts two API
processes (PORT and PORT+1) and two workers under the supervisor, on the test's database and Redis; both APIs
answer, and a subscription on the second receives, through Redis pub/sub, the step that a withdrawal made on the
first writes (LIVE_RECHECK_S is an hour: no re-read could deliver it within the wait). Every wait polls a condition
with a deadline or awaits a message with a bound."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from tortoise import Tortoise

from db.config import tortoise_config
from db.models import Person
from domain import accounts
from domain.accounts import sessions
from domain.kernel.actors import RequestMeta
from domain.kernel.settings import PROJECT_ROOT
from tests.e2e.conftest import free_port, reap
from tests.filing_helpers import MUTATIONS, WITHDRAW, contract, global_id, make_enterprise, qualify, verify
from tests.graph.accounts.helpers import make_id_number
from tests.helpers import REQUEST_SMS, sms_code_of
from tests.live_client import signed_in
from workers.queue import redis_url

T = TypeVar("T")
DEADLINE_S = 90.0
NAME, INPUT_TYPE = MUTATIONS["INITIAL"]
FILE = f"""mutation($input: {INPUT_TYPE}!) {{ {NAME}(input: $input) {{ errors {{ code }} application {{ id }} }} }}"""
STEPS_OF = "query($id: ID!) { node(id: $id) { ... on Application { status steps { seq stage } } } }"
PROGRESS = "subscription($id: ID!, $after: Int) { applicationProgress(id: $id, afterSeq: $after) { seq stage } }"
PROFILE: dict[str, Any] = {"ethnicity": "汉族", "email": "a@example.com", "education": "大学本科", "degree": "学士"}


async def poll(condition: Callable[[], Awaitable[T | None]], what: str, timeout_s: float = DEADLINE_S) -> T:
    """The condition's first truthy value, polled until the deadline."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = await condition()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise TimeoutError(what)


@dataclass
class Scaled:
    bases: list[str]
    var_dir: Path
    output: Path

    def pid(self, name: str) -> int | None:
        try:
            pid = int((self.var_dir / "run" / f"{name}.pid").read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid


def two_free_ports() -> int:
    """A free loopback port whose successor is free too (API_PROCESSES=2 serve on PORT and PORT+1)."""
    while True:
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def start_run(env: dict[str, str], output: Path) -> subprocess.Popen[bytes]:
    """`manage.py run`, its output to a file."""
    with output.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run"], cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )


@pytest.fixture
async def scaled(clean_state: None) -> AsyncIterator[Scaled]:
    """`manage.py run` with two API processes and two workers on the test's database and Redis."""
    var_dir = Path(tempfile.mkdtemp(prefix="scale-", dir="/tmp"))
    port = two_free_ports()
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "PORT": str(port),
        "REDIS_URL": redis_url(),
        "API_PROCESSES": "2",
        "WORKER_PROCESSES": "2",
        "LIVE_RECHECK_S": "3600",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    output = var_dir / "run.out"
    process = start_run(env, output)
    run = Scaled([f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"], var_dir, output)
    try:
        await poll(lambda: _ready(run, process), f"manage.py run never became ready: {output.read_text()[-2000:]}")
        await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]))
        yield run
    finally:
        await Tortoise.close_connections()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        reap(var_dir / "run")
        shutil.rmtree(var_dir, ignore_errors=True)


async def _ready(run: Scaled, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"manage.py run exited with {process.returncode}: {run.output.read_text()[-2000:]}")
    if not all(run.pid(name) for name in ("api-1", "api-2", "worker-1", "worker-2")):
        return False
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return all([(await http.get(f"{base}/readyz")).status_code == 200 for base in run.bases])
    except httpx.HTTPError:
        return False


async def ready_to_file() -> tuple[str, str, str]:
    """A verified person with a complete profile, a qualification and a session: (token, mobile, enterprise id)."""
    id_number, mobile = make_id_number("19850101", "231"), "13600136001"
    person = await Person.create(
        real_name="张三",
        mobile=mobile,
        password_hash="not-a-login",
        **accounts.id_number_columns(accounts.parse_id_number(id_number)),
        school="同济大学",
        **PROFILE,
    )
    await verify(person.id)
    await qualify(id_number=id_number)
    enterprise = await make_enterprise(province="31")  # the dev seed holds serial 1 of 11, 12 and 36
    issued = await sessions.open_session(RequestMeta(ip="127.0.0.1", user_agent="scale-test"), person=person)
    return issued.token, mobile, global_id("Enterprise", enterprise.id)


class Client:
    """GraphQL over HTTP to one API process with the person's Bearer token."""

    def __init__(self, http: httpx.AsyncClient, base: str, token: str) -> None:
        self.http, self.base, self.token = http, base, token

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def filing_code(self, mobile: str) -> str:
        sent = (await self.gql(REQUEST_SMS, {"input": {"purpose": "FILING_INITIAL"}}))["requestSmsCode"]
        assert sent["errors"] == [], sent

        async def delivered() -> str | None:
            messages = (await self.http.get(f"{self.base}/dev/sms", params={"mobile": mobile})).json()["messages"]
            return sms_code_of(messages[0]) if messages else None

        return await poll(delivered, "the worker never delivered the filing code")


async def test_two_api_processes_and_a_subscription_across_them(scaled: Scaled) -> None:
    assert "API 1: " + scaled.bases[0] in scaled.output.read_text()
    assert "API 2: " + scaled.bases[1] in scaled.output.read_text()
    token, mobile, enterprise_id = await ready_to_file()
    async with httpx.AsyncClient(timeout=30) as http:
        first = Client(http, scaled.bases[0], token)
        for base in scaled.bases:  # both processes answer the same session
            viewer = await Client(http, base, token).gql("{ viewer { mobileMasked } }")
            assert viewer["viewer"]["mobileMasked"].endswith("6001")
        code = await first.filing_code(mobile)
        fields = {"enterpriseId": enterprise_id, **contract(), "specialtyCodes": ["01"], "continuingEducation": False}
        filed = (await first.gql(FILE, {"input": {**fields, "acceptTerms": True, "smsCode": code}}))[NAME]
        assert filed["errors"] == [], filed
        application_id = filed["application"]["id"]

        async def prechecked() -> list[dict[str, Any]] | None:  # by one of the two workers
            steps: list[dict[str, Any]] = (await first.gql(STEPS_OF, {"id": application_id}))["node"]["steps"]
            return steps if "PRECHECK" in [step["stage"] for step in steps] else None

        steps = await poll(prechecked, "no pre-check step")
        ws_url = scaled.bases[1].replace("http://", "ws://") + "/graphql"
        async with signed_in(ws_url, token) as sock:
            await sock.subscribe("1", PROGRESS, {"id": application_id, "after": steps[-2]["seq"]})
            # The last step already there comes first: the subscription now listens on the second process.
            assert (await sock.next_data("1"))["applicationProgress"] == steps[-1]
            withdrawn = (await first.gql(WITHDRAW, {"input": {"id": application_id}}))["withdrawApplication"]
            assert withdrawn["errors"] == [], withdrawn
            pushed = (await sock.next_data("1", wait_s=30))["applicationProgress"]
    assert pushed == {"seq": steps[-1]["seq"] + 1, "stage": withdrawn["application"]["steps"][-1]["stage"]}
