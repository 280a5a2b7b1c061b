"""Steps of the review tests over HTTP: a real filing pre-checked by the worker, staff logged in, the mutations."""

from __future__ import annotations

from typing import Any

from db.models import Application, Enterprise, Person, StaffRole
from tests.filing_helpers import applicant, contract, file, global_id, make_enterprise, qualify, sms_code
from tests.graph.accounts.helpers import staff_login
from tests.helpers import Api
from tests.review_helpers import STAFF_PASSWORD, staff_user
from tests.workers.burst import run_burst

ERRORS = "errors { field code message }"
APPLICATION = "application { id status steps { seq stage outcome actorRole comment deadline items { code } } }"
CONFIRM = f"""mutation($input: ConfirmApplicationInput!) {{ confirmApplication(input: $input) {{
  {ERRORS} {APPLICATION} }} }}"""
RETURN = f"""mutation($input: ReturnApplicationInput!) {{ returnApplication(input: $input) {{
  {ERRORS} {APPLICATION} }} }}"""
REVIEW = f"""mutation($input: ReviewApplicationInput!) {{ reviewApplication(input: $input) {{
  {ERRORS} {APPLICATION} }} }}"""
CREATE_STAFF = f"""mutation($input: CreateStaffUserInput!) {{ createStaffUser(input: $input) {{ {ERRORS} password
  staffUser {{ username displayName role provinceCode mobileMasked enterprise {{ id name }} specialties {{ code }} }}
}} }}"""
NODE = """query($id: ID!) { node(id: $id) { ... on Application { id status kind
  applicant { realName idNumberMasked attachments { kind url } } } } }"""


async def filed(api: Api, app: Any, specialties: list[str], enterprise: Enterprise | None = None) -> Application:
    """The test applicant (logged in on `api`) files an initial registration; the worker pre-checks it."""
    enterprise = enterprise or await make_enterprise()
    for code in specialties:
        await qualify(code)
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": specialties}
    payload = await file(api, "INITIAL", fields, await sms_code(api, app, "INITIAL"))
    assert payload["errors"] == [], payload
    assert (await run_burst(app)).failed == 0
    latest = await Application.all().order_by("-id").first()
    assert latest is not None
    return latest


async def signed_in_applicant(api: Api) -> Person:
    return await applicant(api)


async def staff_token(
    api: Api, role: StaffRole, enterprise: Enterprise | None = None, specialties: list[str] | None = None
) -> str:
    """A staff user of the role (and scope) logged in through staffLogin; the bearer token."""
    row = await staff_user(role, enterprise, specialties)
    return str((await staff_login(api, row.username, STAFF_PASSWORD))["token"])


async def mutate(api: Api, query: str, token: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A staff mutation; the payload (asserting no top-level errors)."""
    body = await api.gql(query, {"input": variables}, token=token)
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


def coded(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [((e["field"] or [None])[-1], e["code"]) for e in payload["errors"]]
