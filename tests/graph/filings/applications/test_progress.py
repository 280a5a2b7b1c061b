"""进度查询: viewer.applications newest first with keyset pages and the filters, node(id:) for the owner only, and a
constant number of SQL statements however many filings and steps there are (DataLoaders)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from strawberry import relay

from db.models import Application, ApplicationKind, ApplicationStatus, ApplicationStep, Person, StepOutcome
from domain.kernel import clock
from tests.filing_helpers import APPLICATION_FIELDS, applicant, applications, make_enterprise
from tests.helpers import VALID_ID_2, Api

NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on Application {{ {APPLICATION_FIELDS} }} }} }}"


async def filed(
    person: Person,
    kind: ApplicationKind,
    status: ApplicationStatus,
    temporary: bool = False,
    steps: int = 1,
    enterprise_id: int | None = None,
) -> Application:
    """A filing as the domain would have written it, with `steps` steps."""
    now = clock.now()
    clock.advance(1)
    row = await Application.create(
        person_id=person.id,
        kind=kind,
        status=status,
        temporary=temporary,
        terms_version="2024.1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
        enterprise_id=enterprise_id,
        specialty_codes=["01"],
    )
    for seq in range(1, steps + 1):
        await ApplicationStep.create(
            application_id=row.id,
            seq=seq,
            stage="SUBMISSION",
            outcome=StepOutcome.DONE,
            actor_role="APPLICANT",
            created_at=now,
        )
    return row


async def test_newest_first_in_keyset_pages_with_filters(api: Api) -> None:
    person = await applicant(api)
    first = await filed(person, ApplicationKind.INITIAL, ApplicationStatus.REFUSED)
    second = await filed(person, ApplicationKind.INITIAL, ApplicationStatus.SUBMITTED, temporary=True)
    third = await filed(person, ApplicationKind.RENEWAL, ApplicationStatus.WITHDRAWN, temporary=True)

    page = await applications(api, first=2)
    ids = [edge["node"]["id"] for edge in page["edges"]]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    rest = await applications(api, first=2, after=page["pageInfo"]["endCursor"])
    ids += [edge["node"]["id"] for edge in rest["edges"]]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert [int(relay.GlobalID.from_id(i).node_id) for i in ids] == [third.id, second.id, first.id]
    assert (await applications(api, temporary=True))["totalCount"] == 2
    assert (await applications(api, temporary=False))["totalCount"] == 1
    assert (await applications(api, kind="RENEWAL"))["totalCount"] == 1
    only = await applications(api, status="SUBMITTED")
    assert [e["node"]["status"] for e in only["edges"]] == ["SUBMITTED"] and only["totalCount"] == 1


async def test_bad_page_arguments_are_coded(api: Api) -> None:
    await applicant(api)
    query = "query($a: String, $f: Int!) { viewer { id applications(first: $f, after: $a) { totalCount } } }"
    bad_cursor = await api.gql(query, {"a": "nonsense", "f": 5})
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_CURSOR" and bad_cursor["data"]["viewer"]["id"]
    too_many = await api.gql(query, {"f": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_PAGE_SIZE"


async def test_node_is_the_owners_only(api: Api, app: Any) -> None:
    owner = await applicant(api)
    row = await filed(owner, ApplicationKind.INITIAL, ApplicationStatus.SUBMITTED, steps=2)
    node_id = str(relay.GlobalID("Application", str(row.id)))
    mine = (await api.gql(NODE, {"id": node_id}))["data"]["node"]
    assert mine["kind"] == "INITIAL" and [s["seq"] for s in mine["steps"]] == [1, 2]
    assert mine["steps"][0]["applicationId"] == node_id
    anonymous = await api.gql(NODE, {"id": node_id}, token="none")
    assert anonymous["data"]["node"] is None
    api.token = None
    await applicant(api, id_number=VALID_ID_2, mobile="13900139000")
    assert (await api.gql(NODE, {"id": node_id}))["data"]["node"] is None
    assert (await applications(api))["totalCount"] == 0


def statements(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.name == "tortoise.db_client" and "connection pool" not in r.getMessage())


async def dashboard_statements(api: Api, caplog: pytest.LogCaptureFixture) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        page = await applications(api, first=50)
    assert page["edges"]
    return statements(caplog)


async def test_sql_statements_stay_constant_as_filings_and_steps_grow(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    await filed(person, ApplicationKind.INITIAL, ApplicationStatus.SUBMITTED, enterprise_id=enterprise.id)
    small = await dashboard_statements(api, caplog)
    for index in range(20):
        other = await make_enterprise()
        kind = ApplicationKind.CHANGE if index % 2 else ApplicationKind.RENEWAL
        await filed(person, kind, ApplicationStatus.REFUSED, steps=5, enterprise_id=other.id)
    large = await dashboard_statements(api, caplog)
    assert 0 < small == large, (small, large)
