"""Test helpers that act like a client: GraphQL over HTTP, captchas via the dev route, image files."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

VALID_ID = "360426199101010071"
VALID_ID_2 = "120103198806018241"
PASSWORD = "Gongcheng#2026"


@dataclass
class Api:
    """A client session against the app: GraphQL calls with an optional Bearer token."""

    client: httpx.AsyncClient
    app: Any
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """POST a GraphQL request; returns the decoded JSON body (asserting HTTP 200)."""
        response = await self.post(query, variables, token, **kwargs)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(self.headers)
        bearer = token or self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers, **kwargs
        )

    async def captcha(self) -> tuple[str, str]:
        """A fresh captcha id and its answer (read through the dev route, as scripted clients do)."""
        body = await self.gql("query { captcha { id imageDataUrl expiresAt } }")
        captcha_id = body["data"]["captcha"]["id"]
        answer = (await self.client.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
        return captcha_id, answer

    async def registration_code(self, mobile: str = "13800138001") -> str:
        """Registration, step 1: solve a captcha, request the code, run the worker, read the phone."""
        from tests.workers.burst import run_burst

        seen = {message["idempotencyKey"] for message in await self.sms_inbox(mobile)}
        result = await self.request_registration_code(mobile)
        assert result["errors"] == [], result
        await run_burst(self.app)
        new = [m for m in await self.sms_inbox(mobile) if m["idempotencyKey"] not in seen and "注册账号" in m["text"]]
        assert new, f"no registration code delivered to {mobile}"
        return sms_code_of(new[0])

    async def request_registration_code(self, mobile: str, **kwargs: Any) -> dict[str, Any]:
        """requestRegistrationCode with a fresh captcha (its payload)."""
        captcha_id, answer = await self.captcha()
        variables = {"input": {"mobile": mobile, "captchaId": captcha_id, "captchaAnswer": answer}}
        body = await self.gql(REQUEST_REGISTRATION_CODE, variables, **kwargs)
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["requestRegistrationCode"]
        return result

    async def register(
        self,
        id_number: str = VALID_ID,
        password: str = PASSWORD,
        mobile: str = "13800138001",
        name: str = "张三",
        sms_code: str | None = None,
    ) -> dict[str, Any]:
        """Registration, both steps (the code requested and read unless one is given). Tests go on as if the
        person came back later: the 60 s resend interval of the registration code has passed (its Redis key is
        dropped, as `tests.graph.accounts.sms.helpers.reset_interval` does); the daily SMS counters keep it."""
        code = sms_code if sms_code is not None else await self.registration_code(mobile)
        form = {"realName": name, "idNumber": id_number, "mobile": mobile, "password": password, "smsCode": code}
        body = await self.gql(REGISTER, {"input": form})
        result: dict[str, Any] = body["data"]["register"]
        if sms_code is None and result["errors"] == []:
            await self.app.state.deps.redis.delete(f"sms:interval:register:{mobile}")
        return result

    async def login(self, id_number: str = VALID_ID, password: str = PASSWORD, **kwargs: Any) -> dict[str, Any]:
        captcha_id, answer = await self.captcha()
        body = await self.gql(
            LOGIN,
            {
                "input": {
                    "idNumber": id_number,
                    "password": password,
                    "captchaId": captcha_id,
                    "captchaAnswer": answer,
                }
            },
            **kwargs,
        )
        result: dict[str, Any] = body["data"]["login"]
        return result

    async def signed_up(self, id_number: str = VALID_ID, mobile: str = "13800138001") -> str:
        """Register and log in; the token is kept for later calls."""
        registered = await self.register(id_number=id_number, mobile=mobile)
        assert registered["errors"] == [], registered
        logged_in = await self.login(id_number=id_number)
        assert logged_in["errors"] == [], logged_in
        self.token = logged_in["token"]
        return str(self.token)

    async def upload(
        self,
        kind: str,
        data: bytes,
        filename: str = "photo.jpg",
        content_type: str = "image/jpeg",
        preflight: bool = True,
    ) -> httpx.Response:
        """A GraphQL multipart request (the upload spec), as a browser SPA sends it."""
        operations = {"query": UPLOAD, "variables": {"input": {"kind": kind, "file": None}}}
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if preflight:
            headers["x-requested-with"] = "XMLHttpRequest"
        return await self.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": (filename, data, content_type)},
            headers=headers,
        )

    async def sms_inbox(self, mobile: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = (await self.client.get("/dev/sms", params={"mobile": mobile})).json()[
            "messages"
        ]
        return messages


def image_bytes(
    width: int, height: int, fmt: str = "JPEG", color: tuple[int, int, int] = (200, 180, 160), **save: Any
) -> bytes:
    """A real encoded image of the given size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format=fmt, **save)
    return out.getvalue()


REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  errors { field code message } person { id realName idNumberMasked mobileMasked gender birthDate } } }"""
REQUEST_REGISTRATION_CODE = """mutation($input: RequestRegistrationCodeInput!) {
  requestRegistrationCode(input: $input) { errors { field code message retryAfterSeconds } ok resendAfterSeconds } }"""
LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  errors { field code message } token viewer { id realName idNumberMasked } } }"""
UPLOAD = """mutation($input: UploadAttachmentInput!) { uploadAttachment(input: $input) {
  errors { field code message } attachment { id kind contentType width height sizeBytes url current } } }"""
VIEWER = """query($first: Int!, $after: String) { viewer { id realName idNumberMasked mobileMasked ethnicity email
  education degree school profileComplete attachments { id kind url width height }
  trail(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id action description ip userAgent occurredAt actor } } } } }"""


# --- SMS codes (requestSmsCode → outbox → worker → dev inbox) ---

REQUEST_SMS = """mutation($input: RequestSmsCodeInput!) { requestSmsCode(input: $input) {
  errors { field code message } sentTo resendAfterSeconds } }"""
CHANGE_MOBILE = """mutation($input: ChangeMobileInput!) { changeMobile(input: $input) {
  errors { field code message } person { id mobileMasked } } }"""
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  errors { field code message } ok } }"""
SMS_CODE_RE = re.compile(r"验证码(\d{6})")


def sms_code_of(message: dict[str, Any]) -> str:
    """The 6-digit code inside a dev-inbox message."""
    found = SMS_CODE_RE.search(message["text"])
    assert found, message
    return found.group(1)


def clear_dev_inbox() -> None:
    """Empty the dev SMS inbox (a file in the run's VAR_DIR that outlives each test's app)."""
    from domain.kernel.settings import get_settings

    (get_settings().var_dir / "dev-sms.jsonl").unlink(missing_ok=True)
