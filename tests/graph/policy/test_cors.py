"""CORS over HTTP (the browser's side is proven in tests/e2e/test_browser_cors.py): preflights from a listed
origin are allowed with credentials and exactly the headers the API needs, multipart's preflight included; an
unlisted origin gets no CORS header at all, so a browser lets its page read nothing; a cookie session from a
listed origin still needs its CSRF header."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from domain import accounts
from domain.kernel.settings import get_settings
from tests.helpers import UPLOAD, Api, image_bytes

LISTED = "http://127.0.0.1:5173"
ALSO_LISTED = "https://portal.example.gov.cn"
UNLISTED = "http://127.0.0.1:5174"
VIEWER = "{ viewer { realName } }"


@pytest.fixture(autouse=True)
def cors_origins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Autouse, so it runs before the `app` fixture builds the app with these settings."""
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", f"{LISTED}, {ALSO_LISTED}/")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def preflight(api: Api, origin: str, method: str = "POST", headers: str | None = None) -> httpx.Response:
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        request_headers["Access-Control-Request-Headers"] = headers
    return await api.client.options("/graphql", headers=request_headers)


def allowed_headers(response: httpx.Response) -> set[str]:
    return {name.strip().lower() for name in response.headers["access-control-allow-headers"].split(",")}


async def test_a_listed_origin_s_preflight_is_allowed_with_credentials(api: Api) -> None:
    for origin in (LISTED, ALSO_LISTED):  # the trailing slash of the setting is dropped
        response = await preflight(api, origin, headers="content-type,x-csrf-token")
        assert response.status_code == 200, response.text
        assert response.headers["access-control-allow-origin"] == origin
        assert response.headers["access-control-allow-credentials"] == "true"
        assert set(response.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
        assert response.headers["access-control-max-age"] == "600"
        assert "Origin" in response.headers["vary"]
    assert allowed_headers(response) == {
        "accept",
        "accept-language",
        "content-language",
        "content-type",  # the four the CORS spec always allows
        "authorization",
        "x-csrf-token",
        "x-requested-with",
        "apollo-require-preflight",
        "graphql-preflight",
    }


async def test_a_multipart_upload_s_preflight_is_allowed(api: Api) -> None:
    """A browser sends multipart/form-data as a simple content type: the preflight is caused by the header the
    guard requires (x-requested-with or apollo-require-preflight), plus the cookie's CSRF echo or a Bearer token."""
    for headers in ("x-requested-with,x-csrf-token", "apollo-require-preflight,authorization"):
        response = await preflight(api, LISTED, headers=headers)
        assert response.status_code == 200, (headers, response.text)
        assert response.headers["access-control-allow-origin"] == LISTED


async def test_preflights_for_other_headers_methods_and_origins_are_refused(api: Api) -> None:
    for origin, method, headers in (
        (LISTED, "POST", "x-csrf-token,x-forwarded-for"),  # a header the API does not need
        (LISTED, "PUT", None),
        (LISTED, "DELETE", None),
        (UNLISTED, "POST", "content-type"),
        ("null", "POST", "content-type"),  # a sandboxed iframe or a file: page
        (LISTED + ".evil.example", "POST", None),  # the allowlist is exact, not a prefix
        ("http://127.0.0.1:51730", "POST", None),
    ):
        response = await preflight(api, origin, method, headers)
        assert response.status_code == 400, (origin, method, headers)
        if origin != LISTED:
            assert "access-control-allow-origin" not in response.headers


async def test_a_cookie_session_from_a_listed_origin_needs_its_csrf_header(api: Api) -> None:
    token = await api.signed_up()
    api.token = None
    api.client.cookies.set("portal_session", token)
    bare = await api.client.post("/graphql", json={"query": VIEWER}, headers={"Origin": LISTED})
    assert bare.json()["errors"][0]["extensions"]["code"] == "CSRF_TOKEN_REQUIRED"
    assert bare.headers["access-control-allow-origin"] == LISTED  # the page can read why
    echoed = await api.client.post(
        "/graphql", json={"query": VIEWER}, headers={"Origin": LISTED, "x-csrf-token": accounts.csrf_token(token)}
    )
    assert echoed.json()["data"]["viewer"]["realName"] == "张三"
    assert echoed.headers["access-control-allow-origin"] == LISTED
    assert echoed.headers["access-control-allow-credentials"] == "true"
    assert echoed.headers["access-control-expose-headers"] == "content-disposition"
    assert "Origin" in echoed.headers["vary"]


async def test_an_unlisted_origin_gets_no_cors_header(api: Api) -> None:
    """The server still answers (CORS is enforced by the browser), but without Access-Control-Allow-Origin: the
    browser hands the page an opaque network error. Starlette adds Access-Control-Allow-Credentials regardless,
    which a browser ignores without Allow-Origin (Kludex/starlette#2560)."""
    token = await api.signed_up()
    for headers in ({"Origin": UNLISTED}, {"Origin": UNLISTED, "Authorization": f"Bearer {token}"}):
        response = await api.client.post("/graphql", json={"query": VIEWER}, headers=headers)
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        assert response.headers["vary"] == "Origin"  # caches keep per-origin answers apart
    by_get = await api.client.get("/graphql", params={"query": VIEWER}, headers={"Origin": UNLISTED})
    assert "access-control-allow-origin" not in by_get.headers


async def test_the_guard_s_refusals_carry_the_cors_headers(api: Api) -> None:
    """A listed SPA can read why an upload was refused (CORS is outside the guard)."""
    await api.signed_up()
    operations = {"query": UPLOAD, "variables": {"input": {"kind": "PHOTO", "file": None}}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("photo.jpg", image_bytes(600, 840), "image/jpeg")},
        headers={"Origin": LISTED, "Authorization": f"Bearer {api.token}"},  # no preflight header
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert response.headers["access-control-allow-origin"] == LISTED


async def test_a_multipart_upload_with_the_cookie_session_from_a_listed_origin(api: Api) -> None:
    token = await api.signed_up()
    api.token = None
    api.client.cookies.set("portal_session", token)
    operations = {"query": UPLOAD, "variables": {"input": {"kind": "PHOTO", "file": None}}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("photo.jpg", image_bytes(600, 840), "image/jpeg")},
        headers={"Origin": LISTED, "x-requested-with": "fetch", "x-csrf-token": accounts.csrf_token(token)},
    )
    body: dict[str, Any] = response.json()
    assert body["data"]["uploadAttachment"]["errors"] == [], body
    assert body["data"]["uploadAttachment"]["attachment"]["width"] == 295
    assert response.headers["access-control-allow-origin"] == LISTED


async def test_without_the_setting_there_is_no_cors(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.app import create_app

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "")
    get_settings.cache_clear()
    plain = create_app()
    transport = httpx.ASGITransport(app=plain)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.options("/graphql", headers={"Origin": LISTED, "Access-Control-Request-Method": "POST"})
        health = await client.get("/healthz", headers={"Origin": LISTED})
    assert response.status_code == 405
    assert not any(name.startswith("access-control-") for name in response.headers)
    assert not any(name.startswith("access-control-") for name in health.headers)
