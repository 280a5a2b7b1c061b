"""个人信息修改 over HTTP: the new values checked, the new ID number encrypted at rest, the person unchanged (and shown
"under review") until the change is approved, then changed."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections

from db.models import Application, ApplicationStep, Person, StaffRole
from domain import accounts, filings
from domain.kernel import keys
from domain.kernel.errors import MESSAGES, ErrorCode
from domain.trail import business_step
from tests.filing_helpers import applicant, global_id, sms_code, verify
from tests.graph.filings.other_kinds.helpers import (
    PENDING,
    STAFF_META,
    errors_of,
    file_kind,
    later,
    upload_id_cards,
)
from tests.helpers import VALID_ID, VALID_ID_2, Api
from tests.verification_helpers import staff_token
from tests.workers.burst import run_burst

KIND = "PERSONAL_INFO_CHANGE"
NEW_ID = "110101199003074477"  # valid, unused


async def ready(api: Api, app: Any) -> tuple[Person, list[str], str]:
    """A verified applicant who then uploaded the new ID card; the attachment ids and the kind's code."""
    person = await applicant(api)
    later()
    cards = await upload_id_cards(api)
    return person, cards, await sms_code(api, app, KIND)


async def plain_text_anywhere(number: str) -> list[str]:
    """The tables (as text) holding the number in clear."""
    conn = connections.get("default")
    found = []
    for table in ("application", "application_step", "trail_entry", "outbox_message", "person"):
        _, rows = await conn.execute_query(f"SELECT * FROM {table}")
        if number in repr([tuple(dict(row).values()) for row in rows]):
            found.append(table)
    return found


async def test_a_change_is_filed_under_review_and_applied_only_when_approved(api: Api, app: Any) -> None:
    person, cards, code = await ready(api, app)
    fields = {"changes": ["NAME", "ID_NUMBER"], "newName": "李四", "newIdNumber": NEW_ID, "attachmentIds": cards}
    payload = await file_kind(api, KIND, fields, code)
    assert payload["errors"] == [], payload
    details = payload["application"]["details"]
    assert details == {
        "__typename": "PersonalInfoChangeDetails",
        "changes": ["NAME", "ID_NUMBER"],
        "newName": "李四",
        "newIdNumberMasked": "1101**********4477",
        "attachmentIds": cards,
    }
    assert await plain_text_anywhere(NEW_ID) == []
    row = await Application.get()
    assert keys.decrypt(row.details["new_id_number_cipher"]) == NEW_ID

    viewer = (await api.gql(PENDING))["data"]["viewer"]
    assert (viewer["realName"], viewer["idNumberMasked"]) == ("张三", "3604**********0071")
    pending = viewer["pendingInfoChange"]
    assert pending["applicationId"] == global_id("Application", row.id) and pending["status"] == "SUBMITTED"
    assert (pending["newName"], pending["newIdNumberMasked"]) == ("李四", "1101**********4477")
    assert (await Person.get(id=person.id)).id_number_digest == accounts.id_number_digest(VALID_ID)

    assert (await run_burst(app)).failed == 0  # the pre-check reads the number back (in memory only)
    assert (await Application.get()).status.value == "MINISTRY_REVIEW"  # not registered: no employer confirms
    async with business_step(app.state.deps, STAFF_META) as step:  # what the review issue does on approval
        changed = await filings.apply_personal_info_change(step, await Application.get())
    assert changed.real_name == "李四" and changed.id_number_masked == "1101**********4477"
    assert keys.decrypt(changed.id_number_cipher) == NEW_ID
    assert changed.id_number_digest == accounts.id_number_digest(NEW_ID) and changed.gender == "M"
    assert (await api.login(id_number=NEW_ID))["errors"] == []


async def test_a_name_only_change(api: Api, app: Any) -> None:
    _, cards, code = await ready(api, app)
    payload = await file_kind(api, KIND, {"changes": ["NAME"], "newName": "张·三丰", "attachmentIds": cards}, code)
    assert payload["errors"] == [] and payload["application"]["details"]["newIdNumberMasked"] is None
    assert "new_id_number_cipher" not in (await Application.get()).details


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"changes": []}, [("changes", "NOTHING_TO_CHANGE")]),
        ({"changes": ["NAME"]}, [("newName", "INVALID_NAME")]),
        ({"changes": ["NAME"], "newName": "Li Si"}, [("newName", "INVALID_NAME")]),
        ({"changes": ["NAME"], "newName": "李" * 100_000}, [("newName", "INVALID_NAME")]),
        ({"changes": ["NAME"], "newName": "张三"}, [("newName", "INFO_UNCHANGED")]),
        ({"changes": ["ID_NUMBER"]}, [("newIdNumber", "INVALID_ID_NUMBER")]),
        ({"changes": ["ID_NUMBER"], "newIdNumber": "230307196304054513"}, [("newIdNumber", "INVALID_ID_NUMBER")]),
        ({"changes": ["ID_NUMBER"], "newIdNumber": "9" * 10_000}, [("newIdNumber", "INVALID_ID_NUMBER")]),
        ({"changes": ["ID_NUMBER"], "newIdNumber": VALID_ID}, [("newIdNumber", "INFO_UNCHANGED")]),
        ({"changes": ["NAME"], "newName": "李四", "newIdNumber": NEW_ID}, [("newIdNumber", "INVALID_INPUT")]),
    ],
)
async def test_the_new_values_are_checked(
    api: Api, app: Any, fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    _, cards, code = await ready(api, app)
    payload = await file_kind(api, KIND, {**fields, "attachmentIds": cards}, code)
    assert errors_of(payload) == expected
    assert await Application.all().count() == 0


STEPS = """query($id: ID!) { node(id: $id) { ... on Application { status steps { stage outcome comment
  items { code message field reviewerCode reviewerMessage } } } } }"""


async def test_an_id_number_held_by_another_account_is_refused_by_the_precheck(api: Api, app: Any) -> None:
    """Not at filing (a refused filing keeps its code: numbers could be probed for free), but by the pre-check,
    after the code was used up. The filer is not told that the number is someone else's (a generic refusal, no
    field); the real reason is kept on the step for the reviewers' view only."""
    await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    _, cards, code = await ready(api, app)
    fields = {"changes": ["ID_NUMBER"], "newIdNumber": VALID_ID_2, "attachmentIds": cards}
    filed = await file_kind(api, KIND, fields, code)
    assert filed["errors"] == []
    assert (await run_burst(app)).failed == 0
    row = await Application.get()
    assert row.status.value == "REFUSED" and row.open_key is None
    step = await ApplicationStep.get(application_id=row.id, stage="PRECHECK")
    assert [(item["code"], item.get("reviewer_code")) for item in step.items] == [
        ("INFO_CHANGE_NOT_ACCEPTED", "ID_NUMBER_TAKEN")
    ]
    assert VALID_ID_2 not in repr(step.items) + (step.comment or "")

    body = await api.gql(STEPS, {"id": filed["application"]["id"]})
    precheck = next(s for s in body["data"]["node"]["steps"] if s["stage"] == "PRECHECK")
    assert precheck["outcome"] == "REFUSED"
    assert precheck["items"] == [
        {
            "code": "INFO_CHANGE_NOT_ACCEPTED",
            "message": "个人信息修改未通过系统核验，如有疑问请联系注册主管部门。",
            "field": None,
            "reviewerCode": None,
            "reviewerMessage": None,
        }
    ]
    told = repr(body)
    assert "ID_NUMBER_TAKEN" not in told and "其他账号" not in told and "已被" not in told and "重复" not in told

    reviewer = await staff_token(api, StaffRole.MINISTRY, "ministry-sees-why")
    as_reviewer = await api.gql(STEPS, {"id": filed["application"]["id"]}, token=reviewer)
    [item] = next(s for s in as_reviewer["data"]["node"]["steps"] if s["stage"] == "PRECHECK")["items"]
    assert (item["code"], item["reviewerCode"]) == ("INFO_CHANGE_NOT_ACCEPTED", "ID_NUMBER_TAKEN")
    assert item["reviewerMessage"] == "新证件号码已被其他账号使用（证件号码重复），请核实申请人身份。"


def test_a_reviewer_only_reason_is_left_out_of_the_filers_item() -> None:
    error = filings.ReviewerOnlyReason(ErrorCode.INFO_CHANGE_NOT_ACCEPTED, ErrorCode.ID_NUMBER_TAKEN, "号码重复")
    [item] = filings.reason_items([error])
    assert item == {
        "code": "INFO_CHANGE_NOT_ACCEPTED",
        "message": MESSAGES[ErrorCode.INFO_CHANGE_NOT_ACCEPTED],
        "reviewer_code": "ID_NUMBER_TAKEN",
        "reviewer_message": "号码重复",
    }
    assert filings.for_applicant(item) == {"code": "INFO_CHANGE_NOT_ACCEPTED", "message": item["message"]}


async def test_the_new_id_card_images_are_required(api: Api, app: Any) -> None:
    person = await applicant(api, verified=False)
    old_cards = await upload_id_cards(api)  # uploaded before the verification passed
    later()
    await verify(person.id)
    later()
    code = await sms_code(api, app, KIND)
    name = {"changes": ["NAME"], "newName": "李四"}
    for ids, expected in (
        (None, "MATERIALS_REQUIRED"),
        (old_cards, "MATERIALS_REQUIRED"),
        (old_cards[:1], "MATERIALS_REQUIRED"),
        (["not-an-id"], "NOT_FOUND"),
        ([global_id("Person", person.id)], "NOT_FOUND"),
        ([global_id("Attachment", 10**12)], "NOT_FOUND"),
        ([global_id("Attachment", 999_999)], "NOT_FOUND"),
        ([global_id("Attachment", n) for n in range(1, 30)], "INVALID_INPUT"),
    ):
        payload = await file_kind(api, KIND, {**name, "attachmentIds": ids}, code)
        assert errors_of(payload) == [("attachmentIds", expected)], (ids, payload)
    new_cards = await upload_id_cards(api)
    assert (await file_kind(api, KIND, {**name, "attachmentIds": new_cards}, code))["errors"] == []


async def test_another_persons_images_cannot_be_named(api: Api, app: Any) -> None:
    await applicant(api, id_number=VALID_ID_2, mobile="13800138002")
    later()
    theirs = await upload_id_cards(api)
    _, _, code = await ready(api, app)
    payload = await file_kind(api, KIND, {"changes": ["NAME"], "newName": "李四", "attachmentIds": theirs}, code)
    assert errors_of(payload) == [("attachmentIds", "NOT_FOUND")]
