"""`reviewQueue` over HTTP: a filing pre-checked by the worker waits in its employer's queue with its deadline and
findings; each role sees its own scope (another enterprise nothing, the ministry nothing yet), stages outside the
role and roles without a queue are FORBIDDEN, pages follow their cursors, totalCount only when asked."""

from __future__ import annotations

from typing import Any

from db.models import Application, StaffRole, StaffUser
from domain.accounts import hash_password
from domain.kernel.workdays import add_workdays, workdays_between
from tests.domain.review.helpers import attach
from tests.filing_helpers import applicant, contract, file, global_id, make_enterprise, qualify, sms_code, today
from tests.graph.accounts.helpers import STAFF_PASSWORD, staff_login
from tests.helpers import Api
from tests.workers.burst import run_burst

QUEUE = """query($first: Int!, $after: String, $stage: ReviewQueueStage, $overdue: Boolean) {
  reviewQueue(first: $first, after: $after, stage: $stage, overdue: $overdue) {
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { stage enteredAt deadline overdue workdaysLeft
      findings { code message severity rule }
      application { id kind status enterprise { id } steps { stage outcome } } } } } }"""
COUNTED = "query { reviewQueue(first: 1) { totalCount edges { node { stage } } } }"


async def staff_token(api: Api, username: str, role: StaffRole, **columns: Any) -> str:
    await StaffUser.create(
        username=username,
        display_name="审查员",
        role=role,
        password_hash=await hash_password(STAFF_PASSWORD),
        **columns,
    )
    result = await staff_login(api, username)
    assert result["errors"] == [], result
    return str(result["token"])


async def queue(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    return await api.gql(QUEUE, {"first": 10, **variables}, token=token)


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_each_role_sees_its_scope_with_deadlines_and_findings(api: Api, app: Any) -> None:
    person = await applicant(api)
    await attach(person)
    employer, other = await make_enterprise(), await make_enterprise()
    await qualify("01")
    fields = {"enterpriseId": global_id("Enterprise", employer.id), **contract(), "specialtyCodes": ["01"]}
    payload = await file(api, "INITIAL", fields, await sms_code(api, app, "INITIAL"))
    assert payload["errors"] == [], payload
    await run_burst(app)
    api.token = None

    ours = await staff_token(api, "hr.ours", StaffRole.ENTERPRISE, enterprise_id=employer.id)
    theirs = await staff_token(api, "hr.theirs", StaffRole.ENTERPRISE, enterprise_id=other.id)
    ministry = await staff_token(api, "ministry", StaffRole.MINISTRY)
    railway = await staff_token(api, "railway", StaffRole.SPECIALTY_MINISTRY, specialty_codes=["03"])
    province = await staff_token(api, "province", StaffRole.PROVINCE, province_code="11")

    body = await queue(api, ours)
    assert "errors" not in body, body
    [edge] = body["data"]["reviewQueue"]["edges"]
    item = edge["node"]
    assert item["stage"] == "ENTERPRISE_CONFIRMATION" and item["overdue"] is False
    assert item["deadline"] == add_workdays(today(), 5).isoformat()
    assert item["workdaysLeft"] == workdays_between(today(), add_workdays(today(), 5)) == 5
    assert item["application"]["enterprise"]["id"] == global_id("Enterprise", employer.id)
    assert item["application"]["id"] == global_id("Application", (await Application.get()).id)
    findings = {f["code"]: f for f in item["findings"]}
    assert findings["ATTACHMENTS_COMPLETE"]["severity"] == "INFO" and findings["AGE"]["rule"] == "age"
    assert findings["CONTRACT_ENDS_BEFORE_EXPIRY"]["severity"] == "WARNING"  # a 2-year contract, a 3-year registration

    for token in (theirs, ministry, railway):
        assert (await queue(api, token))["data"]["reviewQueue"]["edges"] == []
    assert codes(await queue(api, ours, stage="MINISTRY_REVIEW")) == ["FORBIDDEN"]
    assert codes(await queue(api, province)) == ["FORBIDDEN"]
    api.client.cookies.clear()  # the staff logins' session cookies
    assert codes(await api.gql(QUEUE, {"first": 10})) == ["UNAUTHENTICATED"]
    assert (await queue(api, ours, overdue=True))["data"]["reviewQueue"]["edges"] == []
    counted = await api.gql(COUNTED, token=ours)
    assert counted["data"]["reviewQueue"]["totalCount"] == 1


async def test_pages_follow_their_cursors(api: Api, app: Any) -> None:
    from tests.domain.filings.helpers import make_person
    from tests.domain.review.helpers import MINISTRY, at, queued

    person = await make_person()
    rows = [await queued(person, MINISTRY, at(n)) for n in range(5)]
    token = await staff_token(api, "ministry", StaffRole.MINISTRY)
    seen: list[str] = []
    after = None
    while True:
        page = (await api.gql(QUEUE, {"first": 2, "after": after}, token=token))["data"]["reviewQueue"]
        seen += [edge["node"]["application"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [global_id("Application", row.id) for row in rows]
    for bad in ("nonsense", "RXwyMDI2fDE=", after):
        body = await api.gql(QUEUE, {"first": 2, "after": bad, "overdue": True}, token=token)
        assert codes(body) == ["INVALID_CURSOR"], body
    assert codes(await api.gql(QUEUE, {"first": 0}, token=token)) == ["INVALID_PAGE_SIZE"]
