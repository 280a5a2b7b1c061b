"""Introspection and field suggestions: open in test mode; in production only administrators introspect, no
suggestions and no dev routes."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from tortoise.transactions import in_transaction

from db.models import StaffRole, StaffUser
from domain.accounts import sessions
from domain.accounts.passwords import hash_password
from domain.kernel import keys
from domain.kernel.actors import RequestMeta
from domain.kernel.settings import get_settings
from graph.app import create_app
from tests.graph.policy.helpers import CLIENT_IP, assert_no_leak, error_messages
from tests.helpers import PASSWORD, Api

INTROSPECTION = "{ __schema { queryType { name } types { name } } }"
TYPE_QUERY = '{ __type(name: "Person") { name fields { name } } }'


async def test_introspection_and_suggestions_in_test_mode(api: Api) -> None:
    assert get_settings().app_env == "test"
    body = await api.gql(INTROSPECTION)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    misspelt = await api.gql("{ viewr { id } }")
    assert "Did you mean" in error_messages(misspelt)


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """APP_ENV=prod with a SECRET_KEY, settings rebuilt; back to the test settings afterwards."""
    monkeypatch.setenv("APP_ENV", "prod")
    # A configuration production accepts: a random secret, a gateway and a provider that are not the dev ones.
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("SMS_GATEWAY", "tests.e2e.prod_plugins:RecordingGateway")
    monkeypatch.setenv("IDENTITY_PROVIDER", "tests.e2e.prod_plugins:OfflineProvider")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://jzs.example.gov.cn")  # QR codes need a public https address
    _forget_settings_and_keys()
    try:
        yield
    finally:
        monkeypatch.undo()
        _forget_settings_and_keys()


def _forget_settings_and_keys() -> None:
    """The settings and the keys derived from SECRET_KEY are cached per process: rebuilt from the environment."""
    get_settings.cache_clear()
    keys.master_secret.cache_clear()
    keys.subkey.cache_clear()


@pytest.fixture
async def prod_client(production_env: None) -> AsyncIterator[httpx.AsyncClient]:
    """A production-mode app (its own lifespan) and a client against it."""
    application = create_app()
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, client=(CLIENT_IP, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
        await StaffUser.filter(username__startswith="prod-test-").delete()


async def staff_token(role: StaffRole) -> str:
    """A staff session opened directly (production has no dev route to read captchas)."""
    async with in_transaction():
        staff = await StaffUser.create(
            username=f"prod-test-{role.value.lower()}",
            display_name="测试",
            role=role,
            password_hash=await hash_password(PASSWORD),
        )
        issued = await sessions.open_session(RequestMeta(CLIENT_IP, "pytest"), staff=staff)
    return issued.token


async def _post(client: httpx.AsyncClient, query: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert_no_leak(response.text)
    body: dict[str, Any] = response.json()
    return body


async def test_production_refuses_introspection_to_anonymous_and_non_admins(prod_client: httpx.AsyncClient) -> None:
    for query in (INTROSPECTION, TYPE_QUERY):
        anonymous = await _post(prod_client, query)
        assert anonymous.get("data") is None and "introspection" in error_messages(anonymous).lower()
    province = await staff_token(StaffRole.PROVINCE)
    as_staff = await _post(prod_client, INTROSPECTION, province)
    assert as_staff.get("data") is None
    assert (await _post(prod_client, "{ __typename }"))["data"] == {"__typename": "Query"}  # not introspection


async def test_production_allows_introspection_to_admins(prod_client: httpx.AsyncClient) -> None:
    admin = await staff_token(StaffRole.ADMIN)
    body = await _post(prod_client, INTROSPECTION, admin)
    assert "errors" not in body
    assert "Person" in {t["name"] for t in body["data"]["__schema"]["types"]}


async def test_an_admin_s_introspection_does_not_open_it_to_others(prod_client: httpx.AsyncClient) -> None:
    """Validation is cached per query text and rule set: the same text validated for an administrator (no
    introspection rule) and for anyone else (with it) are two entries, in either order."""
    before = await _post(prod_client, INTROSPECTION)
    admin = await _post(prod_client, INTROSPECTION, await staff_token(StaffRole.ADMIN))
    after = await _post(prod_client, INTROSPECTION)
    assert before.get("data") is None and after.get("data") is None and "errors" not in admin
    assert "introspection" in error_messages(after).lower()


async def test_production_hides_field_suggestions(prod_client: httpx.AsyncClient) -> None:
    body = await _post(prod_client, "{ viewr { id } }")
    assert body.get("data") is None
    assert "Cannot query field 'viewr'" in error_messages(body)
    assert "Did you mean" not in json.dumps(body)
    enum_typo = await _post(prod_client, "mutation { requestSmsCode(input: {purpose: CHANGE_MOBLE}) { sentTo } }")
    assert enum_typo["errors"] and "Did you mean" not in json.dumps(enum_typo)


SUGGESTION_SHAPES = (
    ('mutation { register(input: {realNam: "x"}) { errors { code } } }', None),
    ("mutation ($i: RegisterInput!) { register(input: $i) { errors { code } } }", {"i": {"realNam": "x"}}),
    ("mutation ($p: SmsPurpose!) { requestSmsCode(input: {purpose: $p}) { sentTo } }", {"p": "CHANGE_MOBLE"}),
    ("query ($x: Persn) { viewer { ... on Persn { id } } }", None),
    ("{ viewer { realname } }", None),
)
INPUT_FIELDS = ("realName", "idNumber", "mobile", "password", "captchaId", "captchaAnswer", "CHANGE_MOBILE")


async def test_production_shows_no_suggestions_or_field_names_in_any_message(prod_client: httpx.AsyncClient) -> None:
    """Unknown input fields (literal and variable), enum values, types, fields: no "Did you mean", and the
    required fields of an input are not listed one by one."""
    for query, variables in SUGGESTION_SHAPES:
        response = await prod_client.post("/graphql", json={"query": query, "variables": variables})
        assert_no_leak(response.text)
        body = response.json()
        assert body["errors"], body
        text = json.dumps(body, ensure_ascii=False)
        assert "Did you mean" not in text and "mean" not in text, text
        leaked = [name for name in INPUT_FIELDS if f"'{name}'" in text]
        assert not leaked, (leaked, text)
        places = [(e["message"], json.dumps(e.get("locations"))) for e in body["errors"]]
        assert len(set(places)) == len(places), text  # no repeats


async def test_production_has_no_dev_routes(prod_client: httpx.AsyncClient) -> None:
    assert (await prod_client.get("/dev/sms", params={"mobile": "13800138001"})).status_code == 404
    assert (await prod_client.get("/dev/captcha/abc")).status_code == 404
