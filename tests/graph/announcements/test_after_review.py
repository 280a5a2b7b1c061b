"""The whole road over HTTP: a person files, the employer confirms, the ministry approves, the ministry publishes;
the filing is ANNOUNCED with its step (the person sees it in the progress query), without waiting for the
certificate's job, and the public announcement lists the person masked."""

from __future__ import annotations

from typing import Any

from db.models import StaffRole
from tests.filing_helpers import applicant, applications, global_id, make_enterprise
from tests.graph.review.helpers import CONFIRM, REVIEW, filed, mutate, staff_token
from tests.helpers import VALID_ID, Api

PUBLISH = """mutation($input: PublishAnnouncementInput!) { publishAnnouncement(input: $input) {
  errors { code } announcement { id number applicationCount } } }"""
ENTRIES = """query($id: ID!) { announcement(id: $id) { entries(first: 10) { edges { node { name idNumberMasked
  kind enterpriseName registrationNumber } } } } }"""


async def test_an_approved_filing_is_announced_and_its_applicant_sees_the_step(api: Api, app: Any) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    application = await filed(api, app, ["01"], enterprise)
    gid = global_id("Application", application.id)
    clerk = await staff_token(api, StaffRole.ENTERPRISE, enterprise)
    assert (await mutate(api, CONFIRM, clerk, {"id": gid}))["errors"] == []
    ministry = await staff_token(api, StaffRole.MINISTRY)
    assert (await mutate(api, REVIEW, ministry, {"id": gid, "decision": "APPROVE"}))["errors"] == []

    published = await mutate(api, PUBLISH, ministry, {"applicationIds": [gid]})
    assert published["errors"] == [] and published["announcement"]["applicationCount"] == 1
    number = published["announcement"]["number"]

    mine = (await applications(api))["edges"][0]["node"]  # the applicant's own progress query
    assert mine["status"] == "ANNOUNCED" and not mine["withdrawable"]
    last = mine["steps"][-1]
    assert (last["stage"], last["outcome"], last["actorRole"], last["comment"]) == (
        "ANNOUNCEMENT",
        "DONE",
        "MINISTRY",
        f"已列入{number}",
    )
    assert [s["stage"] for s in mine["steps"]][-2:] == ["MINISTRY_REVIEW", "ANNOUNCEMENT"]

    api.token = None  # anyone, not logged in
    body = await api.gql(ENTRIES, {"id": published["announcement"]["id"]})
    [entry] = [edge["node"] for edge in body["data"]["announcement"]["entries"]["edges"]]
    assert entry == {
        "name": person.real_name,
        "idNumberMasked": person.id_number_masked,
        "kind": "INITIAL",
        "enterpriseName": enterprise.name,
        "registrationNumber": None,  # the certificate's job has not run
    }
    assert VALID_ID not in repr(body) and person.mobile not in repr(body)
    again = await mutate(api, PUBLISH, ministry, {"applicationIds": [gid]})
    assert [e["code"] for e in again["errors"]] == ["APPLICATION_NOT_APPROVED"]
