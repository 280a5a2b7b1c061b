"""The load run: the stack up (bench.load.stack), applicants seeded, the staff fields looked up by introspection,
the watched filings and their subscriber started, locust headless for the run's seconds, then the checks in the
database (every accepted filing stored, the outbox drained) and the report."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from strawberry import relay
from tortoise import Tortoise, connections

from bench import shape
from bench.dashboard_view import DASHBOARD_QUERY
from bench.env import load_average
from bench.load.report import Filings, LoadResult, read_exceptions, read_failures, read_stats
from bench.load.seed import PASSWORD, Seeded, demo_enterprise_id, seed_applicants
from bench.load.stack import Stack
from bench.load.watch import Watcher
from db.config import tortoise_config
from db.models import Application, ApplicationStep, OutboxMessage
from domain.kernel import clock
from domain.kernel.settings import PROJECT_ROOT, get_settings

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DRAIN_S = 90.0
STAFF_FIELDS = {"query": ["reviewQueue"], "mutation": ["confirmApplication", "reviewApplication", "staffLogin"]}


@dataclass(frozen=True)
class LoadOptions:
    seconds: float = 60.0
    users: int = 40  # applicants, each its own seeded person
    storm_users: int = 8
    watched: int = 3  # filings followed by the subscriber
    scale: bool = False


def timeline(seconds: float) -> dict[str, Any]:
    """ramp until settle_s (applicants arrive and log in), rest until storm_at_s, then the login storm; filings
    spread over the whole run, each early enough for its SMS code to arrive."""
    settle = min(10.0, seconds * 0.15)
    return {
        "settle_s": settle,
        "storm_at_s": settle + (seconds - settle) / 2,
        "filing_window_s": [settle / 2, max(settle, seconds - 10.0)],
    }


TYPE_REF = "name kind ofType { name kind ofType { name kind ofType { name kind } } }"


def _named(ref: dict[str, Any]) -> str:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return str(ref["name"])


async def review_fields(base: str) -> tuple[dict[str, Any] | None, str]:
    """The review stages and the queue item's shape from introspection (dev mode), or None and why not."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:

        async def gql(query: str) -> dict[str, Any]:
            data: dict[str, Any] = (await http.post("/graphql", json={"query": query})).json()["data"]
            return data

        schema = (await gql("{ __schema { queryType { name } mutationType { name } } }"))["__schema"]
        fields = {}
        for kind in ("query", "mutation"):
            type_name = schema[f"{kind}Type"]["name"]
            found = await gql(f'{{ __type(name: "{type_name}") {{ fields {{ name args {{ name type {{ {TYPE_REF} }} }}'
                              f" type {{ {TYPE_REF} }} }} }} }}")  # fmt: skip
            fields[kind] = {field["name"]: field for field in found["__type"]["fields"]}
        absent = [name for kind, names in STAFF_FIELDS.items() for name in names if name not in fields[kind]]
        if absent:
            return None, f"the schema lacks {', '.join(absent)} (API.md's staff review fields)"
        queue = fields["query"]["reviewQueue"]
        stage_type = _named(next(arg["type"] for arg in queue["args"] if arg["name"] == "stage"))
        stages = [v["name"] for v in (await gql(f'{{ __type(name: "{stage_type}") {{ enumValues {{ name }} }} }}'))[
            "__type"]["enumValues"]]  # fmt: skip
        edge = await _field_type(gql, _named(queue["type"]), "edges")
        node = await _field_type(gql, edge, "node")
        node_fields = [f["name"] for f in (await gql(f'{{ __type(name: "{node}") {{ fields {{ name }} }} }}'))[
            "__type"]["fields"]]  # fmt: skip
    enterprise = next((s for s in stages if "ENTERPRISE" in s), None)
    ministry = next((s for s in stages if "MINISTRY" in s and "SPECIALTY" not in s), None)
    if enterprise is None or ministry is None:
        return None, f"reviewQueue's stages {stages} name no enterprise or ministry stage"
    review = {"enterprise_stage": enterprise, "ministry_stage": ministry}
    return {**review, "item_has_application": "application" in node_fields}, ""


async def _field_type(gql: Any, type_name: str, field_name: str) -> str:
    found = await gql(f'{{ __type(name: "{type_name}") {{ fields {{ name type {{ {TYPE_REF} }} }} }} }}')
    return _named(next(f["type"] for f in found["__type"]["fields"] if f["name"] == field_name))


def filing_fields(enterprise_id: str) -> dict[str, Any]:
    today = clock.business_date()
    return {
        "enterpriseId": enterprise_id,
        "contractStart": (today - timedelta(days=365)).isoformat(),
        "contractEnd": (today + timedelta(days=730)).isoformat(),
        "specialtyCodes": ["01"],
        "continuingEducation": False,
    }


async def run_load(stack: Stack, options: LoadOptions) -> LoadResult:
    """Seed, start the subscriber, run locust, check the database; the figures."""
    os.environ.update(stack.env)  # this process seeds the stack's database with the stack's secret key
    get_settings.cache_clear()
    await Tortoise.init(config=tortoise_config(stack.database_url))
    try:
        return await _measure(stack, options)
    finally:
        await connections.close_all()


async def _measure(stack: Stack, options: LoadOptions) -> LoadResult:
    seeded = await seed_applicants(options.users + options.watched)
    applicants, watched = seeded[: options.users], seeded[options.users :]
    filing = filing_fields(await demo_enterprise_id())
    review, why_not = await review_fields(stack.bases[0])
    if review is None:
        print(f"NOTICE: staff users skipped: {why_not}", flush=True)
    classes = ["Applicant", "StormUser"] + (["EnterpriseReviewer", "MinistryReviewer"] if review else [])
    users = {"applicants": options.users, "storm": options.storm_users, "staff": 2 if review else 0}
    result = LoadResult("scale" if options.scale else "sqlite", options.seconds, users, staff_skipped=why_not)
    watcher = Watcher(stack.bases, filing) if options.watched else None
    if watcher is not None:
        await watcher.start(watched)
    config = _config(stack, options, applicants, filing, review)
    result.load_average["before"] = load_average()
    result.locust_exit = await _locust(stack, options, config, classes, sum(users.values()))
    result.load_average["after"] = load_average()
    if watcher is not None:
        result.watch = await watcher.finish()
    prefix = stack.var_dir / "locust"
    result.operations, result.failures = read_stats(prefix), read_failures(prefix)
    result.exceptions = read_exceptions(prefix)
    own = [w.pk for w in result.watch.filings] if result.watch else []
    result.filings = await _filings(Path(config["filed_file"]), own)
    return result


def _config(
    stack: Stack, options: LoadOptions, applicants: list[Seeded], filing: dict[str, Any], review: Any
) -> dict[str, Any]:
    credentials = stack.credentials()
    config = {
        "bases": stack.bases,
        "applicants": [{"id_number": a.id_number, "mobile": a.mobile} for a in applicants],
        "password": PASSWORD,
        "filing": filing,
        "dashboard_query": DASHBOARD_QUERY,
        "page_size": shape.PAGE_SIZE,
        "storm_users": options.storm_users,
        "staff": {name: credentials[name] for name in ("enterprise-demo", "ministry-reviewer")},
        "review": review,
        "filed_file": str(stack.var_dir / "filed.jsonl"),
        **timeline(options.seconds),
    }
    path = stack.var_dir / "load-config.json"
    path.write_text(json.dumps(config, ensure_ascii=False))
    config["path"] = str(path)
    return config


async def _locust(stack: Stack, options: LoadOptions, config: dict[str, Any], classes: list[str], total: int) -> int:
    """locust --headless against loopback, bounded in time; its own process (output in var/locust.out)."""
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", stack.bases[0],
        "-u", str(total), "-r", str(max(10, total)), "-t", f"{options.seconds:g}s", "--stop-timeout", "10",
        "--csv", str(stack.var_dir / "locust"), "--only-summary", "--loglevel", "WARNING", *classes,
    ]  # fmt: skip
    env = {**os.environ, "LOAD_CONFIG": config["path"], "PYTHONPATH": str(PROJECT_ROOT)}
    with (stack.var_dir / "locust.out").open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=asyncio.subprocess.STDOUT
        )
        try:
            return await asyncio.wait_for(process.wait(), options.seconds + 120)
        except TimeoutError:
            process.kill()
            await process.wait()
            return -9


def _accepted(filed_file: Path) -> list[int]:
    """The database ids of the filings the locust users saw accepted."""
    lines = filed_file.read_text().splitlines() if filed_file.exists() else []
    return [int(relay.GlobalID.from_id(json.loads(line)["id"]).node_id) for line in lines]


async def _filings(filed_file: Path, own: list[int]) -> Filings:
    """Every accepted filing's row, the locust users' and the runner's own (lost = accepted − stored), once the
    outbox is drained (bounded wait)."""
    ids = _accepted(filed_file) + own
    deadline = time.monotonic() + DRAIN_S
    pending = await OutboxMessage.filter(done_at=None, failed_at=None).count()
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        pending = await OutboxMessage.filter(done_at=None, failed_at=None).count()
    stored = await Application.filter(id__in=ids).count() if ids else 0
    steps = ApplicationStep.filter(application_id__in=ids, stage="PRECHECK")
    prechecked = len(set(await steps.values_list("application_id", flat=True))) if ids else 0
    return Filings(accepted=len(ids), stored=stored, prechecked=prechecked, outbox_pending=pending)
