"""changePassword over HTTP (errors, guess limit, other sessions revoked) and rehashing a weaker stored hash."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from argon2 import PasswordHasher, Type

from db.models import Person as PersonRow
from db.models import StaffRole
from domain.accounts import credentials
from domain.accounts.passwords import needs_rehash, verify_password
from tests.graph.accounts.helpers import (
    CHANGE_PASSWORD,
    NEW_PASSWORD,
    assert_unauthenticated,
    audit_records,
    codes,
    create_staff,
    has_chinese,
    login_code,
    staff_login,
    trail,
    viewer_id,
)
from tests.helpers import PASSWORD, VALID_ID, Api


async def change_password(api: Api, token: str, old: str, new: str, repeat: str | None = None) -> dict[str, Any]:
    variables = {"input": {"oldPassword": old, "newPassword": new, "repeatPassword": new if repeat is None else repeat}}
    body = await api.gql(CHANGE_PASSWORD, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["changePassword"]
    return result


async def test_change_password_errors_change_nothing(api: Api) -> None:
    token = await api.signed_up()
    other = (await api.login())["token"]
    cases = [
        (("Wrong#Old2026", NEW_PASSWORD, None), "WRONG_PASSWORD", ["oldPassword"]),
        ((PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x"), "PASSWORD_MISMATCH", ["repeatPassword"]),
        ((PASSWORD, "password123", None), "WEAK_PASSWORD", ["newPassword"]),
        ((PASSWORD, "short#1", None), "WEAK_PASSWORD", ["newPassword"]),
        ((PASSWORD, "Xin#19910101", None), "WEAK_PASSWORD", ["newPassword"]),  # birth date of VALID_ID
        ((PASSWORD, "Xin#360426199101010071", None), "WEAK_PASSWORD", ["newPassword"]),
    ]
    for (old, new, repeat), code, field in cases:
        result = await change_password(api, token, old, new, repeat)
        assert result["ok"] is False
        assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, field)], (old, new)
        assert has_chinese(result["errors"][0]["message"])
    assert await viewer_id(api, other) is not None
    assert "PASSWORD_CHANGED" not in [e["action"] for e in await trail(api, token)]
    assert await login_code(api, VALID_ID, PASSWORD) is None
    assert await login_code(api, VALID_ID, NEW_PASSWORD) == "INVALID_CREDENTIALS"


async def test_change_password_limits_old_password_guesses(api: Api) -> None:
    """A stolen session is not an unlimited oracle for the old password."""
    token = await api.signed_up()
    tries = credentials.PASSWORD_CHANGE_TRIES
    assert 1 <= tries <= 10
    for n in range(tries):
        result = await change_password(api, token, f"Wrong#Old{n:04d}", NEW_PASSWORD)
        assert codes(result) == ["WRONG_PASSWORD"]
    assert codes(await change_password(api, token, "Wrong#Old9999", NEW_PASSWORD)) == ["TOO_MANY_REQUESTS"]
    assert codes(await change_password(api, token, PASSWORD, NEW_PASSWORD)) == ["TOO_MANY_REQUESTS"]
    assert await login_code(api, VALID_ID, PASSWORD) is None  # nothing changed


async def test_change_password_revokes_other_sessions_only(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    token = await api.signed_up()
    others = [(await api.login())["token"] for _ in range(2)]
    result = await change_password(api, token, PASSWORD, NEW_PASSWORD)
    assert result == {"ok": True, "errors": []}
    assert await viewer_id(api, token) is not None
    for other in others:
        assert await viewer_id(api, other) is None
    assert await login_code(api, VALID_ID, PASSWORD) == "INVALID_CREDENTIALS"
    assert await login_code(api, VALID_ID, NEW_PASSWORD) is None
    changed = [e for e in await trail(api, token) if e["action"] == "PASSWORD_CHANGED"]
    # three others: the session registering opened (signed_up then logs in) and the two logins
    assert len(changed) == 1 and changed[0]["description"].endswith("结束其他会话3个")
    assert [r["outcome"] for r in audit_records(caplog, "change_password")] == ["success"]
    assert NEW_PASSWORD not in caplog.text


async def test_change_password_needs_a_person(api: Api) -> None:
    variables = {"input": {"oldPassword": PASSWORD, "newPassword": NEW_PASSWORD, "repeatPassword": NEW_PASSWORD}}
    assert_unauthenticated(await api.gql(CHANGE_PASSWORD, variables))
    await create_staff("admin01", StaffRole.ADMIN)
    staff_token = (await staff_login(api, "admin01"))["token"]
    assert_unauthenticated(await api.gql(CHANGE_PASSWORD, variables, token=staff_token))


async def test_login_rehashes_a_weaker_stored_hash(api: Api) -> None:
    await api.register()
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    await PersonRow.filter(id_number_masked="3604**********0071").update(password_hash=weak)
    assert await login_code(api, VALID_ID, PASSWORD) is None
    stored = (await PersonRow.get(id_number_masked="3604**********0071")).password_hash
    assert stored != weak
    assert not needs_rehash(stored)
    assert await verify_password(stored, PASSWORD)
