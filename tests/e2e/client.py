"""A person's browser against the live server: GraphQL with a Bearer token, captchas through the dev route."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.helpers import REQUEST_REGISTRATION_CODE


@dataclass
class LiveClient:
    """GraphQL over real HTTP; errors in a response fail the test."""

    http: httpx.AsyncClient
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def captcha(self) -> dict[str, str]:
        """A captcha id and its answer, as the input fields of register/login."""
        captcha_id = (await self.gql("{ captcha { id imageDataUrl } }"))["captcha"]["id"]
        answer = (await self.http.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
        return {"captchaId": captcha_id, "captchaAnswer": answer}

    async def registration_code(self, mobile: str) -> dict[str, str]:
        """requestRegistrationCode with a captcha, then the code the live worker delivers to the dev inbox (a message
        newer than those already there), as the `smsCode` input field of register."""
        seen = {message["idempotencyKey"] for message in await self.sms_inbox(mobile)}
        sent = await self.gql(REQUEST_REGISTRATION_CODE, {"input": {"mobile": mobile, **await self.captcha()}})
        assert sent["requestRegistrationCode"]["errors"] == [], sent
        for _ in range(100):  # the worker delivers within a poll or two
            for message in await self.sms_inbox(mobile):
                found = re.search(r"注册账号，验证码(\d{6})", message["text"])
                if found and message["idempotencyKey"] not in seen:
                    return {"smsCode": found.group(1)}
            await asyncio.sleep(0.1)
        raise AssertionError("no registration code delivered by the worker")

    async def sms_inbox(self, mobile: str) -> list[dict[str, str]]:
        messages: list[dict[str, str]] = (await self.http.get("/dev/sms", params={"mobile": mobile})).json()["messages"]
        return messages
