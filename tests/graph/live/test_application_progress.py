"""applicationProgress: each new step of the subscriber's own filing, whoever writes it; anyone else's is NOT_FOUND."""

from __future__ import annotations

from typing import Any

from tests.filing_helpers import (
    WITHDRAW,
    applicant,
    contract,
    file,
    global_id,
    make_enterprise,
    qualify,
    sms_code,
)
from tests.helpers import VALID_ID_2, Api
from tests.live_client import Socket, signed_in
from tests.workers.burst import run_burst

PROGRESS = """subscription($id: ID!, $afterSeq: Int) { applicationProgress(id: $id, afterSeq: $afterSeq) {
  applicationId seq stage outcome actorRole comment items { code message } } }"""


async def filed(api: Api, app: Any) -> str:
    """An initial registration filed (step 1, its pre-check queued); its global id."""
    await applicant(api)
    enterprise = await make_enterprise()
    await qualify("01")
    code = await sms_code(api, app, "INITIAL")
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    payload = await file(api, "INITIAL", fields, code)
    assert payload["errors"] == [], payload
    return str(payload["application"]["id"])


async def both(sock: Socket) -> dict[str, tuple[int, str, str, str]]:
    """The next step pushed to each of the two subscriptions (in whichever order they come)."""
    pushed = {}
    for _ in range(2):
        message = await sock.receive()
        assert message["type"] == "next", message
        pushed[message["id"]] = seen(message["payload"]["data"])
    return pushed


def seen(data: dict[str, Any]) -> tuple[int, str, str, str]:
    step = data["applicationProgress"]
    return step["seq"], step["stage"], step["outcome"], step["actorRole"]


async def test_each_new_step_is_pushed_as_it_is_written(api: Api, app: Any, ws_url: str) -> None:
    application_id = await filed(api, app)
    async with signed_in(ws_url, api.token or "") as sock:
        await sock.subscribe("from-now", PROGRESS, {"id": application_id})
        await sock.subscribe("catch-up", PROGRESS, {"id": application_id, "afterSeq": 0})
        assert seen(await sock.next_data("catch-up")) == (1, "SUBMISSION", "DONE", "APPLICANT")

        assert (await run_burst(app)).failed == 0  # the worker's pre-check writes step 2
        assert await both(sock) == {name: (2, "PRECHECK", "PASSED", "SYSTEM") for name in ("from-now", "catch-up")}

        withdrawn = await api.gql(WITHDRAW, {"input": {"id": application_id}})
        assert withdrawn["data"]["withdrawApplication"]["errors"] == []
        assert await both(sock) == {
            name: (3, "WITHDRAWAL", "WITHDRAWN", "APPLICANT") for name in ("from-now", "catch-up")
        }


async def test_only_the_owner_and_no_hint_of_existence(api: Api, app: Any, ws_url: str) -> None:
    application_id = await filed(api, app)
    other = Api(api.client, api.app)
    await other.signed_up(id_number=VALID_ID_2, mobile="13900139002")
    async with signed_in(ws_url, other.token or "") as sock:
        answers = []
        for number, wanted in enumerate(
            [application_id, global_id("Application", 999999), global_id("Person", 1), "not-an-id", "QXBwbGljYXRpb246"]
        ):
            await sock.subscribe(str(number), PROGRESS, {"id": wanted})
            message = await sock.receive()
            assert message["type"] == "error" and message["id"] == str(number), message
            answers.append(message["payload"])
        assert all(answer == answers[0] for answer in answers), answers
        [error] = answers[0]
        assert error["extensions"]["code"] == "NOT_FOUND" and error["message"] == "未找到相应记录。"
