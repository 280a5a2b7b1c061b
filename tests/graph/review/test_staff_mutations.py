"""The staff mutations over HTTP: who may call each, and bad input as coded UserErrors (never a 500 nor a top-level
error); createStaffUser by administrators only, its password shown once and usable."""

from __future__ import annotations

from typing import Any

from db.models import ApplicationStatus, Person, StaffRole, StaffUser
from tests.filing_helpers import global_id, make_enterprise
from tests.graph.accounts.helpers import staff_login
from tests.graph.review.helpers import CONFIRM, CREATE_STAFF, RETURN, REVIEW, coded, mutate, staff_token
from tests.helpers import Api
from tests.review_helpers import filing

STAFF_VIEWER = """query { staffViewer { username role mobileMasked enterprise { name } specialties { code name } } }"""


def top_level_code(body: dict[str, Any]) -> str:
    assert body["data"] is None, body
    return str(body["errors"][0]["extensions"]["code"])


async def test_each_mutation_refuses_the_wrong_callers_at_the_top(api: Api) -> None:
    applicant_token = await api.signed_up()
    admin = await staff_token(api, StaffRole.ADMIN)
    clerk = await staff_token(api, StaffRole.ENTERPRISE, await make_enterprise())
    ministry = await staff_token(api, StaffRole.MINISTRY)
    gid = global_id("Application", 1)
    new_staff = {"username": "new-admin", "role": "ADMIN"}
    calls = [
        (CONFIRM, {"id": gid}, [None, applicant_token, ministry, admin]),
        (RETURN, {"id": gid, "items": [{"code": "X", "message": "看"}]}, [None, applicant_token, admin]),
        (REVIEW, {"id": gid, "decision": "APPROVE"}, [None, applicant_token, clerk, admin]),
        (CREATE_STAFF, new_staff, [None, applicant_token, clerk, ministry]),
    ]
    api.client.cookies.clear()  # callers by bearer token only (anonymous: none)
    api.token = None
    for query, variables, tokens in calls:
        for token in tokens:
            body = await api.gql(query, {"input": variables}, token=token)
            expected = "UNAUTHENTICATED" if token is None else "FORBIDDEN"
            assert top_level_code(body) == expected, (query[:40], token, body)
    assert not await StaffUser.filter(username="new-admin").exists()


async def test_bad_input_on_every_decision_comes_back_coded(api: Api) -> None:
    await api.signed_up()
    person = await Person.get()
    enterprise = await make_enterprise()
    at_employer = await filing(person, ApplicationStatus.ENTERPRISE_CONFIRMATION, enterprise)
    gid = global_id("Application", at_employer.id)
    clerk = await staff_token(api, StaffRole.ENTERPRISE, enterprise)
    ministry = await staff_token(api, StaffRole.MINISTRY)
    item = {"code": "ID_CARD_UNCLEAR", "message": "请重新上传"}
    cases: list[tuple[str, str, dict[str, Any], list[tuple[str | None, str]]]] = [
        (CONFIRM, clerk, {"id": "not-a-global-id"}, [("id", "NOT_FOUND")]),
        (CONFIRM, clerk, {"id": global_id("Person", person.id)}, [("id", "NOT_FOUND")]),
        (CONFIRM, clerk, {"id": gid, "comment": "长" * 3000}, [("comment", "TEXT_TOO_LONG")]),
        (RETURN, clerk, {"id": gid, "items": []}, [("items", "INVALID_INPUT")]),
        (RETURN, clerk, {"id": gid, "items": [{"code": "BAD CODE!", "message": "看"}]}, [("items", "INVALID_INPUT")]),
        (RETURN, clerk, {"id": gid, "items": [{"code": "X", "message": " "}]}, [("items", "REQUIRED")]),
        (RETURN, clerk, {"id": gid, "items": [item] * 200}, [("items", "INVALID_INPUT")]),
        (RETURN, ministry, {"id": gid, "items": [item]}, [("id", "NOT_AT_STAGE")]),
        (REVIEW, ministry, {"id": gid, "decision": "APPROVE"}, [("id", "NOT_AT_STAGE")]),
    ]
    for query, token, variables, expected in cases:
        assert coded(await mutate(api, query, token, variables)) == expected, variables
    at_ministry = global_id("Application", (await filing(person, ApplicationStatus.MINISTRY_REVIEW, None)).id)
    review_cases: list[tuple[dict[str, Any], list[tuple[str | None, str]]]] = [
        ({"decision": "REJECT"}, [("comment", "REQUIRED")]),
        ({"decision": "RETURN"}, [("items", "INVALID_INPUT")]),
        ({"decision": "APPROVE", "items": [item]}, [("items", "INVALID_INPUT")]),
        ({"decision": "APPROVE", "falseMaterials": True}, [("falseMaterials", "INVALID_INPUT")]),
    ]
    for variables, expected in review_cases:
        assert coded(await mutate(api, REVIEW, ministry, {"id": at_ministry, **variables})) == expected, variables
    returned = await mutate(api, RETURN, clerk, {"id": gid, "items": [item], "comment": "请补正"})
    assert returned["errors"] == [] and returned["application"]["status"] == "RETURNED"
    assert returned["application"]["steps"][-1]["items"] == [{"code": "ID_CARD_UNCLEAR"}]


async def test_an_administrator_creates_staff_and_the_password_is_shown_once(api: Api) -> None:
    admin = await staff_token(api, StaffRole.ADMIN)
    enterprise = await make_enterprise()
    reviewer = {
        "username": "gonglu-shencha",
        "displayName": "交通运输部审查员",
        "role": "SPECIALTY_MINISTRY",
        "specialtyCodes": ["03", "02", "02"],
        "mobile": "13900139009",
    }
    created = await mutate(api, CREATE_STAFF, admin, reviewer)
    assert created["errors"] == [] and len(created["password"]) >= 20
    assert created["staffUser"]["specialties"] == [{"code": "02"}, {"code": "03"}]
    assert created["staffUser"]["mobileMasked"] == "139****9009"
    token = (await staff_login(api, "gonglu-shencha", created["password"]))["token"]
    body = await api.gql(STAFF_VIEWER, token=token)
    assert body["data"]["staffViewer"]["specialties"] == [
        {"code": "02", "name": "公路工程"},
        {"code": "03", "name": "铁路工程"},
    ]
    clerk = {"username": "hr-1", "role": "ENTERPRISE", "enterpriseId": global_id("Enterprise", enterprise.id)}
    made = await mutate(api, CREATE_STAFF, admin, clerk)
    assert made["errors"] == [] and made["staffUser"]["enterprise"]["name"] == enterprise.name
    assert made["staffUser"]["provinceCode"] == enterprise.province_code
    bad: list[tuple[dict[str, Any], list[tuple[str | None, str]]]] = [
        ({"username": "../x", "role": "ADMIN"}, [("username", "INVALID_INPUT")]),
        ({"username": "gonglu-shencha", "role": "ADMIN"}, [("username", "CONFLICT")]),
        ({"username": "s1", "role": "SPECIALTY_MINISTRY"}, [("username", "INVALID_INPUT")]),
        ({"username": "spec-1", "role": "SPECIALTY_MINISTRY"}, [("specialtyCodes", "INVALID_INPUT")]),
        ({"username": "spec-1", "role": "SPECIALTY_MINISTRY", "specialtyCodes": ["01"]},
         [("specialtyCodes", "INVALID_SPECIALTY")]),
        ({"username": "spec-1", "role": "SPECIALTY_MINISTRY", "specialtyCodes": ["99" * 50]},
         [("specialtyCodes", "INVALID_SPECIALTY")]),
        ({"username": "min-1", "role": "MINISTRY", "specialtyCodes": ["02"]}, [("specialtyCodes", "INVALID_INPUT")]),
        ({"username": "hr-2", "role": "ENTERPRISE"}, [("enterpriseId", "INVALID_INPUT")]),
        ({"username": "hr-2", "role": "ENTERPRISE", "enterpriseId": global_id("Person", 1)},
         [("enterpriseId", "INVALID_INPUT")]),
        ({"username": "min-1", "role": "MINISTRY", "enterpriseId": global_id("Enterprise", enterprise.id)},
         [("enterpriseId", "INVALID_INPUT")]),
        ({"username": "prov-1", "role": "PROVINCE"}, [("provinceCode", "INVALID_INPUT")]),
        ({"username": "prov-1", "role": "PROVINCE", "provinceCode": "99"}, [("provinceCode", "INVALID_INPUT")]),
        ({"username": "min-1", "role": "MINISTRY", "mobile": "12345"}, [("mobile", "INVALID_MOBILE")]),
    ]  # fmt: skip
    for variables, expected in bad:
        assert coded(await mutate(api, CREATE_STAFF, admin, variables)) == expected, variables
    assert await StaffUser.filter(username__in=["spec-1", "hr-2", "min-1", "prov-1", "s1"]).count() == 0
