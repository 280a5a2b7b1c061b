"""staffLogin over HTTP: sessions, one answer for every failure, the lockout in the audit log."""

from __future__ import annotations

import logging

import pytest

from db.models import StaffRole
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import (
    LOGOUT,
    STAFF_PASSWORD,
    audit_records,
    client_at,
    codes,
    create_staff,
    staff_login,
)
from tests.helpers import Api

STAFF_VIEWER = "query { staffViewer { username role } viewer { id } }"


async def test_staff_login(api: Api) -> None:
    await create_staff("admin01", StaffRole.ADMIN)
    result = await staff_login(api, "admin01")
    assert result["errors"] == []
    assert result["staff"] == {"username": "admin01", "displayName": "测试人员", "role": "ADMIN"}
    body = await api.gql(STAFF_VIEWER, token=result["token"])
    assert body["data"] == {"staffViewer": {"username": "admin01", "role": "ADMIN"}, "viewer": None}
    second = await staff_login(api, "admin01")
    assert second["token"] != result["token"]
    assert (await api.gql(LOGOUT, token=result["token"]))["data"]["logout"]["ok"] is True
    assert (await api.gql(STAFF_VIEWER, token=result["token"]))["data"]["staffViewer"] is None
    assert (await api.gql(STAFF_VIEWER, token=second["token"]))["data"]["staffViewer"] is not None


async def test_staff_login_fails_alike_for_unknown_inactive_and_wrong_password(api: Api) -> None:
    await create_staff("admin01", StaffRole.ADMIN)
    await create_staff("retired01", StaffRole.PROVINCE, active=False)
    answers = []
    for n, (username, password) in enumerate(
        [("admin01", "Wrong#guess00"), ("nobody01", "Wrong#guess00"), ("retired01", STAFF_PASSWORD)]
    ):
        async with client_at(api, f"198.51.100.{n + 1}") as client:
            answers.append(await staff_login(client, username, password))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["token"] is None and answers[0]["staff"] is None
    assert codes(answers[0]) == ["INVALID_CREDENTIALS"]


async def test_staff_lockout_is_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    await create_staff("admin01", StaffRole.ADMIN)
    threshold = get_settings().login_lock_threshold
    results = []
    for i in range(threshold + 2):
        async with client_at(api, f"198.51.100.{i + 1}") as client:
            results.append(codes(await staff_login(client, "admin01", "Wrong#guess00")))
    assert results == [["INVALID_CREDENTIALS"]] * threshold + [["ACCOUNT_LOCKED"]] * 2
    assert codes(await staff_login(api, "admin01")) == ["ACCOUNT_LOCKED"]
    records = audit_records(caplog, "staff_login")
    assert [r["outcome"] for r in records] == ["failure"] * threshold + ["locked"] * 3
    assert [r["ip"] for r in records] == [f"198.51.100.{i + 1}" for i in range(threshold + 2)] + ["203.0.113.10"]
    assert STAFF_PASSWORD not in caplog.text
