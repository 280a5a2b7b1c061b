"""SECURITY check 10: two API processes (`manage.py serve`) and one worker (`manage.py worker`) on one SQLite file,
eight applicants filing, withdrawing, updating their profile and asking for SMS codes against both for 60 s
(LOAD_SECONDS shortens it locally) → no 5xx, no "database is locked" in any process's log, every accepted filing
stored with its steps and its pre-check done by the worker, every outbox row done."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry import relay

from db.models import Application, ApplicationStep, OutboxMessage
from tests.conftest import BACKEND
from tests.e2e.load_processes import running_processes
from tests.filing_helpers import MUTATIONS, PROFILE, WITHDRAW, applicant, contract, global_id, make_enterprise, qualify
from tests.graph.accounts.helpers import client_at, make_id_number
from tests.helpers import REQUEST_SMS, Api

pytestmark = [
    pytest.mark.timing,  # two servers and a worker busy for a minute: run apart, serially
    pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite only: the check is about one shared SQLite file's locks"),
]
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
APPLICANTS = 8
LIVE_LIMITS = {  # each applicant asks for a code per filing: the per-mobile and per-address caps would stop them
    "SMS_RESEND_INTERVAL_S": "1",
    "SMS_DAILY_CAP_PER_MOBILE": "100000",
    "SMS_DAILY_CAP_PER_IP": "100000",
}
STEPS_OF = "query($id: ID!) { node(id: $id) { ... on Application { status steps { stage } } } }"
NAME, INPUT_TYPE = MUTATIONS["INITIAL"]
FILE = f"""mutation($input: {INPUT_TYPE}!) {{ {NAME}(input: $input) {{ errors {{ code }} application {{ id }} }} }}"""


class Tally:
    """What the clients saw: requests by HTTP status, accepted filings, withdrawals."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.filed: list[str] = []
        self.withdrawn: list[str] = []
        self.refusals: Counter[str] = Counter()


class Applicant:
    """One person's session, alternating between the two API processes."""

    def __init__(self, http: httpx.AsyncClient, bases: list[str], token: str, mobile: str, fields: dict[str, Any]):
        self.http, self.bases, self.token, self.mobile, self.fields = http, bases, token, mobile, fields
        self.turn = 0

    async def gql(self, tally: Tally, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.turn += 1
        base = self.bases[self.turn % len(self.bases)]
        response = await self.http.post(
            f"{base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        tally.statuses[response.status_code] += 1
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def code(self, tally: Tally) -> str:
        """requestSmsCode (again after the resend interval if asked too soon), then the worker's delivery."""
        seen = {message["idempotencyKey"] for message in await self.inbox()}
        while True:
            sent = (await self.gql(tally, REQUEST_SMS, {"input": {"purpose": "FILING_INITIAL"}}))["requestSmsCode"]
            if not sent["errors"]:
                break
            tally.refusals.update(error["code"] for error in sent["errors"])
            await asyncio.sleep(0.5)
        for _ in range(300):
            for message in await self.inbox():
                found = re.search(r"验证码(\d{6})", message["text"])
                if found and message["idempotencyKey"] not in seen:
                    return found.group(1)
            await asyncio.sleep(0.1)
        raise AssertionError(f"no filing code delivered to {self.mobile}")

    async def inbox(self) -> list[dict[str, str]]:
        response = await self.http.get(f"{self.bases[0]}/dev/sms", params={"mobile": self.mobile})
        messages: list[dict[str, str]] = response.json()["messages"]
        return messages

    async def cycle(self, tally: Tally) -> None:
        """Ask for a code, file, update the profile, wait for the worker's pre-check, withdraw."""
        code = await self.code(tally)
        filed = (await self.gql(tally, FILE, {"input": {**self.fields, "acceptTerms": True, "smsCode": code}}))[NAME]
        assert filed["errors"] == [], filed
        application_id = filed["application"]["id"]
        tally.filed.append(application_id)
        assert (await self.gql(tally, PROFILE))["updateProfile"]["errors"] == []
        for _ in range(600):
            node = (await self.gql(tally, STEPS_OF, {"id": application_id}))["node"]
            if "PRECHECK" in [step["stage"] for step in node["steps"]]:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"no pre-check of {application_id}")
        withdrawn = (await self.gql(tally, WITHDRAW, {"input": {"id": application_id}}))["withdrawApplication"]
        assert withdrawn["errors"] == [], withdrawn
        tally.withdrawn.append(application_id)

    async def run(self, tally: Tally, until: float) -> None:
        while time.monotonic() < until:
            await self.cycle(tally)


async def prepared(api: Api, index: int) -> tuple[str, str, dict[str, Any]]:
    """Registered (from its own address), verified, profile complete, qualified: token, mobile, filing fields."""
    id_number, mobile = make_id_number(sequence=f"{index + 100:03d}"), f"1380013{index + 8100:04d}"
    async with client_at(api, f"203.0.113.{index + 20}") as person:
        await applicant(person, id_number=id_number, mobile=mobile)
    await qualify("01", id_number=id_number)
    enterprise = await make_enterprise()
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    return str(person.token), mobile, fields


def every_log(directory: Path) -> str:
    """Every process's stderr and JSON log (rotated files included), as one text."""
    return "\n".join(path.read_text(errors="replace") for path in sorted(directory.rglob("*")) if path.is_file())


async def test_two_api_processes_and_a_worker_write_to_one_sqlite_file_without_lock_errors(
    api: Api, app: Any, tmp_path: Path
) -> None:
    people = [await prepared(api, index) for index in range(APPLICANTS)]
    tally = Tally()
    with running_processes(tmp_path, LIVE_LIMITS) as (bases, drained):
        async with httpx.AsyncClient(timeout=60) as http:
            clients = [Applicant(http, bases[i % 2 :] + bases[: i % 2], *person) for i, person in enumerate(people)]
            until = time.monotonic() + LOAD_SECONDS
            await asyncio.gather(*(client.run(tally, until) for client in clients))
        await drained()  # the worker has nothing left to do
    logs = every_log(tmp_path)
    print(
        f"\nrequests {sum(tally.statuses.values())} {dict(tally.statuses)}, filings {len(tally.filed)}, "
        f"withdrawn {len(tally.withdrawn)}, refusals {dict(tally.refusals)}"
    )

    assert set(tally.statuses) == {200}
    assert all((tmp_path / name / "portal.jsonl").stat().st_size for name in ("api-0", "api-1", "worker"))
    assert "database is locked" not in logs.lower()
    assert '"level": "ERROR"' not in logs
    assert len(tally.filed) >= APPLICANTS
    ids = sorted(int(relay.GlobalID.from_id(filed).node_id) for filed in tally.filed)
    assert await Application.filter(id__in=ids).count() == len(ids)
    stages = Counter(await ApplicationStep.filter(application_id__in=ids).values_list("stage", flat=True))
    assert {getattr(stage, "value", stage): count for stage, count in stages.items()} == {
        "SUBMISSION": len(ids),
        "PRECHECK": len(ids),
        "WITHDRAWAL": len(tally.withdrawn),
    }
    assert await OutboxMessage.filter(done_at=None).count() == 0
    assert await OutboxMessage.exclude(failed_at=None).count() == 0
