"""公告 over HTTP: only ministry staff publish (anyone else is refused, bad input is a coded payload error); anyone
reads the announcements newest first and each one's entries, personal data masked (PIPL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from db.models import Application, ApplicationKind, Certificate, Person, Registration, StaffRole
from domain import accounts, filings
from domain.kernel import clock, keys
from tests.filing_helpers import global_id, make_enterprise
from tests.helpers import Api
from tests.holders import approved, person, registered
from tests.verification_helpers import staff_token

PUBLISH = """mutation($input: PublishAnnouncementInput!) { publishAnnouncement(input: $input) {
  errors { field code message } announcement { id number year seq title applicationCount publishedAt } } }"""
ENTRIES = """entries(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { name idNumberMasked registrationNumber enterpriseName kind temporary
  specialties { code name } } } }"""
LIST = """query($first: Int!, $after: String) { announcements(first: $first, after: $after) { totalCount
  pageInfo { hasNextPage endCursor } edges { node { id number title applicationCount } } } }"""
ONE = f"""query($id: ID!, $first: Int!, $after: String) {{ announcement(id: $id) {{ id number {ENTRIES} }}
  node(id: $id) {{ ... on Announcement {{ number applicationCount }} }} }}"""


async def publish(api: Api, token: str | None, **fields: Any) -> dict[str, Any]:
    body = await api.gql(PUBLISH, {"input": fields}, token=token)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["publishAnnouncement"]
    return payload


async def ministry(api: Api) -> str:
    return await staff_token(api, StaffRole.MINISTRY, "ministry-announcer", "住建部审查员")


async def test_only_ministry_staff_may_publish(api: Api) -> None:
    await approved(await person())
    anonymous = (await api.post(PUBLISH, {"input": {}})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" and anonymous["data"] is None
    for role in (StaffRole.ENTERPRISE, StaffRole.SPECIALTY_MINISTRY, StaffRole.PROVINCE, StaffRole.ADMIN):
        token = await staff_token(api, role, f"not-ministry-{role.value.lower()}")
        refused = (await api.post(PUBLISH, {"input": {}}, token=token)).json()
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, refused)
    await api.signed_up()
    as_person = (await api.post(PUBLISH, {"input": {}})).json()
    assert as_person["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Application.filter(status="ANNOUNCED").count() == 0

    payload = await publish(api, await ministry(api))
    assert payload["errors"] == []
    year = clock.business_date().year
    assert payload["announcement"]["number"] == f"住房和城乡建设部公告 {year}年第1号"
    assert (payload["announcement"]["seq"], payload["announcement"]["applicationCount"]) == (1, 1)


async def test_bad_input_is_a_coded_payload_error(api: Api) -> None:
    token = await ministry(api)
    assert (await publish(api, token))["errors"] == [
        {"field": None, "code": "NOTHING_TO_ANNOUNCE", "message": "没有待公告的准予注册申报。"}
    ]
    filed = await approved(await person())
    await Application.filter(id=filed.id).update(status="MINISTRY_REVIEW")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"applicationIds": ["not-an-id"]}, "NOT_FOUND"),
        ({"applicationIds": [global_id("Enterprise", filed.id)]}, "NOT_FOUND"),
        ({"applicationIds": [global_id("Application", filed.id)]}, "APPLICATION_NOT_APPROVED"),
        ({"applicationIds": []}, "NOTHING_TO_ANNOUNCE"),
    ]
    for fields, code in cases:
        errors = (await publish(api, token, **fields))["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(["applicationIds"], code)], fields
    errors = (await publish(api, token, title="公" * 201))["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["title"], "TEXT_TOO_LONG")]
    assert (await api.gql(LIST, {"first": 5}))["data"]["announcements"]["totalCount"] == 0


async def test_anyone_reads_the_announcements_newest_first(api: Api) -> None:
    token = await ministry(api)
    for title in ("第一批", "第二批", "第三批"):
        await approved(await person())
        assert (await publish(api, token, title=title))["errors"] == []
    first = (await api.gql(LIST, {"first": 2}))["data"]["announcements"]  # no login
    assert [edge["node"]["title"] for edge in first["edges"]] == ["第三批", "第二批"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = await api.gql(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    page = rest["data"]["announcements"]
    assert [edge["node"]["title"] for edge in page["edges"]] == ["第一批"] and not page["pageInfo"]["hasNextPage"]
    bad = (await api.post(LIST, {"first": 2, "after": "garbage"})).json()
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
    too_many = (await api.post(LIST, {"first": 101})).json()
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_PAGE_SIZE"


async def _announced_people(api: Api) -> tuple[str, list[Person]]:
    """An INITIAL filing whose certificate was issued, a RENEWAL of a registration held, and one more INITIAL not
    yet issued: published together."""
    employer = await make_enterprise()
    newcomer, renewer, waiting = await person("赵六"), await person("钱七"), await person("孙八")
    initial = await approved(newcomer, enterprise=employer, specialties=("01", "03"))
    held = await registered(renewer, {"07": clock.business_date() + timedelta(days=40)}, enterprise=employer)
    renewal = await approved(renewer, kind=ApplicationKind.RENEWAL, specialties=("07",))
    await Application.filter(id=renewal.id).update(enterprise_id=None)  # a renewal names no employer
    await approved(waiting, enterprise=employer)
    issued = await filings.record_registration(
        filings.RegistrationFacts(person_id=newcomer.id, enterprise_id=employer.id, specialty_codes=["01", "03"])
    )
    await Certificate.create(
        registration_id=issued.id,
        person_id=newcomer.id,
        application_id=initial.id,
        number=issued.number,
        seal_check=0,
        current_key=issued.id,
        reason="INITIAL",
        issued_at=clock.now(),
        issued_on=clock.business_date(),
        snapshot={},
    )
    payload = await publish(api, await ministry(api))
    assert payload["errors"] == [] and held.number
    return payload["announcement"]["id"], [newcomer, renewer, waiting]


async def test_an_announcement_lists_its_filings_with_personal_data_masked(api: Api) -> None:
    announcement_id, people = await _announced_people(api)
    body = await api.gql(ONE, {"id": announcement_id, "first": 2})  # anonymous
    assert "errors" not in body, body
    found = body["data"]["announcement"]
    assert body["data"]["node"] == {"number": found["number"], "applicationCount": 3}
    entries = found["entries"]
    assert entries["totalCount"] == 3 and entries["pageInfo"]["hasNextPage"]
    more = await api.gql(ONE, {"id": announcement_id, "first": 2, "after": entries["pageInfo"]["endCursor"]})
    nodes = [edge["node"] for edge in entries["edges"] + more["data"]["announcement"]["entries"]["edges"]]
    registration_numbers = {r.person_id: r.number for r in await _registrations(people)}  # type: ignore[attr-defined]
    employer = nodes[0]["enterpriseName"]
    assert nodes == [
        {
            "name": "赵六",
            "idNumberMasked": people[0].id_number_masked,
            "registrationNumber": registration_numbers[people[0].id],
            "enterpriseName": employer,
            "kind": "INITIAL",
            "temporary": False,
            "specialties": [{"code": "01", "name": "建筑工程"}, {"code": "03", "name": "铁路工程"}],
        },
        {
            "name": "钱七",
            "idNumberMasked": people[1].id_number_masked,
            "registrationNumber": registration_numbers[people[1].id],
            "enterpriseName": employer,
            "kind": "RENEWAL",
            "temporary": False,
            "specialties": [{"code": "07", "name": "市政公用工程"}],
        },
        {
            "name": "孙八",
            "idNumberMasked": people[2].id_number_masked,
            "registrationNumber": None,
            "enterpriseName": employer,
            "kind": "INITIAL",
            "temporary": False,
            "specialties": [{"code": "01", "name": "建筑工程"}],
        },
    ]
    text = repr(body) + repr(more)
    for holder in people:
        full = keys.decrypt(holder.id_number_cipher)
        assert full not in text and holder.mobile not in text
        assert accounts.mask_id_number(full) == holder.id_number_masked and "*" in holder.id_number_masked
    missing = await api.gql(ONE, {"id": global_id("Announcement", 999), "first": 1})
    assert missing["data"] == {"announcement": None, "node": None}
    malformed = await api.gql(ONE, {"id": global_id("Application", 1), "first": 1})
    assert malformed["data"]["announcement"] is None


async def _registrations(people: list[Person]) -> list[Registration]:
    return list(await Registration.filter(person_id__in=[p.id for p in people]))


async def test_two_publishes_at_once_get_two_numbers_or_a_coded_error(api: Api) -> None:
    for _ in range(4):
        await approved(await person())
    token = await ministry(api)
    bodies = await asyncio.gather(*(api.gql(PUBLISH, {"input": {}}, token=token) for _ in range(2)))
    payloads = [body["data"]["publishAnnouncement"] for body in bodies]
    won = [p["announcement"] for p in payloads if p["errors"] == []]
    codes = [e["code"] for p in payloads for e in p["errors"]]
    assert won and set(codes) <= {"NOTHING_TO_ANNOUNCE", "CONFLICT"} and len(won) + len(codes) == 2
    assert sorted(a["seq"] for a in won) == list(range(1, len(won) + 1))
    assert sum(a["applicationCount"] for a in won) == 4
