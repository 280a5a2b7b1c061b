"""Staff reach by province (issue 8, #10): a provincial officer opens and decides on-site cases only for people of
their own province (the ID number's GB/T 2260 area code); another province's number is refused with
OUTSIDE_JURISDICTION, answered alike whether anyone registered it, and leaves no grant, trail entry or attempt."""

from __future__ import annotations

from typing import Any

from db.models import StaffCaseAccess, StaffRole, TrailEntry, VerificationAttempt
from domain.accounts import parse_id_number
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.errors import DomainError, ErrorCode
from domain.verification import onsite_provinces
from domain.verification.jurisdiction import require_jurisdiction
from tests.helpers import VALID_ID, VALID_ID_2, Api
from tests.verification_helpers import UNREGISTERED_ID, signed_up_with_materials, staff_token

CASE = """query($idNumber: String!) { onsiteVerificationCase(idNumber: $idNumber) { person { id realName } } }"""
CONFIRM = """mutation($input: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $input) {
  errors { field code message } verification { status } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Person { realName } } }"
UNREGISTERED_12 = "120103199003030022"  # Tianjin (12), like VALID_ID_2; nobody registers it


async def tianjin_person(api: Api) -> str:
    """A registered person of province 12 with materials; their global id as they see it."""
    await signed_up_with_materials(api, id_number=VALID_ID_2, mobile="13800138002")
    body = await api.gql("query { viewer { id } }")
    return str(body["data"]["viewer"]["id"])


def without_location(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in error.items() if k != "locations"} for error in errors]


async def test_an_officer_of_another_province_is_refused_alike_for_registered_and_unknown_numbers(api: Api) -> None:
    person_id = await tianjin_person(api)
    jiangxi = await staff_token(api, StaffRole.PROVINCE, "province-jx")  # VALID_ID's province, 36

    registered = await api.gql(CASE, {"idNumber": VALID_ID_2}, token=jiangxi)
    unknown = await api.gql(CASE, {"idNumber": UNREGISTERED_12}, token=jiangxi)

    assert registered["data"] is None and unknown["data"] is None
    assert without_location(registered["errors"]) == without_location(unknown["errors"])
    [error] = registered["errors"]
    assert error["extensions"]["code"] == "OUTSIDE_JURISDICTION" and "本省" in error["message"], error
    decisions = [
        (await api.gql(CONFIRM, {"input": {"idNumber": number, "decision": "CONFIRM"}}, token=jiangxi))["data"]
        for number in (VALID_ID_2, UNREGISTERED_12)
    ]
    assert decisions[0] == decisions[1]
    assert [e["code"] for e in decisions[0]["confirmOnsiteVerification"]["errors"]] == ["OUTSIDE_JURISDICTION"]
    assert decisions[0]["confirmOnsiteVerification"]["errors"][0]["field"] == ["idNumber"]
    # Nothing was opened: no grant, no trail entry about staff, no attempt; the person stays out of reach.
    assert await StaffCaseAccess.all().count() == 0
    assert await TrailEntry.filter(action="VERIFICATION_MATERIALS_VIEWED").count() == 0
    assert await VerificationAttempt.all().count() == 0
    assert (await api.gql(NODE, {"id": person_id}, token=jiangxi))["data"]["node"] is None


async def test_the_officer_of_the_persons_province_opens_and_decides(api: Api) -> None:
    person_id = await tianjin_person(api)
    tianjin = await staff_token(api, StaffRole.PROVINCE, "province-tj", province=VALID_ID_2[:2])

    case = await api.gql(CASE, {"idNumber": VALID_ID_2}, token=tianjin)
    assert case["data"]["onsiteVerificationCase"]["person"] == {"id": person_id, "realName": "张三"}
    assert (await api.gql(NODE, {"id": person_id}, token=tianjin))["data"]["node"] == {"realName": "张三"}
    unknown = await api.gql(CASE, {"idNumber": UNREGISTERED_12}, token=tianjin)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # within the province, the usual answer
    decided = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID_2, "decision": "CONFIRM"}}, token=tianjin)
    assert decided["data"]["confirmOnsiteVerification"] == {"errors": [], "verification": {"status": "PASSED"}}
    # And the Jiangxi officer may still not open it, nor the Tianjin one a Jiangxi number.
    jiangxi = await staff_token(api, StaffRole.PROVINCE, "province-jx")
    refused = await api.gql(CASE, {"idNumber": VALID_ID_2}, token=jiangxi)
    assert refused["errors"][0]["extensions"]["code"] == "OUTSIDE_JURISDICTION"
    refused = await api.gql(CASE, {"idNumber": UNREGISTERED_ID}, token=tianjin)
    assert refused["errors"][0]["extensions"]["code"] == "OUTSIDE_JURISDICTION"


async def test_the_rule_is_the_area_code_and_an_officer_without_a_province_is_refused() -> None:
    resident = parse_id_number(VALID_ID)
    assert await onsite_provinces(resident, None) == frozenset({"36"})
    without = Actor(ActorKind.STAFF, id=1, session_id=1, role=StaffRole.PROVINCE.value, province_code=None)
    for staff in (without, Actor(ActorKind.STAFF, id=2, session_id=2, role="PROVINCE", province_code="12")):
        try:
            await require_jurisdiction(staff, resident, None)
        except DomainError as exc:
            assert exc.code is ErrorCode.OUTSIDE_JURISDICTION and exc.field == "id_number"
        else:
            raise AssertionError(f"{staff.province_code} may not verify a person of 36")
    await require_jurisdiction(Actor(ActorKind.STAFF, 3, 3, "PROVINCE", province_code="36"), resident, None)
