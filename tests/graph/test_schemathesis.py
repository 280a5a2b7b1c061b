"""SECURITY check 21: schemathesis against /graphql. Queries and mutations generated from the live schema (loaded by
introspection, enabled in the test config), sent through the ASGI app as an anonymous caller, an applicant with
materials and a provincial officer: no 5xx, no masked internal error, no stack trace or SQL text in any answer.

Schemathesis draws the cases (positive and negative, via hypothesis-graphql) and serializes them; they go through
an httpx ASGI transport so the app runs on this test's event loop with its lifespan, like every other test.
Schemathesis writes arguments inline, so the requests it cannot make (JSON variables, transport quirks) that the
check found faults with follow as fixed cases.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from graphql import get_introspection_query
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.graphql import nodes

from db.models import Person, StaffRole, StaffUser
from domain.accounts.sessions import open_session
from domain.kernel.actors import RequestMeta
from tests.helpers import LOGIN, VALID_ID, Api
from tests.verification_helpers import signed_up_with_materials, staff_token

EXAMPLES = 25  # per operation and caller
BASE_URL = "http://testserver"
ENDPOINT = f"{BASE_URL}/graphql"
ROLES = ("anonymous", "applicant", "officer")
LOGOUT = "Mutation.logout"
# Internals that must never reach a client: tracebacks, driver and ORM names, SQL.
LEAKS = (
    re.compile(r"traceback|sqlite3|aiosqlite|asyncpg|psycopg|tortoise", re.IGNORECASE),
    re.compile(r'File "|SELECT |INSERT |UPDATE \S+ SET |DELETE FROM '),
)
INTERNAL = "INTERNAL_SERVER_ERROR"  # graph.errors.present: an unexpected exception, masked but still a fault

# A literal where a multipart file belongs: the app must refuse it, not fail on it.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))


def assert_clean(response: httpx.Response, where: str) -> None:
    """Check 21's verdict on one answer. `where` holds the request: a validation message may quote the client's
    own input back (hypothesis draws strings from our source, e.g. "portal.sqlite3"), which is no leak."""
    sent = where.lower()
    where = f"{where}\n→ {response.status_code} {response.text[:2000]}"
    assert response.status_code < 500, where
    for pattern in LEAKS:
        leaked = [m.group(0) for m in pattern.finditer(response.text) if m.group(0).lower() not in sent]
        assert not leaked, f"{pattern.pattern!r} leaked {leaked}: {where}"
    if response.headers.get("content-type", "").startswith("application/json"):
        codes = [(error.get("extensions") or {}).get("code") for error in response.json().get("errors") or ()]
        assert INTERNAL not in codes, where


@dataclass
class Fuzz:
    """The schema as the app publishes it, the callers, and a client without a cookie jar of its own."""

    client: httpx.AsyncClient
    strategies: dict[tuple[str, GenerationMode], SearchStrategy[Case[Any]]]
    labels: list[str]
    person: Person
    officer: StaffUser

    async def tokens(self) -> dict[str, str | None]:
        """Fresh sessions for each example: a generated `logout` ends the one it ran with."""
        meta = RequestMeta(ip="203.0.113.21", user_agent="schemathesis")
        return {
            "anonymous": None,
            "applicant": (await open_session(meta, person=self.person)).token,
            "officer": (await open_session(meta, staff=self.officer)).token,
        }

    async def send(self, case: Case[Any], token: str | None) -> httpx.Response:
        """The request schemathesis would make for the case, through the ASGI transport."""
        kwargs = case.as_transport_kwargs(base_url=ENDPOINT)
        headers = dict(kwargs["headers"])
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client.cookies.clear()  # a login drawn earlier sets a session cookie; each case names its caller
        return await self.client.request(
            kwargs["method"], kwargs["url"], json=kwargs.get("json"), params=kwargs.get("params"), headers=headers
        )


@pytest.fixture
async def fuzz(app: object, api: Api) -> AsyncIterator[Fuzz]:
    response = await api.client.post("/graphql", json={"query": get_introspection_query()})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    schema = schemathesis.graphql.from_dict(response.json())
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    # Schema order, except that `logout` runs last in an example: it ends the caller's session.
    operations = sorted((result.ok() for result in results if isinstance(result, Ok)), key=lambda o: o.label == LOGOUT)
    assert len(operations) >= 15, [operation.label for operation in operations]
    strategies = {
        (operation.label, mode): operation.as_strategy(generation_mode=mode)
        for operation in operations
        for mode in GenerationMode
    }
    await signed_up_with_materials(api)
    await staff_token(api, StaffRole.PROVINCE, "fuzz-officer")
    person = await Person.get()
    officer = await StaffUser.get(username="fuzz-officer")
    transport = httpx.ASGITransport(app=app, client=("203.0.113.20", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Fuzz(client, strategies, [operation.label for operation in operations], person, officer)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run and in CI
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure already names its request, keeps runs bounded
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large),
)
@given(data=st.data())
async def test_generated_operations_never_fail_or_leak(fuzz: Fuzz, data: st.DataObject) -> None:
    tokens = await fuzz.tokens()
    for label in fuzz.labels:
        for role in ROLES:
            mode = data.draw(st.sampled_from(GenerationMode), label=f"{label} mode")
            case = data.draw(fuzz.strategies[label, mode], label=f"{label} as {role}")
            response = await fuzz.send(case, tokens[role])
            assert_clean(response, f"{label} as {role}\n" + str(case.body))
            body = response.json()  # a generated case is a well-formed request: the answer is a GraphQL response
            assert "data" in body or "errors" in body, response.text


# --- Requests schemathesis does not write, that failed before the fixes of check 21 ---

TRAIL = "query($first: Int!) { viewer { trail(first: $first) { totalCount } } }"
LONE_SURROGATE = "\ud800"  # half a UTF-16 pair: valid as a JSON escape, not encodable as UTF-8


async def post_raw(api: Api, body: bytes | str, token: str | None = None) -> httpx.Response:
    """A JSON body as given: `json.dumps` escapes a lone surrogate as `\\ud800`, as any client may send it."""
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await api.client.post("/graphql", content=body, headers=headers)


def login_with(captcha_id: str, password: str = "x") -> str:
    variables = {"input": {"idNumber": VALID_ID, "password": password, "captchaId": captcha_id, "captchaAnswer": "x"}}
    return json.dumps({"query": LOGIN, "variables": variables})


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(login_with(LONE_SURROGATE), id="surrogate-redis-key"),  # was a masked UnicodeEncodeError
        pytest.param(json.dumps({"query": "{ captcha { id } }", "operationName": LONE_SURROGATE}), id="surrogate-name"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-body"),  # RecursionError: was a 500
        pytest.param(
            b'{"query": "{ captcha { id } }", "variables": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
            id="nested-variables",
        ),
        pytest.param(b'{"query": "{ captcha { id } }", "variables": {"a": 1' + b"0" * 5000 + b"}}", id="long-number"),
    ],
)
async def test_malformed_json_is_a_400(api: Api, body: bytes | str) -> None:
    token = await api.signed_up()  # past the anonymous body cap a body is refused unread (413)
    response = await post_raw(api, body, token)
    assert_clean(response, str(body)[:200])
    assert response.status_code == 400, response.text


async def test_lone_surrogates_in_variables_are_refused_before_any_resolver(api: Api) -> None:
    """Before: argon2, Redis keys and the database each failed to encode them (masked internal errors)."""
    token = await api.signed_up()
    register = json.dumps(
        {
            "query": "mutation($input: RegisterInput!) { register(input: $input) { errors { code } } }",
            "variables": {
                "input": {
                    "realName": "李四",
                    "idNumber": "120103198806018241",
                    "mobile": "13800138002",
                    "password": "Gongcheng#2026" + LONE_SURROGATE,
                    "smsCode": "123456",
                }
            },
        }
    )
    change = json.dumps(
        {
            "query": "mutation($input: ChangePasswordInput!) { changePassword(input: $input) { errors { code } } }",
            "variables": {"input": {"oldPassword": "x", "newPassword": LONE_SURROGATE, "repeatPassword": "y"}},
        }
    )
    for body, caller in ((register, None), (change, token)):
        response = await post_raw(api, body, caller)
        assert_clean(response, body)
        assert response.status_code == 400, response.text
        assert "请求内容含有无效字符" in response.text


async def test_an_int_literal_of_5000_digits_is_a_client_error(api: Api) -> None:
    """Before: the cost estimate's int() raised, and Python's message reached the client unmasked."""
    token = await api.signed_up()
    response = await api.post("{ viewer { trail(first: 1%s) { totalCount } } }" % ("0" * 5000), token=token)
    assert_clean(response, "first: 10^5000")
    assert "digits" not in response.text
    codes = [error["extensions"]["code"] for error in response.json()["errors"]]
    assert codes == ["INVALID_INPUT", "QUERY_TOO_COMPLEX"], response.text
    big = await api.post(TRAIL, {"first": 10**4000}, token=token)  # a huge variable: the cost stays printable
    assert_clean(big, "first: $first = 10^4000")
    assert [error["extensions"]["code"] for error in big.json()["errors"]] == ["QUERY_TOO_COMPLEX"], big.text
