"""A walk through the portal over HTTP and the WebSocket against a running `make run` (dev mode): register with an
SMS-proven mobile, profile options and nationality, uploads, on-site verification by the Jiangxi officer, then the
eight kinds of filing, each with its own SMS code from /dev/sms, the progress query, and a graphql-transport-ws
subscription that receives the worker's pre-check step. Prints one line per step; exits 1 on the first surprise.

    python scripts/walkthrough.py [--base http://127.0.0.1:8000]     (VAR_DIR as the server's, default var/)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import websockets
from PIL import Image

ZHANG = {"realName": "张三", "idNumber": "360426199101010071", "mobile": "13800138001", "password": "Gongcheng#2026"}
LISI, WANGWU = "120103198806018241", "110105198503121234"
# make run's dev passwords (VAR_DIR as the server's)
CREDENTIALS = json.loads((Path(os.environ.get("VAR_DIR", "var")) / "dev-credentials.json").read_text())
TODAY = date.today()
CONTRACT = {"contractStart": str(TODAY - timedelta(days=30)), "contractEnd": str(TODAY + timedelta(days=3 * 365))}
STEPS = "steps { seq stage outcome actorRole comment items { code message } }"


class Walk:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.AsyncClient(base_url=base, timeout=30)

    async def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = (
            await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        ).json()
        if body.get("errors"):
            fail(f"top-level errors: {body['errors']}")
        return body["data"]

    async def captcha(self) -> dict[str, str]:
        captcha_id = (await self.gql("{ captcha { id } }"))["captcha"]["id"]
        answer = (await self.http.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
        return {"captchaId": captcha_id, "captchaAnswer": answer}

    async def sms(self, mobile: str, seen: set[str], marker: str) -> str:
        for _ in range(300):
            messages = (await self.http.get("/dev/sms", params={"mobile": mobile})).json()["messages"]
            fresh = [m for m in messages if m["idempotencyKey"] not in seen and marker in m["text"]]
            if fresh:
                return re.search(r"验证码(\d{6})", fresh[-1]["text"]).group(1)  # type: ignore[union-attr]
            await asyncio.sleep(0.1)
        fail(f"no SMS with {marker!r} to {mobile}")
        return ""

    async def inbox_keys(self, mobile: str) -> set[str]:
        messages = (await self.http.get("/dev/sms", params={"mobile": mobile})).json()["messages"]
        return {m["idempotencyKey"] for m in messages}

    async def upload(self, token: str, kind: str, size: tuple[int, int]) -> str:
        image = io.BytesIO()
        Image.new("RGB", size, (230, 230, 230)).save(image, format="JPEG")
        return await self.upload_bytes(token, kind, image.getvalue(), "image/jpeg")

    async def upload_bytes(self, token: str, kind: str, content: bytes, content_type: str) -> str:
        query = (
            "mutation($k: AttachmentKind!, $f: Upload!) { uploadAttachment(input: {kind: $k, file: $f}) "
            "{ errors { code message } attachment { id url } } }"
        )
        operations = {"query": query, "variables": {"k": kind, "f": None}}
        files = {"0": (f"{kind}.{content_type.split('/')[1]}", content, content_type)}
        data = {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})}
        headers = {"Authorization": f"Bearer {token}", "x-requested-with": "walkthrough"}
        body = (await self.http.post("/graphql", data=data, files=files, headers=headers)).json()
        payload = body["data"]["uploadAttachment"]
        expect(payload["errors"] == [], f"upload {kind}", payload)
        return str(payload["attachment"]["id"])


def fail(message: str) -> None:
    print(f"FAILED: {message}")
    sys.exit(1)


def expect(condition: bool, step: str, detail: Any = "") -> None:
    if not condition:
        fail(f"{step}: {detail}")
    print(f"ok  {step}")


async def register_zhang(walk: Walk) -> str:
    seen = await walk.inbox_keys(ZHANG["mobile"])
    sent = await walk.gql(
        "mutation($i: RequestRegistrationCodeInput!) { requestRegistrationCode(input: $i) { ok errors { code } } }",
        {"i": {"mobile": ZHANG["mobile"], **await walk.captcha()}},
    )
    if not sent["requestRegistrationCode"]["ok"]:  # a code went to the number a moment ago: an earlier walk
        print(f"    requestRegistrationCode: {sent['requestRegistrationCode']['errors']}; logging in instead")
        return await login(walk, ZHANG["idNumber"], ZHANG["password"])
    print("ok  requestRegistrationCode (captcha solved)")
    code = await walk.sms(ZHANG["mobile"], seen, "注册账号")
    done = await walk.gql(
        "mutation($i: RegisterInput!) { register(input: $i) { token errors { field code message } } }",
        {"i": {**ZHANG, "smsCode": code}},
    )
    if done["register"]["errors"]:  # registered by an earlier walk: log in instead
        return await login(walk, ZHANG["idNumber"], ZHANG["password"])
    expect(bool(done["register"]["token"]), "register with the SMS code (a session at once)")
    return str(done["register"]["token"])


async def login(walk: Walk, id_number: str, password: str) -> str:
    data = await walk.gql(
        "mutation($i: LoginInput!) { login(input: $i) { token errors { code message } } }",
        {"i": {"idNumber": id_number, "password": password, **await walk.captcha()}},
    )
    expect(bool(data["login"]["token"]), f"login {id_number[:4]}…", data)
    return str(data["login"]["token"])


async def profile_and_verification(walk: Walk, token: str) -> None:
    options = await walk.gql("{ profileOptions { nationalities { code label } degrees { code label } } }")
    first = options["profileOptions"]["nationalities"][0]
    expect(first == {"code": "CN", "label": "中国"}, "profileOptions (中国 first)", first)
    updated = await walk.gql(
        'mutation { updateProfile(input: {nationality: "HK", email: "zhang@example.com", education: BACHELOR,'
        ' degree: BACHELOR, school: "同济大学"}) { errors { code } person { nationalityLabel profileComplete } } }',
        token=token,
    )
    expect(updated["updateProfile"]["person"]["nationalityLabel"] == "中国香港", "updateProfile with a nationality")
    for kind, size in (("ID_CARD_FRONT", (856, 540)), ("ID_CARD_BACK", (856, 540)), ("HANDHELD_ID", (600, 800))):
        await walk.upload(token, kind, size)
    staff = CREDENTIALS
    staff_login = await walk.gql(
        "mutation($i: StaffLoginInput!) { staffLogin(input: $i) { token errors { code } } }",
        {"i": {"username": "province-jx", "password": staff["province-jx"], **await walk.captcha()}},
    )
    confirm = await walk.gql(
        "mutation($i: ConfirmOnsiteVerificationInput!) { confirmOnsiteVerification(input: $i) { errors { code } } }",
        {"i": {"idNumber": ZHANG["idNumber"], "decision": "CONFIRM"}},
        token=staff_login["staffLogin"]["token"],
    )
    codes = [e["code"] for e in confirm["confirmOnsiteVerification"]["errors"]]
    expect(codes in ([], ["ALREADY_VERIFIED"]), "on-site verification by the Jiangxi officer", codes)


async def file(walk: Walk, token: str, mobile: str, kind: str, mutation: str, fields: dict[str, Any]) -> str:
    seen = await walk.inbox_keys(mobile)
    while True:  # one code a minute per number, whatever its purpose: wait as the answer says
        asked = await walk.gql(
            "mutation($p: SmsPurpose!) { requestSmsCode(input: {purpose: $p}) "
            "{ errors { code message retryAfterSeconds } } }",
            {"p": f"FILING_{kind}"},
            token,
        )
        errors = asked["requestSmsCode"]["errors"]
        if not errors or errors[0]["code"] != "SMS_TOO_SOON":
            break
        print(f"    SMS_TOO_SOON: waiting {errors[0]['retryAfterSeconds']} s")
        await asyncio.sleep(errors[0]["retryAfterSeconds"])
    expect(errors == [], f"requestSmsCode FILING_{kind}", asked)
    code = await walk.sms(mobile, seen, "")
    name = mutation[0].upper() + mutation[1:]
    data = await walk.gql(
        f"mutation($i: {name}Input!) {{ {mutation}(input: $i) {{ errors {{ field code message }}"
        f" application {{ id kind status }} }} }}",
        {"i": {**fields, "acceptTerms": True, "smsCode": code}},
        token,
    )
    payload = data[mutation]
    if [e["code"] for e in payload["errors"]] == ["APPLICATION_ALREADY_OPEN"]:  # filed by an earlier walk
        print(f"    {mutation}: APPLICATION_ALREADY_OPEN (an earlier walk's filing is still open)")
        return ""
    expect(
        payload["errors"] == [],
        f"{mutation} → {payload['application'] and payload['application']['status']}",
        payload["errors"],
    )
    return str(payload["application"]["id"])


async def precheck_step(walk: Walk, token: str, application_id: str) -> dict[str, Any]:
    """Subscribe over graphql-transport-ws; the pre-check step arrives (sent at once if it was already written)."""
    url = walk.base.replace("http", "ws", 1) + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        query = "subscription($id: ID!) { applicationProgress(id: $id, afterSeq: 1) { seq stage outcome actorRole } }"
        await socket.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"id": application_id}}}
            )
        )
        message = json.loads(await asyncio.wait_for(socket.recv(), 30))
        return dict(message["payload"]["data"]["applicationProgress"])


async def main(base: str) -> None:
    walk = Walk(base)
    token = await register_zhang(walk)
    await profile_and_verification(walk, token)
    enterprise = (await walk.gql('{ enterprises(keyword: "zjsj", first: 3) { id name } }'))["enterprises"]
    enterprise = enterprise or (await walk.gql('{ enterprises(keyword: "中建", first: 3) { id name } }'))["enterprises"]
    expect(bool(enterprise), f"enterprise suggestions: {[e['name'] for e in enterprise]}")
    initial = await file(
        walk,
        token,
        ZHANG["mobile"],
        "INITIAL",
        "fileInitialRegistration",
        {"enterpriseId": enterprise[0]["id"], "specialtyCodes": ["01"], **CONTRACT},
    )
    if not initial:  # still open from an earlier walk: follow that one
        mine = await walk.gql(
            "{ viewer { applications(first: 1, kind: INITIAL) { edges { node { id } } } } }", None, token
        )
        initial = mine["viewer"]["applications"]["edges"][0]["node"]["id"]
    step = await precheck_step(walk, token, initial)
    expect(step["stage"] == "PRECHECK", f"applicationProgress over the WebSocket: {step}")
    credentials = CREDENTIALS
    lisi = await login(walk, LISI, credentials[LISI])
    other = (await walk.gql('{ enterprises(keyword: "中建", first: 1) { id } }'))["enterprises"][0]["id"]
    await file(walk, lisi, "13900139002", "CHANGE", "fileChangeRegistration", {"enterpriseId": other, **CONTRACT})
    await file(
        walk, lisi, "13900139002", "ADD_SPECIALTY", "fileAdditionalSpecialty", {"specialtyCode": "10", **CONTRACT}
    )
    await file(walk, lisi, "13900139002", "RENEWAL", "fileRenewal", {"specialtyCodes": ["02"], **CONTRACT})
    await file(walk, lisi, "13900139002", "CANCELLATION", "fileCancellation", {"reason": "CONTRACT_ENDED"})
    await file(walk, lisi, "13900139002", "CERTIFICATE_REPLACEMENT", "fileCertificateReplacement", {"reason": "LOST"})
    front = await walk.upload(lisi, "ID_CARD_FRONT", (856, 540))
    back = await walk.upload(lisi, "ID_CARD_BACK", (856, 540))
    await file(
        walk,
        lisi,
        "13900139002",
        "PERSONAL_INFO_CHANGE",
        "filePersonalInfoChange",
        {"changes": ["NAME"], "newName": "李思", "attachmentIds": [front, back]},
    )
    wangwu = await login(walk, WANGWU, credentials[WANGWU])
    await file(
        walk,
        wangwu,
        "13700137003",
        "REREGISTRATION",
        "fileReregistration",
        {"enterpriseId": enterprise[0]["id"], "specialtyCodes": ["01"], "continuingEducation": True, **CONTRACT},
    )
    progress = await walk.gql(
        "{ viewer { pendingInfoChange { status newName } applications(first: 10) { totalCount edges { node {"
        f" kind status {STEPS} }} }} }} }} }}",
        token=lisi,
    )
    viewer = progress["viewer"]
    kinds = sorted(edge["node"]["kind"] for edge in viewer["applications"]["edges"])
    expect(viewer["applications"]["totalCount"] == 6, f"李四's progress query: {kinds}")
    expect(viewer["pendingInfoChange"]["newName"] == "李思", "personal-info change shown as under review")
    for edge in viewer["applications"]["edges"]:
        node = edge["node"]
        print(
            f"    {node['kind']:<24} {node['status']:<24} "
            + " → ".join(f"{s['stage']}/{s['outcome']}" for s in node["steps"])
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    asyncio.run(main(parser.parse_args().base))
