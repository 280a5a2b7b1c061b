"""Submissions per second (issue 9): `fileInitialRegistration` through /graphql (the whole domain step: gates, the
SMS code checked and used up, the rules, the Application, its first step, the trail entry and the outbox row in one
unit of work) against a raw insert endpoint writing the same rows (application, first step, outbox row) with plain
SQL in one transaction and nothing else. Each submission is another verified, qualified person prepared beforehand
through the real code (bench.applicants), with a real code from the real `requestSmsCode` step."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from arq.constants import default_queue_name, job_key_prefix
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tortoise.transactions import in_transaction

from bench.applicants import Applicant, issue_filing_code, make_applicant, qualified_enterprise
from bench.endpoints import CLIENT_ADDRESS
from bench.timing import rotation
from db.models import Application, ApplicationKind, ApplicationStep, OutboxMessage
from domain.kernel import clock
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings
from workers.queue import connect_pool

FILE = """mutation($input: FileInitialRegistrationInput!) { fileInitialRegistration(input: $input) {
  errors { field code message } application { id status steps { seq stage } } } }"""
GRAPHQL, RAW = "graphql", "raw-insert"
INSERT_APPLICATION = (
    "INSERT INTO application (person_id, kind, status, open_key, temporary, enterprise_id, contract_start,"
    " contract_end, specialty_codes, details, terms_version, terms_accepted_at, submitted_at, updated_at, version)"
    " VALUES (?, 'INITIAL', 'SUBMITTED', ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
)
INSERT_STEP = (
    "INSERT INTO application_step (application_id, seq, stage, outcome, actor_role, comment, items, created_at)"
    " VALUES (?, 1, 'SUBMISSION', 'DONE', 'APPLICANT', '申请人提交申报', '[]', ?)"
)
INSERT_OUTBOX = "INSERT INTO outbox_message (id, job_name, payload, created_at, enqueue_count) VALUES (?, ?, ?, ?, 0)"


@dataclass
class FilingRate:
    """Submissions per second of each way, one figure per round."""

    per_round: dict[str, list[float]] = field(default_factory=lambda: {GRAPHQL: [], RAW: []})
    per_round_count: int = 0
    setup_s: float = 0.0

    def median(self, name: str) -> float:
        return statistics.median(self.per_round[name])

    @property
    def ratio(self) -> float:
        return self.median(GRAPHQL) / self.median(RAW)

    def as_json(self) -> dict[str, object]:
        """For var/bench-results.json."""
        return {
            "submissions_per_round": self.per_round_count,
            "per_round_per_s": {name: [round(r, 1) for r in rates] for name, rates in self.per_round.items()},
            "median_per_s": {name: round(self.median(name), 1) for name in self.per_round},
            "graphql/raw-insert": round(self.ratio, 3),
        }


def contract() -> dict[str, str]:
    today = clock.business_date()
    return {
        "contractStart": (today - timedelta(days=365)).isoformat(),
        "contractEnd": (today + timedelta(days=730)).isoformat(),
    }


async def raw_insert(request: Request) -> JSONResponse:
    """POST /filings/raw {personId, enterpriseId, contractStart, contractEnd, specialtyCodes}: the three rows."""
    body = await request.json()
    person_id, now = int(body["personId"]), clock.now().isoformat(" ")
    async with in_transaction() as connection:
        application_id = await connection.execute_insert(
            INSERT_APPLICATION,
            [
                person_id,
                f"{person_id}:INITIAL",
                int(body["enterpriseId"]),
                body["contractStart"],
                body["contractEnd"],
                json.dumps(body["specialtyCodes"]),
                json.dumps({"continuing_education": False}),
                get_settings().filing_terms_version,
                now,
                now,
                now,
            ],
        )
        await connection.execute_query(INSERT_STEP, [application_id, now])
        payload = json.dumps({"application_id": application_id})
        await connection.execute_query(INSERT_OUTBOX, [str(uuid.uuid4()), Job.PRECHECK_APPLICATION.value, payload, now])
    return JSONResponse({"id": application_id}, status_code=201)


async def _graphql(client: httpx.AsyncClient, applicant: Applicant, enterprise_gid: str) -> None:
    variables = {
        "input": {
            "enterpriseId": enterprise_gid,
            "specialtyCodes": ["01"],
            **contract(),
            "acceptTerms": True,
            "smsCode": applicant.sms_code,
        }
    }
    headers = {"authorization": f"Bearer {applicant.token}"}
    response = await client.post("/graphql", json={"query": FILE, "variables": variables}, headers=headers)
    payload = response.json()["data"]["fileInitialRegistration"]
    assert payload["errors"] == [] and payload["application"]["status"] == "SUBMITTED", payload


async def _raw(client: httpx.AsyncClient, applicant: Applicant, enterprise_id: int) -> None:
    body = {"personId": applicant.person_id, "enterpriseId": enterprise_id, "specialtyCodes": ["01"], **contract()}
    response = await client.post("/filings/raw", json=body)
    assert response.status_code == 201, response.text


async def _prepare(deps: Deps, count: int, with_codes: bool, start: int) -> list[Applicant]:
    people = [await make_applicant(start + index) for index in range(count)]
    return [await issue_filing_code(deps, person) for person in people] if with_codes else people


async def _check_rows(raw_people: Iterator[int]) -> None:
    """The raw rows read back through the models like the domain's (same columns, same types)."""
    row = await Application.get(person_id=next(raw_people))
    assert row.kind == ApplicationKind.INITIAL and row.specialty_codes == ["01"] and row.submitted_at.tzinfo
    assert await ApplicationStep.filter(application_id=row.id, seq=1).count() == 1
    assert await OutboxMessage.filter(job_name=Job.PRECHECK_APPLICATION.value).count() > 0


async def measure_filing_rate(app: Any, deps: Deps, rounds: int, per_round: int) -> FilingRate:
    """Prepare rounds × per_round people for each way, then interleaved rounds (rotating order)."""
    found, started = FilingRate(per_round_count=per_round), time.perf_counter()
    enterprise = await qualified_enterprise()
    from bench.shape import global_id

    enterprise_gid = global_id("Enterprise", enterprise.id)
    total = rounds * per_round
    people = {
        GRAPHQL: iter(await _prepare(deps, total + 2, True, 1_000)),
        RAW: iter(await _prepare(deps, total + 2, False, 100_000)),
    }
    raw_ids: list[int] = []
    found.setup_s = time.perf_counter() - started
    transport = httpx.ASGITransport(app=app, client=CLIENT_ADDRESS)
    raw_app = Starlette(routes=[Route("/filings/raw", raw_insert, methods=["POST"])])
    raw_transport = httpx.ASGITransport(app=raw_app, client=CLIENT_ADDRESS)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://bench") as portal,
        httpx.AsyncClient(transport=raw_transport, base_url="http://bench") as raw,
    ):
        send = {GRAPHQL: lambda a: _graphql(portal, a, enterprise_gid), RAW: lambda a: _raw(raw, a, enterprise.id)}
        for name in (GRAPHQL, RAW):  # warm up: one each
            await send[name](next(people[name]))
        for round_index in range(rounds):
            for name in rotation([GRAPHQL, RAW], round_index):
                batch = [next(people[name]) for _ in range(per_round)]
                if name == RAW:
                    raw_ids.append(batch[0].person_id)
                begin = time.perf_counter()
                for applicant in batch:
                    await send[name](applicant)
                found.per_round[name].append(per_round / (time.perf_counter() - begin))
    await _check_rows(iter(raw_ids))
    return found


async def drop_queued_jobs() -> int:
    """After the portal's lifespan (its outbox relay stopped): the pre-check and SMS jobs the filings queued in the
    bench's own embedded Redis are dropped (no worker ran them), so the notice figure starts on an empty queue."""
    pool = connect_pool()
    try:
        job_keys = [key async for key in pool.scan_iter(match=f"{job_key_prefix}*")]
        await pool.delete(default_queue_name, *job_keys)
        return len(job_keys)
    finally:
        await pool.aclose()


def print_filing_rate(found: FilingRate) -> None:
    print("\n== Submissions per second (fileInitialRegistration through /graphql vs a raw insert endpoint)")
    print(
        f"   {len(found.per_round[GRAPHQL])} interleaved rounds × {found.per_round_count} submissions, each by "
        f"another verified, qualified person (setup {found.setup_s:.1f} s, untimed)"
    )
    for name, label in ((GRAPHQL, "GraphQL (domain step)"), (RAW, "raw SQL insert")):
        rates = found.per_round[name]
        print(f"   {label:<24}{found.median(name):>9.1f}/s   rounds {min(rates):.0f}–{max(rates):.0f}")
    print(f"   GraphQL / raw insert {found.ratio:.3f}×  (reported, not gated)")
