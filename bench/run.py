"""One bench run: fresh data, same-JSON check, statements per request, interleaved timings at two trail sizes;
then the notice throughput of one arq worker (bench.notices)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from bench import data, floor
from bench.endpoints import GRAPHQL, Endpoint, open_endpoints
from bench.env import load_average
from bench.notices import NoticeThroughput, measure_notices
from bench.sqlcount import StatementTrace
from bench.storm import StormOptions, StormResult, measure_storm
from bench.suggestions import SuggestionResult, measure_suggestions
from bench.timing import Throughput, interleaved, warm_up
from db.models import AttachmentKind

SMALL_TRAIL = 10
FILING_ROUNDS, FILING_REQUESTS = 6, 20  # the issue-9 figures: at most 6 rounds × 20 requests


@dataclass(frozen=True)
class Options:
    """Command-line knobs."""

    rounds: int = 10
    requests: int = 50
    warmup: int = 30
    large_trail: int = 10_000
    profile: bool = False
    notice_rounds: int = 5
    notices: int = 200  # per round; 0 skips the notice figure
    storm: StormOptions | None = field(default_factory=StormOptions)  # None skips the login storm
    storm_only: bool = False  # only the login storm (no viewer scenarios, no notices)
    suggestions_only: bool = False  # only the enterprise suggestions at 100k against 1k (issue 9)
    filings_only: bool = False  # only the dashboard and the submissions per second (issue 9)
    queue_only: bool = False  # only the review queue's first page at 1M applications against 1k (issue 10)
    submissions: int = 20  # submissions of each way per round; 0 skips the figure


@dataclass
class Scenario:
    """The figures at one trail size."""

    trail_entries: int
    statements: dict[str, list[str]]
    throughput: dict[str, Throughput]


@dataclass
class BenchResult:
    """Everything a run measured."""

    options: Options
    scenarios: list[Scenario] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    notices: NoticeThroughput | None = None
    storm: StormResult | None = None
    suggestions: SuggestionResult | None = None
    dashboard: Any = None  # bench.dashboard.DashboardResult
    filing_rate: Any = None  # bench.filing_rate.FilingRate
    review_queue: Any = None  # bench.review_queue.QueueBench
    load_at_start: str = field(default_factory=load_average)


def first_difference(left: Any, right: Any, path: str = "$") -> str | None:
    """Where two decoded JSON values first differ (a short message instead of two whole bodies)."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            found = first_difference(left.get(key), right.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{path}: {left!r} != {right!r}"


def without_link_expiry(body: Any) -> Any:
    """The JSON with each signed attachment link cut before its expiry (a second boundary between two endpoints'
    answers changes the expiry and so the signature; the path and session must still agree)."""
    if isinstance(body, dict):
        return {key: without_link_expiry(value) for key, value in body.items()}
    if isinstance(body, list):
        return [without_link_expiry(item) for item in body]
    return body.split("&expires=", 1)[0] if isinstance(body, str) and body.startswith("/files/") else body


async def check_same_json(endpoints: list[Endpoint], trail_entries: int) -> None:
    """Every endpoint answers the same decoded JSON (GraphQL's `extensions` block aside), before any timing."""
    bodies = {endpoint.name: await endpoint.json() for endpoint in endpoints}
    graphql = bodies[GRAPHQL]
    assert "errors" not in graphql, f"GraphQL answered errors: {graphql['errors']}"
    viewer = graphql["data"]["viewer"]
    assert viewer is not None and viewer["trail"]["totalCount"] == trail_entries, viewer
    assert len(viewer["attachments"]) == len(AttachmentKind), viewer["attachments"]
    assert all("&signature=" in item["url"] for item in viewer["attachments"]), viewer["attachments"]
    expected = without_link_expiry({key: value for key, value in graphql.items() if key != "extensions"})
    for name, body in bodies.items():
        answered = without_link_expiry({k: v for k, v in body.items() if k != "extensions"})
        difference = first_difference(answered, expected)
        assert difference is None, f"{name} does not answer the same JSON as GraphQL: {difference}"


async def count_statements(endpoints: list[Endpoint], fixture: data.Fixture) -> dict[str, list[str]]:
    """The SQL statements of one request of each endpoint (session seen recently: no touch)."""
    trace = await StatementTrace().install()
    try:
        counted = {}
        for endpoint in endpoints:
            await data.refresh_session(fixture)
            counted[endpoint.name] = await trace.during(endpoint)
        return counted
    finally:
        await trace.remove()


async def measure(endpoints: list[Endpoint], fixture: data.Fixture, trail_entries: int, options: Options) -> Scenario:
    """Check, count, warm up, then time the endpoints interleaved."""
    await check_same_json(endpoints, trail_entries)
    statements = await count_statements(endpoints, fixture)
    await data.refresh_session(fixture)
    await warm_up(endpoints, options.warmup)
    throughput = await interleaved(endpoints, options.rounds, options.requests)
    return Scenario(trail_entries, statements, throughput)


async def measure_viewer(app: Any, fixture: data.Fixture, options: Options, result: BenchResult) -> None:
    """The viewer scenarios at the small and the large trail (and the profile when asked)."""
    async with open_endpoints(app, fixture.token) as endpoints:
        result.scenarios.append(await measure(endpoints, fixture, SMALL_TRAIL, options))
        if options.profile:  # at the small trail, where GraphQL's own overhead shows most
            from bench.profiling import profile_graphql

            result.profile = await profile_graphql(app, endpoints[0], fixture)
        await data.grow_trail(fixture.person_id, options.large_trail)
        result.scenarios.append(await measure(endpoints, fixture, options.large_trail, options))
        if result.profile is not None:
            from bench.profiling import large_trail

            result.profile["large_trail"] = await large_trail(fixture.person_id)


async def measure_filings(app: Any, options: Options, result: BenchResult) -> None:
    """Issue 9: the applicant dashboard (gate: statements constant) and submissions per second."""
    from bench.dashboard import measure_dashboard
    from bench.filing_rate import measure_filing_rate

    rounds = min(options.rounds, FILING_ROUNDS)  # kept short: the whole pair well under a minute
    requests, warmup = min(options.requests, FILING_REQUESTS), min(options.warmup, FILING_REQUESTS)
    result.dashboard = await measure_dashboard(app, rounds, requests, warmup)
    if options.submissions > 0:
        result.filing_rate = await measure_filing_rate(app, app.state.deps, rounds, options.submissions)


async def measure_queue(app: Any, person_id: int, options: Options, result: BenchResult) -> None:
    """Issue 10: the review queue's first page at 1M applications against 1k (gate ≤ 1.2×)."""
    from bench.review_queue import QUEUE_REQUESTS, QUEUE_ROUNDS, measure_review_queue

    rounds, requests = min(options.rounds, QUEUE_ROUNDS), min(options.requests, QUEUE_REQUESTS)
    result.review_queue = await measure_review_queue(app, person_id, rounds, requests)


async def run(options: Options) -> BenchResult:
    """Migrate a new database, start the portal app (lifespan, embedded Redis), measure, tear down."""
    from graph.app import create_app

    await data.migrate_fresh()
    await connections.close_all()
    result = BenchResult(options)
    from graph.schema.schema import schema

    app = create_app()
    app.router.routes.append(floor.floor_route(schema))  # bench-only: the floor needs the portal app's state
    async with app.router.lifespan_context(app):
        fixture = await data.build_fixture(app.state.deps, SMALL_TRAIL)
        if options.filings_only:
            await measure_filings(app, options, result)
            return result
        if options.queue_only:
            await measure_queue(app, fixture.person_id, options, result)
            return result
        if not options.storm_only and not options.suggestions_only:
            await measure_viewer(app, fixture, options, result)
        if (
            options.storm is not None and not options.suggestions_only
        ):  # last in the lifespan: its logins add trail entries and sessions
            await data.refresh_session(fixture)
            result.storm = await measure_storm(app, fixture.token, options.storm)
        if not options.storm_only and not options.suggestions_only:  # before the 100k enterprises
            await measure_filings(app, options, result)
        if not options.storm_only and not options.suggestions_only:  # 1M applications stay in this database
            await measure_queue(app, fixture.person_id, options, result)
        if not options.storm_only:  # last: 100k enterprises stay in this database
            result.suggestions = await measure_suggestions(app, options.rounds, options.requests)
    if result.dashboard is not None:  # its filings queued jobs (pre-check, SMS) that no worker ran
        from bench.filing_rate import drop_queued_jobs

        await drop_queued_jobs()
    if (
        options.notices > 0 and not options.storm_only and not options.suggestions_only
    ):  # after the lifespan: its own database, the same Redis
        result.notices = await measure_notices(options.notice_rounds, options.notices)
    return result
