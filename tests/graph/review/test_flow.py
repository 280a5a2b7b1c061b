"""A filing through review over HTTP with logged-in staff: the employer confirms, the specialty ministry passes its
specialty, the ministry approves; each sees the filing (and the applicant's images, on the applicant's trail) only
in its scope, through node(id:) and the mutations alike; the applicant gets an SMS at each decision."""

from __future__ import annotations

from typing import Any

from db.models import Application, OutboxMessage, StaffRole, TrailEntry
from tests.filing_helpers import applicant, global_id, make_enterprise
from tests.graph.review.helpers import CONFIRM, NODE, REVIEW, coded, filed, mutate, staff_token
from tests.helpers import Api, image_bytes
from tests.review_helpers import other_enterprise
from tests.workers.burst import run_burst

MOBILE = "13800138001"


async def node(api: Api, token: str, application_id: str) -> Any:
    body = await api.gql(NODE, {"id": application_id}, token=token)
    assert "errors" not in body, body
    return body["data"]["node"]


async def test_employer_specialty_ministry_and_ministry_take_a_filing_to_approval(api: Api, app: Any) -> None:
    await applicant(api)
    assert (await api.upload("PHOTO", image_bytes(295, 413))).json()["data"]["uploadAttachment"]["errors"] == []
    enterprise = await make_enterprise()
    application = await filed(api, app, ["01", "02"], enterprise)
    gid = global_id("Application", application.id)
    assert application.status.value == "ENTERPRISE_CONFIRMATION"

    stranger = await staff_token(api, StaffRole.ENTERPRISE, await other_enterprise())
    assert await node(api, stranger, gid) is None
    assert coded(await mutate(api, CONFIRM, stranger, {"id": gid})) == [("id", "NOT_FOUND")]
    province = await staff_token(api, StaffRole.PROVINCE)
    assert await node(api, province, gid) is None

    clerk = await staff_token(api, StaffRole.ENTERPRISE, enterprise)
    seen = await node(api, clerk, gid)
    assert seen["status"] == "ENTERPRISE_CONFIRMATION" and seen["applicant"]["idNumberMasked"].startswith("3604")
    photo_url = seen["applicant"]["attachments"][0]["url"]
    assert (await api.client.get(photo_url)).status_code == 200  # the signed link made for the clerk
    viewed = await TrailEntry.filter(action__in=["PERSON_VIEWED_BY_STAFF", "ATTACHMENT_VIEWED_BY_STAFF"]).count()
    assert viewed == 2
    confirmed = await mutate(api, CONFIRM, clerk, {"id": gid, "comment": "情况属实"})
    assert confirmed["errors"] == [] and confirmed["application"]["status"] == "SPECIALTY_REVIEW"
    last = confirmed["application"]["steps"][-1]
    assert (last["stage"], last["outcome"], last["actorRole"], last["comment"]) == (
        "ENTERPRISE_CONFIRMATION", "PASSED", "ENTERPRISE", "情况属实",
    )  # fmt: skip
    assert last["deadline"] is not None
    assert coded(await mutate(api, CONFIRM, clerk, {"id": gid})) == [("id", "NOT_AT_STAGE")]

    railway = await staff_token(api, StaffRole.SPECIALTY_MINISTRY, None, ["03"])
    assert await node(api, railway, gid) is None
    assert coded(await mutate(api, REVIEW, railway, {"id": gid, "decision": "APPROVE"})) == [("id", "NOT_FOUND")]
    highways = await staff_token(api, StaffRole.SPECIALTY_MINISTRY, None, ["02"])
    assert (await node(api, highways, gid))["status"] == "SPECIALTY_REVIEW"
    passed = await mutate(api, REVIEW, highways, {"id": gid, "decision": "APPROVE", "comment": "符合"})
    assert passed["errors"] == [] and passed["application"]["status"] == "MINISTRY_REVIEW"

    assert (await run_burst(app)).failed == 0  # the notices so far go out
    inbox = [m["text"] for m in await api.sms_inbox(MOBILE)]
    assert any("已通过聘用企业确认" in text for text in inbox), inbox
    assert any("已通过专业部门审查（公路工程）" in text for text in inbox), inbox

    ministry = await staff_token(api, StaffRole.MINISTRY)
    approved = await mutate(api, REVIEW, ministry, {"id": gid, "decision": "APPROVE"})
    assert approved["errors"] == [] and approved["application"]["status"] == "APPROVED"
    row = await Application.get(id=application.id)
    assert row.open_key is None and row.decided_at is not None
    jobs: list[Any] = await OutboxMessage.filter(job_name="apply_approval").values_list("payload", flat=True)
    assert jobs == [{"application_id": application.id}]
    again = await mutate(api, REVIEW, ministry, {"id": gid, "decision": "APPROVE"})
    assert coded(again) == [("id", "ALREADY_DECIDED")]
    assert await OutboxMessage.filter(job_name="apply_approval").count() == 1
    assert (await node(api, ministry, gid))["status"] == "APPROVED"
    assert (await node(api, clerk, gid))["applicant"] is None  # decided: the clerk's reach to the person ends
