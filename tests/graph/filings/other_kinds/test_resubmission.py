"""resubmitApplication over HTTP: after a return for correction, once per notice (also when ten race), back to the
stage that returned the filing, with a step, a trail entry and the step's event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.models import Application, ApplicationStep, StaffRole, TrailEntry
from domain.kernel import events
from tests.filing_helpers import applicant, applications, global_id, sms_code
from tests.graph.filings.other_kinds.helpers import (
    RESUBMIT,
    errors_of,
    file_kind,
    later,
    registered,
    returned,
    upload_id_cards,
)
from tests.helpers import VALID_ID_2, Api
from tests.workers.burst import run_burst
from tests.workers.verification.helpers import drain


async def under_review(api: Api, app: Any) -> Application:
    """A certificate replacement past the pre-check, waiting for the employer."""
    person = await applicant(api)
    await registered(person)
    code = await sms_code(api, app, "CERTIFICATE_REPLACEMENT")
    assert (await file_kind(api, "CERTIFICATE_REPLACEMENT", {"reason": "LOST"}, code))["errors"] == []
    assert (await run_burst(app)).failed == 0
    return await Application.get()


async def resubmit(api: Api, **fields: Any) -> dict[str, Any]:
    body = await api.gql(RESUBMIT, {"input": {"acceptTerms": True, **fields}})
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["resubmitApplication"]
    return payload


@pytest.mark.parametrize(
    ("stage", "role"),
    [("ENTERPRISE_CONFIRMATION", StaffRole.ENTERPRISE), ("MINISTRY_REVIEW", StaffRole.MINISTRY)],
)
async def test_a_returned_filing_goes_back_to_the_stage_that_returned_it(
    api: Api, app: Any, redis: Any, stage: str, role: StaffRole
) -> None:
    row = await under_review(api, app)
    await Application.filter(id=row.id).update(status=stage)
    await returned(app, row.id, role)
    node = (await applications(api))["edges"][0]["node"]
    notice = node["steps"][-1]
    assert (node["status"], notice["stage"], notice["outcome"], notice["actorRole"]) == (
        "RETURNED", stage, "RETURNED", role.value
    )  # fmt: skip
    assert notice["items"] == [
        {"code": "ID_CARD_UNCLEAR", "message": "身份证国徽面照片不清晰，请重新上传", "field": "attachmentIds"}
    ]
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(row.person_id))  # type: ignore[attr-defined]
    payload = await resubmit(api, id=node["id"], note="已重新上传清晰照片")
    assert payload["errors"] == [], payload
    assert payload["application"]["status"] == stage
    step = payload["application"]["steps"][-1]
    assert (step["stage"], step["outcome"], step["actorRole"]) == ("CORRECTION", "DONE", "APPLICANT")
    assert "已重新上传清晰照片" in step["comment"] and step["items"][0]["code"] == "ANSWERS_NOTICE"
    seen = [event async for _channel, event in drain(pubsub)]
    await pubsub.aclose()
    assert seen == [{"type": "application.step", "applicationId": row.id, "seq": step["seq"]}]
    assert (await TrailEntry.filter(action="APPLICATION_RESUBMITTED").count()) == 1
    again = await resubmit(api, id=node["id"])
    assert errors_of(again) == [("id", "NOT_RETURNED")]


async def test_ten_concurrent_resubmissions_make_one(api: Api, app: Any) -> None:
    row = await under_review(api, app)
    await returned(app, row.id)
    variables = {"input": {"id": global_id("Application", row.id), "acceptTerms": True}}
    bodies = await asyncio.gather(*(api.gql(RESUBMIT, variables) for _ in range(10)))
    payloads = [body["data"]["resubmitApplication"] for body in bodies]
    assert sum(1 for p in payloads if p["errors"] == []) == 1, payloads
    assert sorted({e["code"] for p in payloads for e in p["errors"]}) == ["NOT_RETURNED"]
    assert await ApplicationStep.filter(application_id=row.id, stage="CORRECTION").count() == 1
    assert (await Application.get()).status.value == "ENTERPRISE_CONFIRMATION"
    await returned(app, row.id)  # a second notice may be answered once more
    assert (await resubmit(api, id=global_id("Application", row.id)))["errors"] == []


async def test_bad_resubmissions_are_coded_errors(api: Api, app: Any) -> None:
    row = await under_review(api, app)
    own = global_id("Application", row.id)
    assert errors_of(await resubmit(api, id=own)) == [("id", "NOT_RETURNED")]  # not returned
    await returned(app, row.id)
    for bad in ("nonsense", global_id("Enterprise", row.id), global_id("Application", 10**15), "A" * 5000):
        assert errors_of(await resubmit(api, id=bad)) == [("id", "NOT_FOUND")]
    assert errors_of(await resubmit(api, id=own, acceptTerms=False)) == [("acceptTerms", "TERMS_NOT_ACCEPTED")]
    assert errors_of(await resubmit(api, id=own, note="长" * 501)) == [("note", "TEXT_TOO_LONG")]
    images = await resubmit(api, id=own, attachmentIds=[global_id("Attachment", 1)])
    assert errors_of(images) == [("attachmentIds", "INVALID_INPUT")]  # a replacement files no images
    other = Api(api.client, api.app)
    api.client.cookies.clear()
    await other.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    assert errors_of(await resubmit(other, id=own)) == [("id", "NOT_FOUND")]  # not theirs: not told whose
    assert (await Application.get()).status.value == "RETURNED"


async def test_a_returned_personal_info_change_takes_new_images(api: Api, app: Any) -> None:
    await applicant(api)
    later()
    cards = await upload_id_cards(api)
    code = await sms_code(api, app, "PERSONAL_INFO_CHANGE")
    fields = {"changes": ["NAME"], "newName": "李四", "attachmentIds": cards}
    assert (await file_kind(api, "PERSONAL_INFO_CHANGE", fields, code))["errors"] == []
    assert (await run_burst(app)).failed == 0
    row = await Application.get()
    assert row.status.value == "MINISTRY_REVIEW"  # not registered: no employer confirms, the ministry reviews
    await returned(app, row.id, StaffRole.MINISTRY)
    own = global_id("Application", row.id)
    assert errors_of(await resubmit(api, id=own, attachmentIds=cards[:1])) == [("attachmentIds", "MATERIALS_REQUIRED")]
    later()
    new_cards = await upload_id_cards(api)
    payload = await resubmit(api, id=own, attachmentIds=new_cards)
    assert payload["errors"] == [] and payload["application"]["details"]["attachmentIds"] == new_cards
    assert (await Application.get()).details["new_name"] == "李四"
