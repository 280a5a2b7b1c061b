"""GET /: a 307 to GraphiQL in dev and test; in production a JSON 404 naming the API's path, and no GraphiQL hop."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from domain.kernel import keys
from domain.kernel.settings import get_settings
from graph.app import create_app
from tests.helpers import Api


async def test_root_redirects_to_graphiql_in_dev(api: Api) -> None:
    response = await api.client.get("/")
    assert response.status_code == 307
    assert response.headers["location"] == "/graphiql"
    assert (await api.client.get("/", follow_redirects=True)).status_code == 200


def _forget_settings() -> None:
    get_settings.cache_clear()
    keys.master_secret.cache_clear()
    keys.subkey.cache_clear()


@pytest.fixture
async def prod_client(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """A production-mode app, settings rebuilt for it and back to the test settings afterwards."""
    monkeypatch.setenv("APP_ENV", "prod")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("SMS_GATEWAY", "tests.e2e.prod_plugins:RecordingGateway")
    monkeypatch.setenv("IDENTITY_PROVIDER", "tests.e2e.prod_plugins:OfflineProvider")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://jzs.example.gov.cn")  # QR codes need a public https address
    _forget_settings()
    try:
        application = create_app()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        monkeypatch.undo()
        _forget_settings()


async def test_root_is_a_json_404_in_production(prod_client: httpx.AsyncClient) -> None:
    response = await prod_client.get("/")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["graphql"] == "/graphql" and "未找到" in response.json()["message"]
    assert "location" not in response.headers
