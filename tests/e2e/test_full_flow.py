"""The issue's flow over real HTTP against uvicorn + an arq worker: captcha → registration code → register → login →
updateProfile → uploadAttachment (all five kinds) → requestSmsCode + changeMobile → changePassword → viewer.trail
lists every step."""

from __future__ import annotations

import asyncio
import json
import re

import httpx

from tests.e2e.client import LiveClient
from tests.helpers import LOGIN, PASSWORD, REGISTER, UPLOAD, VALID_ID, VIEWER, image_bytes

NEW_PASSWORD = "Xinmima#2026-secure"
KINDS = {
    "PHOTO": image_bytes(600, 800),
    "ID_CARD_FRONT": image_bytes(1000, 630),
    "ID_CARD_BACK": image_bytes(1000, 630, fmt="PNG"),
    "HANDHELD_ID": image_bytes(900, 1200),
    "SIGNATURE": image_bytes(600, 200, fmt="PNG", color=(250, 250, 250)),
}


class Client(LiveClient):
    """The live client plus the dev SMS inbox."""

    async def sms_code(self, mobile: str) -> str:
        for _ in range(100):  # the worker delivers within a poll or two
            messages = (await self.http.get("/dev/sms", params={"mobile": mobile})).json()["messages"]
            if messages:
                match = re.search(r"验证码(\d{6})", messages[0]["text"])
                assert match
                return match.group(1)
            await asyncio.sleep(0.1)
        raise AssertionError("no SMS delivered by the worker")


async def _upload_all(client: Client) -> None:
    for kind, data in KINDS.items():
        operations = {"query": UPLOAD, "variables": {"input": {"kind": kind, "file": None}}}
        response = await client.http.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": (f"{kind.lower()}.img", data, "application/octet-stream")},
            headers={"Authorization": f"Bearer {client.token}", "x-requested-with": "XMLHttpRequest"},
        )
        payload = response.json()["data"]["uploadAttachment"]
        assert payload["errors"] == [], payload
        file_response = await client.http.get(
            payload["attachment"]["url"], headers={"Authorization": f"Bearer {client.token}"}
        )
        assert file_response.status_code == 200
        assert file_response.headers["x-content-type-options"] == "nosniff"


async def _register_and_log_in(client: Client) -> None:
    """captcha → register → login; the token is kept on the client."""
    registered = await client.gql(
        REGISTER,
        {
            "input": {
                "realName": "欧阳·娜娜",
                "idNumber": VALID_ID,
                "mobile": "13800138001",
                "password": PASSWORD,
                **await client.registration_code("13800138001"),
            }
        },
    )
    assert registered["register"]["errors"] == []
    logged = await client.gql(LOGIN, {"input": {"idNumber": VALID_ID, "password": PASSWORD, **await client.captcha()}})
    client.token = logged["login"]["token"]


async def _complete_profile(client: Client) -> None:
    profile = await client.gql(
        "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { errors { code } person { profileComplete } } }",
        {
            "i": {
                "ethnicity": "汉族",
                "email": "zhang@example.com",
                "education": "BACHELOR",
                "degree": "BACHELOR",
                "school": "同济大学",
            }
        },
    )
    assert profile["updateProfile"] == {"errors": [], "person": {"profileComplete": True}}


async def _change_mobile(client: Client) -> None:
    """requestSmsCode, the worker delivers the code to the dev inbox, changeMobile."""
    sent = await client.gql(
        'mutation { requestSmsCode(input: {purpose: CHANGE_MOBILE, mobile: "13900139002"}) { errors { code } sentTo } }'
    )
    assert sent["requestSmsCode"] == {"errors": [], "sentTo": "139****9002"}
    code = await client.sms_code("13900139002")
    changed = await client.gql(
        "mutation($i: ChangeMobileInput!) { changeMobile(input: $i) { errors { code } person { mobileMasked } } }",
        {"i": {"newMobile": "13900139002", "smsCode": code}},
    )
    assert changed["changeMobile"] == {"errors": [], "person": {"mobileMasked": "139****9002"}}


async def _change_password(client: Client) -> None:
    password = await client.gql(
        "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { errors { code } ok } }",
        {"i": {"oldPassword": PASSWORD, "newPassword": NEW_PASSWORD, "repeatPassword": NEW_PASSWORD}},
    )
    assert password["changePassword"] == {"errors": [], "ok": True}


async def _assert_trail_lists_every_step(client: Client) -> None:
    viewer = (await client.gql(VIEWER, {"first": 50}))["viewer"]
    actions = [edge["node"]["action"] for edge in viewer["trail"]["edges"]]
    assert actions == [
        "PASSWORD_CHANGED",
        "MOBILE_CHANGED",
        "SMS_CODE_REQUESTED",
        *["ATTACHMENT_UPLOADED"] * 5,
        "PROFILE_UPDATED",
        "LOGIN_SUCCEEDED",
        "REGISTER",
    ]
    assert viewer["trail"]["totalCount"] == len(actions)
    assert {a["kind"] for a in viewer["attachments"]} == set(KINDS)
    assert viewer["trail"]["edges"][0]["node"]["ip"] == "127.0.0.1"


async def test_person_flow_over_http(live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        client = Client(http)
        await _register_and_log_in(client)
        await _complete_profile(client)
        await _upload_all(client)
        await _change_mobile(client)
        await _change_password(client)
        await _assert_trail_lists_every_step(client)


async def test_health_and_graphiql_assets(live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        assert (await http.get("/healthz")).text == "ok"
        assert (await http.get("/readyz")).json() == {"ready": True, "database": "ok", "redis": "ok"}
        page = await http.get("/graphiql")
        assert page.status_code == 200 and "/graphiql/assets/graphiql.js" in page.text
        for asset in re.findall(r'(?:src|href)="(/graphiql/assets/[^"]+)"', page.text):
            response = await http.get(asset)
            assert response.status_code == 200 and len(response.content) > 100, asset
