"""The subscription across app instances sharing Redis and the database: a subscriber on this process's server
hears what another API process (`manage.py serve`) and a worker process (`manage.py worker`) write."""

from __future__ import annotations

from typing import Any

import httpx

from db.models import StaffRole
from tests.e2e.conftest import running_server
from tests.filing_helpers import WITHDRAW
from tests.graph.live.test_application_progress import PROGRESS, filed, seen
from tests.helpers import VALID_ID_2, Api
from tests.live_client import signed_in
from tests.verification_helpers import staff_token, upload_materials

STATUS = "subscription { verificationStatus { status method } }"
CONFIRM = """mutation($input: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $input) {
  errors { code } } }"""
PROCESS_WAIT_S = 60.0  # the other processes start (imports, migrations checked) before they write


async def post(base: str, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_what_another_worker_and_another_api_process_write_reaches_the_subscribers(
    api: Api, app: Any, ws_url: str
) -> None:
    application_id = await filed(api, app)  # its pre-check job queued, for whichever worker takes it
    filer = api.token or ""
    other_person = Api(api.client, api.app)
    await other_person.signed_up(id_number=VALID_ID_2, mobile="13900139002")
    await upload_materials(other_person)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-live", province=VALID_ID_2[:2])
    async with signed_in(ws_url, filer) as progress, signed_in(ws_url, other_person.token or "") as status:
        await progress.subscribe("1", PROGRESS, {"id": application_id, "afterSeq": 1})
        await status.subscribe("1", STATUS)
        assert await status.next_data("1") == {"verificationStatus": None}
        with running_server() as other:  # API process B and a worker process, one set for the whole test
            # The worker process takes the pre-check job and writes step 2.
            assert seen(await progress.next_data("1", PROCESS_WAIT_S)) == (2, "PRECHECK", "PASSED", "SYSTEM")
            # API process B writes step 3 (a withdrawal) and a verification decision.
            withdrawn = await post(other, WITHDRAW, {"input": {"id": application_id}}, filer)
            assert withdrawn["data"]["withdrawApplication"]["errors"] == [], withdrawn
            assert seen(await progress.next_data("1")) == (3, "WITHDRAWAL", "WITHDRAWN", "APPLICANT")
            decided = await post(other, CONFIRM, {"input": {"idNumber": VALID_ID_2, "decision": "CONFIRM"}}, staff)
            assert decided["data"]["confirmOnsiteVerification"]["errors"] == [], decided
            assert await status.next_data("1") == {"verificationStatus": {"status": "PASSED", "method": "ONSITE"}}
