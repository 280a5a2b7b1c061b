"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven over the DevTools protocol by
Playwright (which launches that executable; it never downloads a browser), and small static pages served from
their own loopback ports (other origins than the API's)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import PASSWORD, REGISTER, REQUEST_REGISTRATION_CODE, VALID_ID, sms_code_of

PAGES = Path(__file__).parent / "pages"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # root in a container: Chromium's sandbox needs user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """CHROMIUM (a path) if set, else chromium on the PATH (Debian's package: `apt-get install chromium`)."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser() -> str:
    """The Chromium executable; without it (or without Playwright) the test is skipped, except in CI
    (`CI=true`), where it fails loudly: CI must prove the browser behaviour."""
    path = chromium_path()
    problem = None if path else "chromium is not installed (apt-get install chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed (pip install -e '.[dev]')"
    if problem is None and path is not None:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {problem}")
    pytest.skip(f"browser test skipped: {problem}")


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A headless Chromium (a fresh temporary profile per launch)."""
    from playwright.async_api import async_playwright

    executable = require_browser()
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


@contextlib.contextmanager
def static_site(page: str) -> Iterator[int]:
    """Serve `pages/<page>` at `/` on a free loopback port (the page reads the API's base URL from `?api=`);
    yields the port (the page's origin is http://127.0.0.1:<port>, or http://localhost:<port>, another site)."""
    body = (PAGES / page).read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = 200 if self.path.split("?")[0] == "/" else 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if status == 200 else 0))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


MOBILE = "13800138001"


async def register(http: httpx.AsyncClient) -> dict[str, Any]:
    """Register 张三 over HTTP: a captcha (its answer from the dev route), the registration code (delivered by the
    worker process, read from the dev inbox), then `register`; the `register` payload."""
    captcha_id = (await http.post("/graphql", json={"query": "{ captcha { id } }"})).json()["data"]["captcha"]["id"]
    answer = (await http.get(f"/dev/captcha/{captcha_id}")).json()["answer"]
    code_input = {"input": {"mobile": MOBILE, "captchaId": captcha_id, "captchaAnswer": answer}}
    seen = {message["idempotencyKey"] for message in await inbox(http)}
    sent = (await http.post("/graphql", json={"query": REQUEST_REGISTRATION_CODE, "variables": code_input})).json()
    assert sent["data"]["requestRegistrationCode"]["errors"] == [], sent
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": MOBILE, "password": PASSWORD}
    variables = {"input": {**form, "smsCode": await delivered_code(http, seen)}}
    response = await http.post("/graphql", json={"query": REGISTER, "variables": variables})
    result: dict[str, Any] = response.json()["data"]["register"]
    return result


async def inbox(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = (await http.get("/dev/sms", params={"mobile": MOBILE})).json()["messages"]
    return messages


async def delivered_code(http: httpx.AsyncClient, seen: set[str], wait_s: float = 30.0) -> str:
    """The new registration code once the worker process has delivered it (polled, bounded); `seen` are the
    messages that were in the inbox before it was requested (an earlier test's codes)."""
    deadline = asyncio.get_running_loop().time() + wait_s
    while asyncio.get_running_loop().time() < deadline:
        fresh = [message for message in await inbox(http) if message["idempotencyKey"] not in seen]
        codes = [sms_code_of(message) for message in fresh if "注册账号" in message["text"]]
        if codes:
            return codes[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no registration code delivered to {MOBILE} within {wait_s} s")
