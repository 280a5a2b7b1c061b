"""Sessions (SECURITY check 8): random tokens stored hashed, logout, idle and absolute timeouts, cookie + CSRF."""

from __future__ import annotations

import base64
import hashlib

from db.models import Session as SessionRow
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.graph.accounts.helpers import (
    CHANGE_PASSWORD,
    LOGOUT,
    NEW_PASSWORD,
    VIEWER_ID,
    assert_unauthenticated,
    client_at,
    trail,
    viewer_id,
)
from tests.helpers import LOGIN, PASSWORD, VALID_ID, Api


async def test_each_login_issues_a_new_random_token_stored_hashed(api: Api) -> None:
    await api.register()
    first = (await api.login())["token"]
    second = (await api.login(token=first))["token"]  # no session fixation
    assert first != second
    for token in (first, second):
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16  # ≥ 128 bits
        assert await viewer_id(api, token) is not None
        assert not await SessionRow.filter(token_hash=token).exists()
        assert await SessionRow.filter(token_hash=hashlib.sha256(token.encode()).hexdigest()).exists()
    assert await viewer_id(api, first + "x") is None
    assert await viewer_id(api, "x" * 5000) is None


async def test_logout_kills_the_server_session(api: Api) -> None:
    await api.register()
    token = (await api.login())["token"]
    other = (await api.login())["token"]
    response = await api.post(LOGOUT, token=token)
    assert response.json()["data"]["logout"] == {"ok": True, "errors": []}
    deleted = response.headers.get_list("set-cookie")
    assert any(c.startswith("portal_session=") and "Max-Age=0" in c for c in deleted), deleted

    assert await viewer_id(api, token) is None
    assert_unauthenticated(await api.gql(LOGOUT, token=token))
    assert_unauthenticated(
        await api.gql(
            CHANGE_PASSWORD,
            {"input": {"oldPassword": PASSWORD, "newPassword": NEW_PASSWORD, "repeatPassword": NEW_PASSWORD}},
            token=token,
        )
    )
    assert await viewer_id(api, other) is not None
    assert [e["action"] for e in await trail(api, other)][-1] == "LOGOUT"


async def test_logout_without_a_session_is_unauthenticated(api: Api) -> None:
    assert_unauthenticated(await api.gql(LOGOUT))


async def test_idle_timeout(api: Api) -> None:
    idle_s = get_settings().session_idle_s
    assert idle_s == 30 * 60
    token = await api.signed_up()
    for _ in range(3):  # activity keeps the session alive well past one idle period
        clock.advance(idle_s - 60)
        assert await viewer_id(api, token) is not None
    clock.advance(idle_s + 1)
    assert await viewer_id(api, token) is None


async def test_absolute_timeout(api: Api) -> None:
    absolute_s = get_settings().session_absolute_s
    assert absolute_s == 12 * 3600
    token = await api.signed_up()
    elapsed = 0
    while elapsed + 25 * 60 < absolute_s - 60:
        clock.advance(25 * 60)
        elapsed += 25 * 60
        assert await viewer_id(api, token) is not None, elapsed
    clock.advance(absolute_s - 60 - elapsed)
    assert await viewer_id(api, token) is not None
    clock.advance(61)  # used a minute ago, but 12 h old
    assert await viewer_id(api, token) is None
    assert (await api.login())["errors"] == []


async def cookie_login(api: Api) -> tuple[str, str]:
    """Log in and check the two cookies login sets; returns the session token and the CSRF value."""
    await api.register()
    captcha_id, answer = await api.captcha()
    response = await api.post(
        LOGIN, {"input": {"idNumber": VALID_ID, "password": PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}}
    )
    token = response.json()["data"]["login"]["token"]
    set_cookies = {c.split("=", 1)[0]: c for c in response.headers.get_list("set-cookie")}
    session_cookie = set_cookies["portal_session"]
    assert session_cookie.startswith(f"portal_session={token};")
    assert "httponly" in session_cookie.lower()
    assert "samesite=lax" in session_cookie.lower()
    assert "Path=/" in session_cookie
    assert f"Max-Age={get_settings().session_absolute_s}" in session_cookie
    csrf_cookie = set_cookies["portal_csrf"]
    assert "httponly" not in csrf_cookie.lower()  # the SPA reads it to echo it in the header
    csrf = csrf_cookie.split(";", 1)[0].split("=", 1)[1]
    assert csrf and csrf not in token
    return token, csrf


async def test_cookie_session_needs_the_csrf_header(api: Api) -> None:
    token, csrf = await cookie_login(api)
    async with client_at(api, "203.0.113.20") as browser:
        browser.client.cookies.set("portal_session", token)
        browser.client.cookies.set("portal_csrf", csrf)
        for sent in (None, "0" * len(csrf)):  # cookie alone on POST, or a wrong header: anonymous, and said so
            if sent:
                browser.headers["x-csrf-token"] = sent
            viewer = await browser.gql(VIEWER_ID)
            assert viewer["data"]["viewer"] is None
            assert [e["extensions"]["code"] for e in viewer["errors"]] == ["CSRF_TOKEN_REQUIRED"]
            logout = await browser.gql(LOGOUT)  # a forged cross-site POST cannot log out
            assert logout["data"] is None
            assert [e["extensions"]["code"] for e in logout["errors"]] == ["CSRF_TOKEN_REQUIRED"]
        browser.headers["x-csrf-token"] = csrf
        assert await viewer_id(browser, None) is not None
        got = await browser.client.get("/graphql", params={"query": VIEWER_ID})  # GET reads need no header
        assert got.json()["data"]["viewer"] is not None
        browser.headers.clear()
        forged = await browser.client.get("/graphql", params={"query": "mutation { logout { ok } }"})
        assert forged.status_code != 200 or "errors" in forged.json()  # no mutations over GET
        assert forged.status_code < 500
        assert await viewer_id(api, token) is not None
        browser.headers["x-csrf-token"] = csrf
        assert (await browser.gql(LOGOUT))["data"]["logout"]["ok"] is True
    assert await viewer_id(api, token) is None
