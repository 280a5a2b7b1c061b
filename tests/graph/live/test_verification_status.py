"""verificationStatus: the current state first, then each change, pushed to the subscriber."""

from __future__ import annotations

from typing import Any

from db.models import StaffRole
from tests.helpers import VALID_ID, Api
from tests.live_client import signed_in, until
from tests.verification_helpers import signed_up_with_materials, staff_token, start

VERIFICATION_STATUS = "subscription { verificationStatus { id method status failureReason } }"
CONFIRM = """mutation($input: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $input) {
  errors { code } verification { id status } } }"""


async def confirm_on_site(api: Api, staff: str) -> None:
    body = await api.gql(CONFIRM, {"input": {"idNumber": VALID_ID, "decision": "CONFIRM"}}, token=staff)
    assert body["data"]["confirmOnsiteVerification"]["errors"] == [], body


async def test_the_current_state_first_then_each_change(api: Api, ws_url: str, app: Any) -> None:
    await signed_up_with_materials(api)
    staff = await staff_token(api, StaffRole.PROVINCE, "province-live")
    async with signed_in(ws_url, api.token or "") as sock:
        await sock.subscribe("1", VERIFICATION_STATUS)
        assert await sock.next_data("1") == {"verificationStatus": None}

        started = await start(api)
        pending = (await sock.next_data("1"))["verificationStatus"]
        assert pending["status"] == "PENDING" and pending["method"] == "ALIPAY"
        assert pending["id"] == started["verification"]["id"]

        await confirm_on_site(api, staff)
        # The on-site pass closes the pending attempt and passes a new one: what is shown is the PASSED one.
        shown = (await sock.next_data("1"))["verificationStatus"]
        assert shown["status"] == "PASSED" and shown["method"] == "ONSITE"
        assert app.state.event_hub.channels == 1

        await sock.send({"id": "1", "type": "complete"})
        await sock.subscribe("2", VERIFICATION_STATUS)  # a fresh one: the state as it is now
        assert (await sock.next_data("2"))["verificationStatus"]["status"] == "PASSED"


async def test_the_channel_is_released_when_the_client_goes(api: Api, ws_url: str, app: Any) -> None:
    await api.signed_up()
    hub = app.state.event_hub
    async with signed_in(ws_url, api.token or "") as sock:
        await sock.subscribe("1", VERIFICATION_STATUS)
        await sock.next_data("1")
        assert hub.channels == 1
        await sock.send({"id": "1", "type": "complete"})
        await sock.subscribe("2", VERIFICATION_STATUS)
        await sock.next_data("2")
        assert hub.channels == 1
    # The socket closed with a subscription running: the server cancels it and unsubscribes.
    await until(lambda: hub.channels == 0)
