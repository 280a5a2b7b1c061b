"""The worker's pre-check through arq (burst mode): rules again on fresh data; passed → the first review stage,
failed → REFUSED with every reason on the step; a job run twice acts once; a withdrawn filing is left alone."""

from __future__ import annotations

import asyncio
from typing import Any

from db.models import Application, ApplicationStep, Enterprise, OutboxMessage, Person, TrailEntry
from domain import review
from tests.filing_helpers import (
    WITHDRAW,
    applicant,
    applications,
    codes,
    contract,
    file,
    global_id,
    make_enterprise,
    qualify,
    register,
    sms_code,
)
from tests.helpers import VALID_ID_2, Api
from tests.workers.burst import run_burst


async def filed_initial(api: Api, app: Any) -> tuple[Person, Enterprise, dict[str, Any]]:
    person = await applicant(api)
    enterprise = await make_enterprise()
    await qualify("01")
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    payload = await file(api, "INITIAL", fields, await sms_code(api, app, "INITIAL"))
    assert payload["errors"] == [], payload
    return person, enterprise, fields


async def test_refused_with_every_reason_found_on_fresh_data(api: Api, app: Any) -> None:
    person, enterprise, _fields = await filed_initial(api, app)
    await Enterprise.filter(id=enterprise.id).update(qualification_status="REVOKED")  # changed after submission
    await register(person, await make_enterprise(), ["07"])  # and registered elsewhere meanwhile

    run = await run_burst(app)

    assert run.failed == 0
    node = (await applications(api))["edges"][0]["node"]
    assert node["status"] == "REFUSED" and node["decidedAt"] and node["withdrawable"] is False
    step = node["steps"][-1]
    assert (step["stage"], step["outcome"], step["actorRole"]) == ("PRECHECK", "REFUSED", "SYSTEM")
    assert sorted(item["code"] for item in step["items"]) == ["ALREADY_REGISTERED", "ENTERPRISE_NOT_QUALIFIED"]
    assert all(item["message"] for item in step["items"]) and "不予受理" in step["comment"]
    assert (await Application.get()).open_key is None  # closed: the kind can be filed again
    actions: list[Any] = list(await TrailEntry.filter(person_id=person.id).values_list("action", flat=True))
    assert "APPLICATION_REFUSED" in actions


async def test_a_job_run_twice_acts_once(api: Api, app: Any) -> None:
    await filed_initial(api, app)
    message = await OutboxMessage.get(job_name="precheck_application")
    deps = app.state.deps
    outcomes = await asyncio.gather(*(review.precheck(deps, str(message.id)) for _ in range(3)))
    assert sorted(outcomes).count("passed") == 1, outcomes
    await OutboxMessage.filter(id=message.id).update(done_at=None)  # a lost acknowledgement: the job runs again
    assert await review.precheck(deps, str(message.id)) == "skipped"
    assert await run_burst(app) is not None
    assert await ApplicationStep.filter(stage="PRECHECK").count() == 1
    assert (await Application.get()).status.value == "ENTERPRISE_CONFIRMATION"


async def test_a_withdrawn_filing_is_not_prechecked(api: Api, app: Any) -> None:
    await filed_initial(api, app)
    node = (await applications(api))["edges"][0]["node"]
    assert (await api.gql(WITHDRAW, {"input": {"id": node["id"]}}))["data"]["withdrawApplication"]["errors"] == []
    await run_burst(app)
    steps = (await applications(api))["edges"][0]["node"]["steps"]
    assert [s["stage"] for s in steps] == ["SUBMISSION", "WITHDRAWAL"]


async def test_withdraw_rules(api: Api, app: Any) -> None:
    person, _enterprise, fields = await filed_initial(api, app)
    node_id = (await applications(api))["edges"][0]["node"]["id"]
    await run_burst(app)  # pre-checked: waiting for the employer, still withdrawable
    first = (await api.gql(WITHDRAW, {"input": {"id": node_id}}))["data"]["withdrawApplication"]
    assert first["errors"] == [] and first["application"]["status"] == "WITHDRAWN"
    again = (await api.gql(WITHDRAW, {"input": {"id": node_id}}))["data"]["withdrawApplication"]
    assert codes(again) == ["APPLICATION_NOT_WITHDRAWABLE"]
    refiled = await file(api, "INITIAL", fields, await sms_code(api, app, "INITIAL"))
    assert refiled["errors"] == []  # the open_key was cleared
    actions: list[Any] = list(await TrailEntry.filter(person_id=person.id).values_list("action", flat=True))
    assert "APPLICATION_WITHDRAWN" in actions


async def test_someone_elses_filing_cannot_be_withdrawn(api: Api, app: Any) -> None:
    await filed_initial(api, app)
    node_id = (await applications(api))["edges"][0]["node"]["id"]
    api.token = None
    await applicant(api, id_number=VALID_ID_2, mobile="13900139000")
    assert codes((await api.gql(WITHDRAW, {"input": {"id": node_id}}))["data"]["withdrawApplication"]) == ["NOT_FOUND"]
    # Not withdrawn: registering the second person ran the worker, whose pre-check moved the filing on.
    assert (await Application.get()).status.value == "ENTERPRISE_CONFIRMATION"


async def test_concurrent_withdrawals_act_once(api: Api, app: Any) -> None:
    await filed_initial(api, app)
    node_id = (await applications(api))["edges"][0]["node"]["id"]
    results = await asyncio.gather(*(api.gql(WITHDRAW, {"input": {"id": node_id}}) for _ in range(5)))
    payloads = [r["data"]["withdrawApplication"] for r in results]
    assert sum(1 for p in payloads if not p["errors"]) == 1
    assert {c for p in payloads for c in codes(p)} <= {"CONFLICT", "APPLICATION_NOT_WITHDRAWABLE"}
    assert await ApplicationStep.filter(stage="WITHDRAWAL").count() == 1
