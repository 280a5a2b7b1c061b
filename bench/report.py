"""What a run prints and keeps: compact tables, the throughput ratios (reported, not gated), the one gate (SQL
statements per GraphQL request constant across trail sizes), var/bench-results.json, a README block."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.endpoints import FLOOR, GRAPHQL, RAW_SQL, TORTOISE
from bench.env import load_average
from bench.notices import POLL_DELAY_S, NoticeThroughput
from bench.run import BenchResult, Scenario
from bench.shape import PAGE_SIZE
from bench.storm import print_storm
from workers.settings import WorkerSettings

RESULTS_PATH = Path(__file__).resolve().parent.parent / "var" / "bench-results.json"
BASELINES = (TORTOISE, RAW_SQL)  # GraphQL throughput is reported as a share of each (no target: not a gate)
LABELS = {
    GRAPHQL: "GraphQL (/graphql)",
    TORTOISE: "Starlette + Tortoise",
    RAW_SQL: "Starlette + raw SQL",
    FLOOR: "GraphQL floor",
}


def ratio(scenario: Scenario, baseline: str, endpoint: str = GRAPHQL) -> float:
    """The endpoint's requests/s (GraphQL's unless told) over the baseline's (medians of the interleaved rounds)."""
    return scenario.throughput[endpoint].median_rps / scenario.throughput[baseline].median_rps


def statements_constant(result: BenchResult) -> bool:
    """The same number of statements per GraphQL request at every trail size: the bench's gate (exit 1 if not)."""
    return len({len(s.statements[GRAPHQL]) for s in result.scenarios}) == 1


def machine() -> str:
    """Python, platform and CPUs: the context every figure needs."""
    return f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"


def print_header(result: BenchResult) -> None:
    options = result.options
    print(f"== bench: viewer query (profile, current attachments, trail first 20 + totalCount) — {machine()}")
    print(
        f"   HTTP in-process through httpx.ASGITransport, sequential requests; {options.rounds} interleaved "
        f"rounds × {options.requests} requests per endpoint (rotating order), figure = median round"
    )
    print(
        f"   load average (1/5/15 min) at the start: {result.load_at_start}, after the run: {load_average()} "
        "(a busy machine widens the min–max spread)"
    )


def edges(scenario: Scenario) -> int:
    """Trail edges in each answer: the first page, or the whole trail when it is shorter."""
    return min(scenario.trail_entries, PAGE_SIZE)


def print_scenario(scenario: Scenario) -> None:
    """One table block per trail size."""
    print(f"\n-- trail of {scenario.trail_entries:,} entries (answers carry {edges(scenario)} trail edges)")
    print(f"   {'endpoint':<22}{'req/s':>9}{'ms/req':>9}{'rounds min–max req/s':>24}{'SQL/req':>9}")
    for name, figures in scenario.throughput.items():
        rounds = f"{min(figures.per_round_rps):.0f}–{max(figures.per_round_rps):.0f}"
        print(
            f"   {LABELS[name]:<22}{figures.median_rps:>9.1f}{figures.mean_latency_ms:>9.2f}"
            f"{rounds:>24}{len(scenario.statements[name]):>9}"
        )
    for baseline in BASELINES:
        print(
            f"   GraphQL / {LABELS[baseline]:<22} {ratio(scenario, baseline):5.2f}×   "
            f"(the floor: {ratio(scenario, baseline, FLOOR):.2f}×)   reported, not gated"
        )
    print(
        f"   GraphQL / GraphQL floor {ratio(scenario, FLOOR):5.2f}×   (floor = the same view, context, policy and "
        "one field returning the baseline's JSON: bench/floor.py)"
    )


def counting_endpoints(result: BenchResult) -> list[str]:
    """Endpoints that run a COUNT per request (none should: totalCount is the chain head on the person row)."""
    found = {name for s in result.scenarios for name, sql in s.statements.items() if any("COUNT(" in q for q in sql)}
    return sorted(found)


def print_statements(result: BenchResult) -> None:
    counts = ", ".join(f"{len(s.statements[GRAPHQL])} at {s.trail_entries:,} entries" for s in result.scenarios)
    state = "constant: yes, gate PASS" if statements_constant(result) else "NOT constant, gate FAIL"
    counting = ", ".join(counting_endpoints(result)) or "none"
    print(f"\n-- SQL statements per GraphQL viewer request: {counts} ({state}); COUNT queries run by: {counting}")
    for statement in result.scenarios[-1].statements[GRAPHQL]:
        print(f"   {statement[:104]}{'…' if len(statement) > 104 else ''}")


def print_notices(found: NoticeThroughput, rounds: int) -> None:
    """Issue 3's figure: notice jobs per second over arq's no-op jobs per second, same worker and Redis."""
    print(
        f"\n-- verification notices, one arq worker (WorkerSettings' functions and max_jobs {WorkerSettings.max_jobs}, "
        f"burst, poll {POLL_DELAY_S * 1000:.0f} ms)"
    )
    print(
        f"   fresh SQLite file + embedded Redis; {rounds} interleaved rounds × {found.jobs_per_round} jobs of each "
        "kind (alternating order), figure = median round; untimed: receive_notice / enqueue before each burst"
    )
    print(f"   {'job':<44}{'jobs/s':>9}{'rounds min–max jobs/s':>24}")
    for label, rates in (
        ("process_verification_notice (query, conclude)", found.notices_per_s),
        ("no-op coroutine (arq's own cost per job)", found.noop_per_s),
    ):
        print(f"   {label:<44}{found.median(rates):>9.1f}{f'{min(rates):.0f}–{max(rates):.0f}':>24}")
    outcomes = ", ".join(f"{count} {status}" for status, count in found.outcomes.items())
    print(f"   notices / no-op jobs: {found.ratio:.3f}×  (issue 3 sets no target; printed for comparison)")
    sql = found.sql_per_notice
    print(
        f"   per notice job: {sql['statements']:g} SQL statements, {sql['writes']:g} of them writes, "
        f"{sql['transactions']:g} explicit transaction(s); writes outside it commit one by one"
    )
    print(f"   attempts concluded: {outcomes}; setup (applicants, starts, decisions, warm-up) {found.setup_s:.1f} s")


def print_summary(result: BenchResult) -> None:
    """Markdown lines to paste into the README."""
    print("\n-- README summary (markdown)\n")
    print(
        "| Viewer query | GraphQL req/s | Tortoise req/s | raw SQL req/s | GraphQL/Tortoise "
        "| GraphQL/raw SQL | floor req/s (/Tortoise, /raw SQL) | SQL statements/request |"
    )
    print("|---|---:|---:|---:|---|---|---|---:|")
    for s in result.scenarios:
        rps = [f"{s.throughput[name].median_rps:.0f}" for name in (GRAPHQL, TORTOISE, RAW_SQL)]
        floor = (
            f"{s.throughput[FLOOR].median_rps:.0f} ({ratio(s, TORTOISE, FLOOR):.2f}×, {ratio(s, RAW_SQL, FLOOR):.2f}×)"
        )
        print(
            f"| trail of {s.trail_entries:,} entries ({edges(s)} edges) | {' | '.join(rps)} "
            f"| {ratio(s, TORTOISE):.2f}× | {ratio(s, RAW_SQL):.2f}× "
            f"| {floor} | {len(s.statements[GRAPHQL])} |"
        )
    if result.notices:
        found = result.notices
        print(
            f"\n| Verification notices, one arq worker | notices/s | no-op jobs/s | ratio |\n|---|---:|---:|---:|\n"
            f"| {result.options.notice_rounds} rounds × {found.jobs_per_round} jobs "
            f"| {found.median(found.notices_per_s):.0f} | {found.median(found.noop_per_s):.0f} | {found.ratio:.2f}× |"
        )
    print(
        f"\n_{machine()}; `make bench`: in-process HTTP (httpx.ASGITransport), SQLite + embedded Redis, "
        f"{result.options.rounds} interleaved rounds × {result.options.requests} requests, median round._"
    )


def scenario_json(scenario: Scenario) -> dict[str, Any]:
    return {
        "trail_entries": scenario.trail_entries,
        "endpoints": {name: figures.as_json() for name, figures in scenario.throughput.items()},
        "ratios": {f"graphql/{b}": round(ratio(scenario, b), 3) for b in BASELINES}
        | {f"graphql-floor/{b}": round(ratio(scenario, b, FLOOR), 3) for b in BASELINES}
        | {"graphql/graphql-floor": round(ratio(scenario, FLOOR), 3)},
        "sql_statements_per_request": {name: len(s) for name, s in scenario.statements.items()},
        "sql_statements": scenario.statements,
    }


def write_json(result: BenchResult, path: Path = RESULTS_PATH) -> Path:
    """The figures of this run, for later comparison."""
    options = result.options
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_at_start": result.load_at_start,
        "load_average_after_run": load_average(),
        "method": {
            "transport": "httpx.ASGITransport (in-process HTTP)",
            "rounds": options.rounds,
            "requests_per_round": options.requests,
            "warmup_requests": options.warmup,
            "figure": "median of per-round requests/s",
        },
        "statements_constant": statements_constant(result),
        "scenarios": [scenario_json(s) for s in result.scenarios],
        "profile": result.profile,
        "notices": result.notices.as_json() if result.notices else None,
        "login_storm": result.storm.as_json() if result.storm else None,
        "applicant_dashboard": result.dashboard.as_json() if result.dashboard else None,
        "filing_submissions": result.filing_rate.as_json() if result.filing_rate else None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return path


def print_report(result: BenchResult) -> None:
    """Everything on stdout, then the JSON file."""
    print_header(result)
    for scenario in result.scenarios:
        print_scenario(scenario)
    print_statements(result)
    if result.notices:
        print_notices(result.notices, result.options.notice_rounds)
    if result.storm:
        print_storm(result.storm)
    if result.profile:
        from bench.profile_report import print_profile

        print_profile(result.profile)
    print_summary(result)
    print(f"\n-- figures written to {write_json(result)}")
