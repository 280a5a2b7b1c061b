"""The applicant dashboard (issue 9): one GraphQL query (viewer, qualifications, 10 filings with their steps, the
trail page) against the hand-written Starlette + Tortoise endpoint (bench.dashboard_view), the same JSON checked
first; the SQL statements per GraphQL request for a person with 1 filing and one with 20 filings of 5 steps each
must be equal (DataLoaders: a gate); the two endpoints timed interleaved on the larger person."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from bench import data, shape
from bench.applicants import make_applicant, qualified_enterprise
from bench.dashboard_view import DASHBOARD_QUERY, dashboard_tortoise
from bench.endpoints import CLIENT_ADDRESS, GRAPHQL, TORTOISE, Endpoint
from bench.run import first_difference
from bench.sqlcount import StatementTrace
from bench.timing import Throughput, interleaved, warm_up
from db.models import Application, ApplicationKind, ApplicationStatus, ApplicationStep, Qualification, StepOutcome
from domain.filings import ActorRole, Stage
from domain.kernel import clock

SIZES = (1, 20)  # filings of the small and the large person
STEPS = 5
STAGES = (Stage.SUBMISSION, Stage.PRECHECK, Stage.ENTERPRISE_CONFIRMATION, Stage.SPECIALTY_REVIEW, Stage.CORRECTION)
TRAIL = 25


@dataclass
class DashboardResult:
    statements: dict[int, int] = field(default_factory=dict)  # filings -> SQL statements per GraphQL request
    baseline_statements: dict[int, int] = field(default_factory=dict)
    throughput: dict[str, Throughput] = field(default_factory=dict)

    @property
    def constant(self) -> bool:
        return len(set(self.statements.values())) == 1

    @property
    def ratio(self) -> float:
        return self.throughput[GRAPHQL].median_rps / self.throughput[TORTOISE].median_rps

    def as_json(self) -> dict[str, object]:
        """For var/bench-results.json."""
        return {
            "sql_statements_per_graphql_request_by_filings": self.statements,
            "sql_statements_per_baseline_request_by_filings": self.baseline_statements,
            "statements_constant": self.constant,
            "endpoints": {name: figures.as_json() for name, figures in self.throughput.items()},
            "graphql/tortoise": round(self.ratio, 3),
        }


async def add_filings(person_id: int, enterprise_id: int, count: int) -> None:
    """`count` closed filings (no open_key) of 5 steps each, a second qualification too."""
    now = clock.now()
    await Qualification.create(
        id_number_digest=(await _digest(person_id)),
        id_number_masked="110101********0000",
        real_name="王建",
        specialty_code="02",
        certificate_number=f"B02X{person_id:08d}",
        issued_on=clock.business_date(),
        temporary=True,
        imported_at=now,
    )
    for index in range(count):
        at = now - timedelta(days=count - index)
        application = await Application.create(
            person_id=person_id,
            kind=list(ApplicationKind)[index % len(ApplicationKind)],
            status=ApplicationStatus.WITHDRAWN if index % 2 else ApplicationStatus.SUBMITTED,
            temporary=index % 3 == 0,
            enterprise_id=None if index % 4 == 3 else enterprise_id,
            specialty_codes=["01", "02"][: 1 + index % 2],
            terms_version="2024-1",
            terms_accepted_at=at,
            submitted_at=at,
            updated_at=at,
        )
        for seq, stage in enumerate(STAGES[:STEPS], start=1):
            await ApplicationStep.create(
                application_id=application.id,
                seq=seq,
                stage=stage.value,
                outcome=StepOutcome.DONE,
                actor_role=ActorRole.SYSTEM.value,
                comment=f"第{seq}步",
                created_at=at + timedelta(hours=seq),
                deadline_on=clock.business_date() if seq == STEPS else None,
            )


async def _digest(person_id: int) -> str:
    from db.models import Person

    return (await Person.get(id=person_id)).id_number_digest


async def check_same_json(endpoints: list[Endpoint], filings: int) -> None:
    """Both endpoints answer the same decoded JSON (GraphQL's `extensions` aside), with the filings and steps."""
    graphql, baseline = [await endpoint.json() for endpoint in endpoints]
    assert "errors" not in graphql, f"GraphQL answered errors: {graphql['errors']}"
    edges = graphql["data"]["viewer"]["applications"]["edges"]
    assert len(edges) == min(filings, 10) and all(len(e["node"]["steps"]) == STEPS for e in edges), edges
    difference = first_difference(baseline, {key: value for key, value in graphql.items() if key != "extensions"})
    assert difference is None, f"the dashboard baseline does not answer the same JSON as GraphQL: {difference}"


def _endpoints(portal: httpx.AsyncClient, bench: httpx.AsyncClient, token: str) -> list[Endpoint]:
    body = json.dumps({"query": DASHBOARD_QUERY, "variables": {"first": shape.PAGE_SIZE}}).encode()
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

    async def graphql() -> httpx.Response:
        return await portal.post("/graphql", content=body, headers=headers)

    async def tortoise() -> httpx.Response:
        return await bench.get(f"/dashboard/tortoise?first={shape.PAGE_SIZE}", headers=headers)

    return [Endpoint(GRAPHQL, graphql), Endpoint(TORTOISE, tortoise)]


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=CLIENT_ADDRESS), base_url="http://bench")


async def measure_dashboard(app: Any, rounds: int, requests: int, warmup: int) -> DashboardResult:
    """Two applicants (1 and 20 filings), checked, counted, then timed interleaved on the larger one."""
    enterprise = await qualified_enterprise()
    result = DashboardResult()
    baseline = Starlette(routes=[Route("/dashboard/tortoise", dashboard_tortoise, methods=["GET"])])
    async with _client(app) as portal, _client(baseline) as bench:
        for index, size in enumerate(SIZES):
            applicant = await make_applicant(900_000 + index)
            await data.append_trail(applicant.person_id, TRAIL)
            await add_filings(applicant.person_id, enterprise.id, size)
            endpoints = _endpoints(portal, bench, applicant.token)
            fixture = data.Fixture(applicant.person_id, applicant.session_id, applicant.token)
            await check_same_json(endpoints, size)
            trace = await StatementTrace().install()
            try:
                await data.refresh_session(fixture)
                result.statements[size] = len(await trace.during(endpoints[0]))
                await data.refresh_session(fixture)
                result.baseline_statements[size] = len(await trace.during(endpoints[1]))
            finally:
                await trace.remove()
        await data.refresh_session(fixture)
        await warm_up(endpoints, warmup)
        result.throughput = await interleaved(endpoints, rounds, requests)
    return result


def print_dashboard(found: DashboardResult) -> None:
    print("\n== Applicant dashboard (viewer, qualifications, applications(first: 10) with steps, trail(first: 20))")
    print(f"   {'endpoint':<22}{'req/s':>9}{'ms/req':>9}{'rounds min–max req/s':>24}")
    for name, label in ((GRAPHQL, "GraphQL (/graphql)"), (TORTOISE, "Starlette + Tortoise")):
        figures = found.throughput[name]
        rounds = f"{min(figures.per_round_rps):.0f}–{max(figures.per_round_rps):.0f}"
        print(f"   {label:<22}{figures.median_rps:>9.1f}{figures.mean_latency_ms:>9.2f}{rounds:>24}")
    print(f"   GraphQL / Starlette + Tortoise {found.ratio:5.2f}×   (20 filings × 5 steps; reported, not gated)")
    counts = ", ".join(f"{n} at {size} filing(s)" for size, n in found.statements.items())
    baseline = ", ".join(f"{n} at {size}" for size, n in found.baseline_statements.items())
    state = "constant: yes, gate PASS" if found.constant else "NOT constant, gate FAIL"
    print(f"   SQL statements per GraphQL request: {counts} ({state}); the baseline: {baseline}")
