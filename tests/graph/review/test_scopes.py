"""Scopes through node(id:) and nodes(ids:): each staff role sees only its filings (a filing out of scope is null,
as a missing one), administrators every filing but not the applicant; ten confirmations over HTTP at once: one
wins, every other is coded."""

from __future__ import annotations

import asyncio
from typing import Any

from db.models import ApplicationStatus, ApplicationStep, Person, StaffRole
from tests.filing_helpers import global_id, make_enterprise
from tests.graph.review.helpers import CONFIRM, coded, mutate, staff_token
from tests.helpers import Api
from tests.review_helpers import filing

NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Application { id status applicant { realName } } } }"""


async def visible(api: Api, token: str, ids: list[str]) -> list[bool | None]:
    """For each id: None when hidden, else whether the applicant is shown too."""
    body = await api.gql(NODES, {"ids": ids}, token=token)
    assert "errors" not in body, body
    return [None if node is None else node["applicant"] is not None for node in body["data"]["nodes"]]


async def test_each_role_sees_its_own_scope_through_nodes(api: Api) -> None:
    await api.signed_up()
    person = await Person.get()
    mine, theirs = await make_enterprise(), await make_enterprise()
    filings = [
        await filing(person, ApplicationStatus.ENTERPRISE_CONFIRMATION, mine, ["01"]),
        await filing(person, ApplicationStatus.SPECIALTY_REVIEW, theirs, ["01", "02"]),
        await filing(person, ApplicationStatus.MINISTRY_REVIEW, None, ["05"]),
        await filing(person, ApplicationStatus.APPROVED, mine, ["02"]),
    ]
    ids = [global_id("Application", row.id) for row in filings] + [global_id("Application", 10**6)]
    expected: list[tuple[str, list[bool | None]]] = [
        (await staff_token(api, StaffRole.ENTERPRISE, mine), [True, None, None, True, None]),
        (await staff_token(api, StaffRole.ENTERPRISE, theirs), [None, True, None, None, None]),
        (await staff_token(api, StaffRole.SPECIALTY_MINISTRY, None, ["02"]), [None, True, None, True, None]),
        (await staff_token(api, StaffRole.SPECIALTY_MINISTRY, None, ["03", "04"]), [None, None, None, None, None]),
        (await staff_token(api, StaffRole.MINISTRY), [True, True, True, True, None]),
        (await staff_token(api, StaffRole.ADMIN), [False, False, False, False, None]),  # filings, not the person
        (await staff_token(api, StaffRole.PROVINCE), [None, None, None, None, None]),
    ]
    for token, seen in expected:
        assert await visible(api, token, ids) == seen


async def test_ten_confirmations_over_http_at_once_one_wins(api: Api) -> None:
    await api.signed_up()
    enterprise = await make_enterprise()
    application = await filing(await Person.get(), ApplicationStatus.ENTERPRISE_CONFIRMATION, enterprise)
    tokens = [await staff_token(api, StaffRole.ENTERPRISE, enterprise) for _ in range(10)]
    gid = global_id("Application", application.id)
    payloads: list[Any] = await asyncio.gather(*(mutate(api, CONFIRM, token, {"id": gid}) for token in tokens))
    won = [p for p in payloads if not p["errors"]]
    assert len(won) == 1 and won[0]["application"]["status"] == "MINISTRY_REVIEW"
    # a loser that read the filing before the winner's commit gets CONFLICT; one that read it after, NOT_AT_STAGE
    losers = {tuple(coded(p)) for p in payloads if p["errors"]}
    assert losers <= {(("id", "CONFLICT"),), (("id", "NOT_AT_STAGE"),)}, losers
    assert await ApplicationStep.filter(application_id=application.id).count() == 3
