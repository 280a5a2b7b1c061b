"""A person's browser against the live server: GraphQL with a Bearer token, captchas through the dev route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


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
