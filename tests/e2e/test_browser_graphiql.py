"""GraphiQL (served by the app) with the cookie session, in headless Chromium: the `login` mutation run in the page
sets the session cookie, and then `viewer` answers and mutations work, because the page's fetcher sends the
cookie and echoes the CSRF cookie in x-csrf-token. The editor is driven as a person would: text in the query
editor, the run button, the answer read from the response pane."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.e2e.browser import chromium, register
from tests.helpers import PASSWORD, VALID_ID

pytestmark = pytest.mark.browser


async def run_in_graphiql(page: Any, query: str) -> dict[str, Any]:
    """Put `query` in the editor, press run, and return the JSON shown in the response pane once it changes."""
    before = await response_text(page)
    await page.evaluate(
        "(query) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query)", query
    )
    await page.click(".graphiql-execute-button")
    await page.wait_for_function(
        """(before) => {
            const pane = document.querySelector('.result-window .CodeMirror');
            const text = pane ? pane.CodeMirror.getValue() : "";
            return text.trim().startsWith("{") && text !== before;
        }""",
        arg=before,
    )
    shown: dict[str, Any] = json.loads(await response_text(page))
    return shown


async def response_text(page: Any) -> str:
    text: str = await page.evaluate(
        "() => { const pane = document.querySelector('.result-window .CodeMirror');"
        " return pane ? pane.CodeMirror.getValue() : ''; }"
    )
    return text


async def test_graphiql_logs_in_and_then_uses_the_cookie_session(chromium_executable: str, live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server) as http:
        assert (await register(http))["errors"] == []
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(f"{live_server}/graphiql")
        await page.wait_for_selector(".graphiql-query-editor .CodeMirror")

        captcha = await run_in_graphiql(page, "{ captcha { id } }")
        captcha_id = captcha["data"]["captcha"]["id"]
        async with httpx.AsyncClient(base_url=live_server) as http:
            answer = (await http.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
        login = await run_in_graphiql(
            page,
            f'mutation {{ login(input: {{idNumber: "{VALID_ID}", password: "{PASSWORD}", '
            f'captchaId: "{captcha_id}", captchaAnswer: "{answer}"}}) {{ errors {{ code }} viewer {{ realName }} }} }}',
        )
        assert login["data"]["login"] == {"errors": [], "viewer": {"realName": "张三"}}, login
        assert {cookie["name"] for cookie in await page.context.cookies()} >= {"portal_session", "portal_csrf"}

        viewer = await run_in_graphiql(page, "{ viewer { realName email } }")
        assert viewer == {"data": {"viewer": {"realName": "张三", "email": None}}, "extensions": viewer["extensions"]}
        updated = await run_in_graphiql(
            page,
            'mutation { updateProfile(input: {email: "zhangsan@example.com"}) { errors { code } person { email } } }',
        )
        assert updated["data"]["updateProfile"] == {"errors": [], "person": {"email": "zhangsan@example.com"}}
        logged_out = await run_in_graphiql(page, "mutation { logout { ok } }")
        assert logged_out["data"]["logout"] == {"ok": True}, logged_out
        after = await run_in_graphiql(page, "{ viewer { realName } }")
        assert after["data"] == {"viewer": None} and "errors" not in after
