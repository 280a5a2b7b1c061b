"""Shared steps of the accounts tests over HTTP: ID numbers, clients at other addresses, login and staff helpers,
the trail and the audit log."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from db.models import StaffRole, StaffUser
from domain.accounts.passwords import hash_password
from tests.helpers import VALID_ID, Api

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
STAFF_PASSWORD = "Guanli#Portal2026"
NEW_PASSWORD = "Xin#Mima2026go"
VIEWER_ID = "query { viewer { id realName } }"
TRAIL = """query { viewer { trail(first: 100) { totalCount edges { node { id action description ip } } } } }"""
LOGOUT = "mutation { logout { ok errors { field code message } } }"
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  ok errors { field code message } } }"""
STAFF_LOGIN = """mutation($input: StaffLoginInput!) { staffLogin(input: $input) {
  errors { field code message } token staff { username displayName role } } }"""


def make_id_number(birth: str = "19800101", sequence: str = "123", area: str = "110105") -> str:
    """A valid resident ID number (correct check character)."""
    body = area + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@asynccontextmanager
async def client_at(api: Api, ip: str, port: int = 40000) -> AsyncIterator[Api]:
    """Another client of the same app, seen by the server as coming from `ip`."""
    transport = httpx.ASGITransport(app=api.app, client=(ip, port))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client, api.app)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


def pk_of(global_id: str) -> int:
    """The database id inside a relay global id."""
    type_name, _, key = base64.b64decode(global_id).decode().partition(":")
    assert type_name in ("Person", "OperationTrail", "Attachment")
    return int(key)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


async def login_code(api: Api, id_number: str, password: str) -> str | None:
    payload = await api.login(id_number=id_number, password=password)
    return payload["errors"][0]["code"] if payload["errors"] else None


async def viewer_id(api: Api, token: str | None) -> str | None:
    body = await api.gql(VIEWER_ID, token=token)
    assert "errors" not in body, body
    viewer = body["data"]["viewer"]
    return viewer["id"] if viewer else None


async def trail(api: Api, token: str) -> list[dict[str, str]]:
    """The person's trail, oldest first."""
    body = await api.gql(TRAIL, token=token)
    return [edge["node"] for edge in reversed(body["data"]["viewer"]["trail"]["edges"])]


def audit_records(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]
    return [record for record in records if record["event"] == event]


async def create_staff(username: str, role: StaffRole, active: bool = True) -> StaffUser:
    return await StaffUser.create(
        username=username,
        display_name="测试人员",
        role=role,
        province_code=VALID_ID[:2] if role is StaffRole.PROVINCE else None,  # the test applicant's province
        password_hash=await hash_password(STAFF_PASSWORD),
        active=active,
    )


async def staff_login(api: Api, username: str, password: str = STAFF_PASSWORD) -> dict[str, Any]:
    captcha_id, answer = await api.captcha()
    variables = {"input": {"username": username, "password": password, "captchaId": captcha_id}}
    variables["input"]["captchaAnswer"] = answer
    body = await api.gql(STAFF_LOGIN, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["staffLogin"]
    return result


def assert_unauthenticated(body: dict[str, Any]) -> None:
    assert body["data"] is None, body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]
