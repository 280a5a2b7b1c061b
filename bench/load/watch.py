"""Progress events across processes: a few applicants of the runner's own file an initial registration on the first
API process; a graphql-transport-ws subscriber on the last one (`applicationProgress(id, afterSeq: 0)`) receives
their steps for the whole run; at the end each filing still open is withdrawn on the first process. Every step in
the database must have reached the subscriber. A step written after the subscription was listening (its first
message received) can only arrive through Redis pub/sub: the stack runs with LIVE_RECHECK_S=3600."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from strawberry import relay
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.load.seed import Seeded
from db.models import ApplicationStep

PROTOCOL = Subprotocol("graphql-transport-ws")
WAIT_S = 60.0
REQUEST_SMS = "mutation { requestSmsCode(input: {purpose: FILING_INITIAL}) { errors { code message } } }"
FILE = """mutation($input: FileInitialRegistrationInput!) { fileInitialRegistration(input: $input) {
  errors { code message } application { id } } }"""
WITHDRAWABLE = "query($id: ID!) { node(id: $id) { ... on Application { withdrawable } } }"
WITHDRAW = """mutation($id: ID!) { withdrawApplication(input: {id: $id}) { errors { code message }
  application { steps { seq } } } }"""
PROGRESS = "subscription($id: ID!) { applicationProgress(id: $id, afterSeq: 0) { seq stage } }"
CODE = re.compile(r"验证码(\d{6})")


@dataclass
class Watched:
    """One watched filing: what the subscriber received, what the database held when it started listening."""

    applicant: Seeded
    application_id: str = ""
    pk: int = 0
    received: list[int] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    listening_after_seq: int = 0  # the last step in the database once the subscription's first message came
    withdrawal_seq: int | None = None
    written: list[int] = field(default_factory=list)  # the steps in the database at the end
    problems: list[str] = field(default_factory=list)

    @property
    def pushed(self) -> int:
        """Steps received that were written after the subscription listened: delivered by pub/sub events."""
        return sum(1 for seq in self.received if seq > self.listening_after_seq)

    @property
    def missing(self) -> list[int]:
        return sorted(set(self.written) - set(self.received))


@dataclass
class WatchResult:
    filings: list[Watched]
    subscriber_base: str
    filing_base: str

    @property
    def received(self) -> int:
        return sum(len(w.received) for w in self.filings)

    @property
    def pushed(self) -> int:
        return sum(w.pushed for w in self.filings)

    @property
    def missing(self) -> int:
        return sum(len(w.missing) for w in self.filings)

    @property
    def withdrawals_received(self) -> int:
        return sum(1 for w in self.filings if w.withdrawal_seq is not None and w.withdrawal_seq in w.received)

    @property
    def problems(self) -> list[str]:
        return [problem for w in self.filings for problem in w.problems]

    @property
    def ok(self) -> bool:
        return bool(self.filings) and self.missing == 0 and not self.problems and self.pushed > 0

    def as_json(self) -> dict[str, object]:
        return {
            "filing_process": self.filing_base,
            "subscriber_process": self.subscriber_base,
            "filings": len(self.filings),
            "steps_received": self.received,
            "steps_pushed_after_listening": self.pushed,
            "withdrawal_steps_received": self.withdrawals_received,
            "steps_missing": self.missing,
            "problems": self.problems,
        }


async def _gql(http: httpx.AsyncClient, base: str, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await http.post(
        f"{base}/graphql", json={"query": query, "variables": variables}, headers={"authorization": f"Bearer {token}"}
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise AssertionError(f"{query[:40]}…: HTTP {response.status_code} {body.get('errors')}")
    return body["data"]


async def _file(http: httpx.AsyncClient, base: str, who: Seeded, filing: dict[str, Any]) -> str:
    """requestSmsCode, the code from /dev/sms once the worker delivered it, fileInitialRegistration: the id."""
    sent = (await _gql(http, base, who.token, REQUEST_SMS, {}))["requestSmsCode"]
    assert not sent["errors"], sent
    deadline = time.monotonic() + WAIT_S
    code = None
    while code is None:
        assert time.monotonic() < deadline, f"no filing code for {who.mobile}"
        messages = (await http.get(f"{base}/dev/sms", params={"mobile": who.mobile})).json()["messages"]
        found = [CODE.search(message["text"]) for message in messages]
        code = next((match.group(1) for match in found if match), None)
        if code is None:
            await asyncio.sleep(0.1)
    variables = {"input": {**filing, "acceptTerms": True, "smsCode": code}}
    filed = (await _gql(http, base, who.token, FILE, variables))["fileInitialRegistration"]
    assert not filed["errors"], filed
    return str(filed["application"]["id"])


async def _last_seq(pk: int) -> int:
    step = await ApplicationStep.filter(application_id=pk).order_by("-seq").first()
    return step.seq if step else 0


class Watcher:
    """The subscriber's sockets and their readers, from `start` to `finish`."""

    def __init__(self, bases: list[str], filing: dict[str, Any]) -> None:
        self.filing_base, self.subscriber_base = bases[0], bases[-1]
        self.filing = filing
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.result = WatchResult([], self.subscriber_base, self.filing_base)

    async def start(self, applicants: list[Seeded]) -> None:
        """File for each applicant on the first process, then subscribe on the last one and wait for its first
        message (the submission step): from then on the subscription listens."""
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            for applicant in applicants:
                watched = Watched(applicant)
                watched.application_id = await _file(http, self.filing_base, applicant, self.filing)
                watched.pk = int(relay.GlobalID.from_id(watched.application_id).node_id)
                self.result.filings.append(watched)
                await self._subscribe(watched)

    async def _subscribe(self, watched: Watched) -> None:
        url = self.subscriber_base.replace("http://", "ws://") + "/graphql"
        ws = await connect(url, subprotocols=[PROTOCOL], open_timeout=WAIT_S, close_timeout=2)
        self.sockets.append(ws)
        authorization = {"authorization": f"Bearer {watched.applicant.token}"}
        await ws.send(json.dumps({"type": "connection_init", "payload": authorization}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))
        assert ack.get("type") == "connection_ack", ack
        payload = {"query": PROGRESS, "variables": {"id": watched.application_id}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        first = asyncio.get_running_loop().create_future()
        self.readers.append(asyncio.create_task(self._read(ws, watched, first)))
        await asyncio.wait_for(first, WAIT_S)
        watched.listening_after_seq = await _last_seq(watched.pk)

    async def _read(self, ws: ClientConnection, watched: Watched, first: asyncio.Future[None]) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message.get("type") == "next" and not message["payload"].get("errors"):
                    step = message["payload"]["data"]["applicationProgress"]
                    watched.received.append(int(step["seq"]))
                    watched.stages.append(str(step["stage"]))
                    if not first.done():
                        first.set_result(None)
                else:
                    watched.problems.append(f"{watched.application_id}: {json.dumps(message, ensure_ascii=False)}")

    async def finish(self) -> WatchResult:
        """Withdraw each filing still open (on the first process), wait until every step in the database has
        reached the subscriber (bounded), close the sockets."""
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            for watched in self.result.filings:
                token, wid = watched.applicant.token, watched.application_id
                node = (await _gql(http, self.filing_base, token, WITHDRAWABLE, {"id": wid}))["node"]
                if node["withdrawable"]:
                    done = (await _gql(http, self.filing_base, token, WITHDRAW, {"id": wid}))["withdrawApplication"]
                    assert not done["errors"], done
                    watched.withdrawal_seq = done["application"]["steps"][-1]["seq"]
        deadline = time.monotonic() + WAIT_S
        while True:
            for watched in self.result.filings:
                watched.written = [s.seq for s in await ApplicationStep.filter(application_id=watched.pk)]
            if self.result.missing == 0 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        for task in self.readers:
            task.cancel()
        for ws in self.sockets:
            await ws.close()
        await asyncio.gather(*self.readers, return_exceptions=True)
        return self.result
