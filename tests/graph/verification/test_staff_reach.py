"""Staff reach: staff see a person only through a case in their scope (a provincial officer: the on-site case they
opened, for STAFF_CASE_ACCESS_S); every staff read is on the person's trail; the certify URL is the owner's alone."""

from __future__ import annotations

from typing import Any

from db.models import StaffRole
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import create_staff, staff_login
from tests.graph.accounts.uploads.helpers import fetch
from tests.helpers import VALID_ID, Api
from tests.verification_helpers import open_case, signed_up_with_materials, started

NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { id __typename
  ... on Person { realName attachments { id } verification { id certifyUrl qrCodeDataUrl } }
  ... on Attachment { kind }
  ... on Verification { status certifyUrl qrCodeDataUrl } } }"""
OWN = """query { viewer { id attachments { id url } verification { id }
  trail(first: 50) { edges { node { action actor } } } } }"""
TRAIL_NODE = "query($id: ID!) { node(id: $id) { ... on OperationTrail { action } } }"
OPEN_CASE_QUERY = """query($idNumber: String!) { onsiteVerificationCase(idNumber: $idNumber) { verified } }"""


async def applicant(api: Api) -> dict[str, Any]:
    """A person with materials and a pending Alipay attempt: their viewer (ids, file URLs, trail)."""
    await signed_up_with_materials(api)
    await started(api)
    return await own_view(api)


async def own_view(api: Api) -> dict[str, Any]:
    body = await api.gql(OWN)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["viewer"]
    return result


def ids_of(person: dict[str, Any]) -> list[str]:
    """The person's, their attachments' and their verification's global ids."""
    return [person["id"], *(a["id"] for a in person["attachments"]), person["verification"]["id"]]


async def nodes(api: Api, ids: list[str], token: str) -> list[dict[str, Any] | None]:
    body = await api.gql(NODES, {"ids": ids}, token=token)
    assert "errors" not in body, body
    result: list[dict[str, Any] | None] = body["data"]["nodes"]
    return result


async def officer(api: Api, username: str, role: StaffRole = StaffRole.PROVINCE) -> str:
    await create_staff(username, role)
    return str((await staff_login(api, username))["token"])


def staff_reads(person: dict[str, Any]) -> list[str]:
    """Actors of the PERSON_VIEWED_BY_STAFF entries on the person's trail, newest first."""
    return [e["node"]["actor"] for e in person["trail"]["edges"] if e["node"]["action"] == "PERSON_VIEWED_BY_STAFF"]


async def test_a_province_officer_sees_a_person_only_through_the_case_they_opened(api: Api) -> None:
    person = await applicant(api)
    owner = api.token
    assert owner is not None
    ids = ids_of(person)
    staff = await officer(api, "province-a")
    other = await officer(api, "province-b")
    file_url = person["attachments"][0]["url"].split("?")[0]

    assert await nodes(api, ids, staff) == [None] * len(ids)  # before the case: nothing
    assert (await fetch(api, file_url, staff)).status_code == 404
    await open_case(api, staff)
    seen = await nodes(api, ids, staff)

    assert all(seen), seen
    assert seen[0] is not None and seen[0]["realName"] == "张三" and len(seen[0]["attachments"]) == 3
    assert seen[0]["verification"] == {"id": ids[-1], "certifyUrl": None, "qrCodeDataUrl": None}
    assert seen[-1] == {"id": ids[-1], "__typename": "Verification", "status": "PENDING", "certifyUrl": None,
                        "qrCodeDataUrl": None}  # fmt: skip
    assert (await fetch(api, file_url, staff)).status_code == 200
    assert await nodes(api, ids, other) == [None] * len(ids)  # another officer's case is not theirs
    # One entry per request for the node reads (five objects of one person), one for the file.
    assert staff_reads(await own_view(api)) == ["工作人员 province-a"]
    actions = [e["node"]["action"] for e in (await own_view(api))["trail"]["edges"]]
    assert actions[:3] == ["ATTACHMENT_VIEWED_BY_STAFF", "PERSON_VIEWED_BY_STAFF", "VERIFICATION_MATERIALS_VIEWED"]


async def test_the_grant_expires(api: Api) -> None:
    person = await applicant(api)
    ids = ids_of(person)
    file_url = person["attachments"][0]["url"].split("?")[0]
    staff = await officer(api, "province-a")
    await open_case(api, staff)
    clock.advance(get_settings().staff_case_access_s - 60)
    staff = str((await staff_login(api, "province-a"))["token"])  # the earlier session idled out
    assert all(await nodes(api, ids, staff))

    clock.advance(61)

    assert await nodes(api, ids, staff) == [None] * len(ids)
    assert (await fetch(api, file_url, staff)).status_code == 404
    await open_case(api, staff)  # a new opening grants again
    assert all(await nodes(api, ids, staff))


async def test_other_staff_see_nobody_and_admins_audit_trails_only(api: Api) -> None:
    person = await applicant(api)
    ids = ids_of(person)
    file_url = person["attachments"][0]["url"].split("?")[0]
    roles = (StaffRole.MINISTRY, StaffRole.SPECIALTY_MINISTRY, StaffRole.ENTERPRISE, StaffRole.ADMIN)
    for role in roles:
        staff = await officer(api, f"staff-{role.value.lower()}", role)
        case = await api.gql(OPEN_CASE_QUERY, {"idNumber": VALID_ID}, token=staff)
        assert case["data"] is None or case["data"]["onsiteVerificationCase"] is None, (role, case)
        assert await nodes(api, ids, staff) == [None] * len(ids), role
        assert (await fetch(api, file_url, staff)).status_code == 404, role
    own = await own_view(api)
    assert staff_reads(own) == []
    assert not any(e["node"]["action"].endswith("VIEWED_BY_STAFF") for e in own["trail"]["edges"])


async def test_admins_still_audit_trails(api: Api) -> None:
    await api.signed_up()
    trail_ids = await api.gql("query { viewer { trail(first: 1) { edges { node { id } } } } }")
    trail_id = trail_ids["data"]["viewer"]["trail"]["edges"][0]["node"]["id"]
    admin = await officer(api, "admin-a", StaffRole.ADMIN)

    body = await api.gql(TRAIL_NODE, {"id": trail_id}, token=admin)

    assert body["data"]["node"] == {"action": "LOGIN_SUCCEEDED"}


async def test_the_owner_still_sees_everything_and_no_staff_read_is_noted(api: Api) -> None:
    person = await applicant(api)
    ids = ids_of(person)
    assert api.token is not None

    seen = await nodes(api, ids, api.token)

    assert all(seen), seen
    verification = seen[-1]
    assert verification is not None and verification["certifyUrl"].startswith("http")
    assert verification["qrCodeDataUrl"].startswith("data:image/png;base64,")
    assert seen[0] is not None and seen[0]["verification"]["certifyUrl"] == verification["certifyUrl"]
    assert (await fetch(api, person["attachments"][0]["url"], api.token)).status_code == 200
    assert staff_reads(await own_view(api)) == []
