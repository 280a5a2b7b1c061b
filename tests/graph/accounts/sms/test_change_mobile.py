"""changeMobile end to end: requestSmsCode → outbox → worker → dev inbox → changeMobile."""

from __future__ import annotations

import re
from typing import Any

from db.models import OutboxMessage, Person
from tests.graph.accounts.sms.helpers import NEW_MOBILE, OLD_MOBILE, change_mobile, codes_of, deliver, request_code
from tests.helpers import REQUEST_SMS, VALID_ID_2, VIEWER, Api


async def test_change_mobile_end_to_end(api: Api, app: Any) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    other_session = (await api.login())["token"]
    assert (await api.gql(VIEWER, {"first": 1}, token=other_session))["data"]["viewer"] is not None

    sent = await request_code(api)
    assert sent["errors"] == [] and sent["sentTo"] == "139****5678"
    assert sent["resendAfterSeconds"] == 60
    code = await deliver(api, app)
    old_inbox = await api.sms_inbox(OLD_MOBILE)  # the code goes to the new number only
    assert [m for m in old_inbox if "注册账号" not in m["text"]] == []

    changed = await change_mobile(api, code)

    assert changed["errors"] == [], changed
    assert changed["person"]["mobileMasked"] == "139****5678"
    assert (await Person.get()).mobile == NEW_MOBILE
    viewer = (await api.gql(VIEWER, {"first": 10}))["data"]["viewer"]
    assert viewer["mobileMasked"] == "139****5678"
    assert (await api.gql(VIEWER, {"first": 1}, token=other_session))["data"]["viewer"] is None  # revoked
    nodes = [edge["node"] for edge in viewer["trail"]["edges"]]
    assert [node["action"] for node in nodes[:2]] == ["MOBILE_CHANGED", "SMS_CODE_REQUESTED"]
    assert "138****8001" in nodes[0]["description"] and "139****5678" in nodes[0]["description"]
    assert all(NEW_MOBILE not in node["description"] for node in nodes)


async def test_change_mobile_refuses_the_current_number(api: Api) -> None:
    await api.signed_up(mobile=OLD_MOBILE)
    registered = await OutboxMessage.all().count()
    refused = await request_code(api, OLD_MOBILE)
    assert codes_of(refused) == ["MOBILE_UNCHANGED"]
    assert await OutboxMessage.all().count() == registered
    missing = await request_code(api, None)
    assert codes_of(missing) == ["INVALID_MOBILE"]
    malformed = await request_code(api, "12345")
    assert codes_of(malformed) == ["INVALID_MOBILE"]
    assert all(re.search(r"[\u4e00-\u9fff]", e["message"]) for e in missing["errors"] + malformed["errors"])


async def test_request_sms_code_needs_a_login(api: Api) -> None:
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": "FILING_INITIAL"}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await OutboxMessage.all().count() == 0


async def test_a_number_bound_to_someone_else_is_refused_after_its_code(api: Api, app: Any) -> None:
    other = Api(api.client, app)
    await other.signed_up(id_number=VALID_ID_2, mobile=NEW_MOBILE)
    await api.signed_up(mobile=OLD_MOBILE)
    sent = await request_code(api, NEW_MOBILE)  # the same answer as for a free number: nothing told before the code
    assert sent["errors"] == [] and sent["sentTo"] == "139****5678"
    code = await deliver(api, app, NEW_MOBILE)
    refused = await change_mobile(api, code, NEW_MOBILE)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(["newMobile"], "MOBILE_TAKEN")]
    assert await Person.filter(mobile=OLD_MOBILE).count() == 1 and await Person.filter(mobile=NEW_MOBILE).count() == 1
    assert (await api.gql(VIEWER, {"first": 1}))["data"]["viewer"]["mobileMasked"] == "138****8001"
