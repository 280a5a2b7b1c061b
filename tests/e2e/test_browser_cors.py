"""CORS proven in a real browser (headless Chromium): the API runs under uvicorn on one loopback port, a small
single-page app (pages/spa.html) is served from other ports.

- From the listed origin (same site: another port of 127.0.0.1) the page logs in with a captcha, the cookie session
  answers `viewer` with the CSRF header, and a photo the browser drew itself is uploaded as a GraphQL multipart
  request (preflighted), then shown through its signed link.
- From an unlisted origin on the same site (the cookie is sent, and the page can even read the CSRF cookie), the
  browser refuses every answer (TypeError) and no mutation runs: the preflight a CSRF header or JSON needs fails,
  and what needs no preflight (no-cors) carries neither the header nor JSON.
- From a listed origin on another site (localhost is not 127.0.0.1's site), SameSite=Lax keeps the cookie out of
  fetch: the Bearer token works, which is what README tells operators of cross-site SPAs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.browser import chromium, register, static_site
from tests.e2e.conftest import running_server
from tests.helpers import LOGIN, PASSWORD, VALID_ID

pytestmark = pytest.mark.browser
VIEWER = "{ viewer { realName attachments { kind } } }"


@dataclass
class World:
    api: str
    listed: int  # a port serving the SPA: http://127.0.0.1:<listed> and http://localhost:<listed> are listed
    unlisted: int  # another port serving the same SPA, not listed

    def page_url(self, port: int, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{port}/?api={self.api}"


@pytest.fixture
async def world(chromium_executable: str, clean_state: None) -> AsyncIterator[World]:
    with static_site("spa.html") as listed, static_site("spa.html") as unlisted:
        origins = f"http://127.0.0.1:{listed},http://localhost:{listed}"
        with running_server(CORS_ALLOWED_ORIGINS=origins) as api:
            async with httpx.AsyncClient(base_url=api) as http:
                registered = await register(http)
            assert registered["errors"] == [], registered
            yield World(api, listed, unlisted)


async def captcha_answer(api: str, captcha_id: str) -> str:
    """The dev route gives a captcha's answer (what a person reads off the image)."""
    async with httpx.AsyncClient(base_url=api) as http:
        answer: str = (await http.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
    return answer


async def call(page: Any, script: str, argument: Any = None) -> Any:
    return await page.evaluate(script, argument)


async def log_in_on_the_page(page: Any, api: str) -> dict[str, Any]:
    """The page asks for a captcha, the test reads its answer, the page logs in (the test never sees the cookie)."""
    captcha = await call(page, "gql('{ captcha { id } }')")
    assert captcha["status"] == 200, captcha
    captcha_id = captcha["body"]["data"]["captcha"]["id"]
    variables = {
        "input": {
            "idNumber": VALID_ID,
            "password": PASSWORD,
            "captchaId": captcha_id,
            "captchaAnswer": await captcha_answer(api, captcha_id),
        }
    }
    login = await call(page, "([query, variables]) => gql(query, variables)", [LOGIN, variables])
    assert login["status"] == 200 and login["body"]["data"]["login"]["errors"] == [], login
    result: dict[str, Any] = login["body"]["data"]["login"]
    return result


@contextlib.asynccontextmanager
async def opened(browser: Any, *urls: str) -> AsyncIterator[list[Any]]:
    """Pages in one fresh browser context (one cookie jar), each loaded from its URL."""
    context = await browser.new_context()
    try:
        pages = []
        for url in urls:
            page = await context.new_page()
            await page.goto(url)
            pages.append(page)
        yield pages
    finally:
        await context.close()


async def test_a_listed_origin_logs_in_reads_the_viewer_and_uploads_a_photo(world: World) -> None:
    async with chromium() as browser, opened(browser, world.page_url(world.listed)) as [page]:
        await log_in_on_the_page(page, world.api)
        cookies = {cookie["name"]: cookie for cookie in await page.context.cookies(world.api)}
        session = cookies["portal_session"]
        assert session["httpOnly"] and session["sameSite"] == "Lax"
        assert await call(page, "document.cookie.includes('portal_session')") is False  # HttpOnly

        viewer = await call(page, "([query]) => gql(query)", [VIEWER])
        assert viewer["body"]["data"]["viewer"] == {"realName": "张三", "attachments": []}, viewer
        unechoed = await call(page, "([query]) => gql(query, {}, {csrf: false})", [VIEWER])
        assert unechoed["body"]["errors"][0]["extensions"]["code"] == "CSRF_TOKEN_REQUIRED"  # readable: listed

        uploaded = await call(page, "upload()")
        payload = uploaded["body"]["data"]["uploadAttachment"]
        assert uploaded["status"] == 200 and payload["errors"] == [], uploaded
        attachment = payload["attachment"]
        assert (attachment["kind"], attachment["width"], attachment["height"]) == ("PHOTO", 295, 413)
        assert await call(page, "(url) => imageSize(url)", attachment["url"]) == [295, 413]


async def test_an_unlisted_origin_reads_nothing_and_changes_nothing(world: World) -> None:
    listed_url, unlisted_url = world.page_url(world.listed), world.page_url(world.unlisted)
    async with chromium() as browser, opened(browser, listed_url, unlisted_url) as [spa, other]:
        await log_in_on_the_page(spa, world.api)
        assert (await call(spa, "upload()"))["body"]["data"]["uploadAttachment"]["errors"] == []
        # Same site: the unlisted page can read the CSRF cookie (cookies ignore ports) and the session cookie is
        # sent with its requests. CORS is what stops it.
        assert await call(other, "csrfToken()")
        read_by_get = await call(
            other,
            """(query) => attempt(() => fetch(API + "/graphql?query=" + encodeURIComponent(query),
                                             {credentials: "include"}))""",
            VIEWER,
        )
        read_by_post = await call(other, "([query]) => attempt(() => gql(query))", [VIEWER])
        log_out = await call(other, "attempt(() => gql('mutation { logout { ok } }'))")
        for seen in (read_by_get, read_by_post, log_out):
            assert seen["refused"] is True and seen["error"].startswith("TypeError"), seen
        # Without CORS (no-cors): the page gets an opaque answer; the browser drops the CSRF and preflight
        # headers and sends text/plain, so the API refuses (400) and no mutation runs.
        blind_logout = await call(
            other,
            """() => attempt(() => fetch(API + "/graphql", {method: "POST", mode: "no-cors", credentials: "include",
                headers: {"content-type": "application/json", "x-csrf-token": csrfToken()},
                body: JSON.stringify({query: "mutation { logout { ok } }"})}))""",
        )
        blind_upload = await call(
            other,
            """async () => {
                const form = new FormData();
                form.append("operations", JSON.stringify({query: UPLOAD,
                    variables: {input: {kind: "SIGNATURE", file: null}}}));
                form.append("map", JSON.stringify({0: ["variables.input.file"]}));
                form.append("0", await photo(), "sign.jpg");
                return attempt(() => fetch(API + "/graphql", {method: "POST", mode: "no-cors",
                    credentials: "include", headers: {"x-requested-with": "x", "x-csrf-token": csrfToken()},
                    body: form}));
            }""",
        )
        for seen in (blind_logout, blind_upload):
            assert seen == {"refused": False, "type": "opaque", "status": 0, "text": None}, seen
        still = await call(spa, "([query]) => gql(query)", [VIEWER])  # the session lives; nothing was added
        assert still["body"]["data"]["viewer"] == {"realName": "张三", "attachments": [{"kind": "PHOTO"}]}, still


async def test_a_listed_origin_on_another_site_uses_the_bearer_token(world: World) -> None:
    """localhost and 127.0.0.1 are different sites: the Lax cookie is neither stored from the cross-site answer nor
    sent with fetch, so `viewer` is null by cookie; the token from the login payload works, uploads too."""
    async with chromium() as browser, opened(browser, world.page_url(world.listed, "localhost")) as [page]:
        token = (await log_in_on_the_page(page, world.api))["token"]
        by_cookie = await call(page, "([query]) => gql(query)", [VIEWER])
        assert by_cookie["body"]["data"]["viewer"] is None and "errors" not in by_cookie["body"], by_cookie
        by_token = await call(page, "([query, token]) => gql(query, {}, {bearer: token})", [VIEWER, token])
        assert by_token["body"]["data"]["viewer"]["realName"] == "张三", by_token
        uploaded = await call(page, "(token) => upload({bearer: token})", token)
        assert uploaded["body"]["data"]["uploadAttachment"]["errors"] == [], uploaded
