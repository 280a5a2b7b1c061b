"""GraphQL abuse limits (SECURITY checks 2, 19, 20): aliases, batches, depth, tokens, cost, introspection,
error presentation, and the request guard in front of /graphql (body cap, multipart parts, preflight header)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx
import pytest
from graphql import parse
from strawberry.relay import to_base64
from tortoise.transactions import in_transaction

from db.models import Attachment, Session, StaffRole, StaffUser
from domain.accounts import sessions
from domain.accounts.passwords import hash_password
from domain.kernel.actors import RequestMeta
from domain.kernel.settings import get_settings
from graph.app import create_app
from graph.policy import document_size
from graph.policy.extensions import BoundedParserCache, BoundedValidationCache, QueryCost
from graph.schema.schema import schema
from tests.helpers import (
    CHANGE_MOBILE,
    LOGIN,
    PASSWORD,
    REQUEST_SMS,
    UPLOAD,
    VALID_ID,
    VIEWER,
    Api,
    clear_dev_inbox,
    image_bytes,
    sms_code_of,
)
from tests.workers.burst import run_burst

CLIENT_IP = "203.0.113.10"
LEAK_MARKERS = ("Traceback", 'File "', ".py", "SELECT ", "INSERT ", "sqlite", "asyncpg", "tortoise", "Exception")


def assert_no_leak(text: str) -> None:
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} leaked: {text[:500]}"


def error_messages(body: dict[str, Any]) -> str:
    return " | ".join(error["message"] for error in body.get("errors", []))


async def login_counters(redis: Any) -> dict[str, int]:
    """Every login attempt counter in Redis: the per-IP window and per-account failures."""
    counters: dict[str, int] = {}
    async for key in redis.scan_iter(match="*login:*"):
        value = await redis.get(key)
        counters[key.decode()] = int(value or 0)
    return counters


def aliased_logins(count: int) -> str:
    fields = " ".join(f"l{i}: login(input: $input) {{ token errors {{ code }} }}" for i in range(count))
    return f"mutation($input: LoginInput!) {{ {fields} }}"


async def login_input(api: Api, password: str = "Wrong-password-123") -> dict[str, Any]:
    captcha_id, answer = await api.captcha()
    return {"idNumber": VALID_ID, "password": password, "captchaId": captcha_id, "captchaAnswer": answer}


# --- check 2: aliases and batches cannot multiply guesses ---------------------------------------------------


async def test_fifty_aliased_logins_are_rejected_before_any_attempt(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    redis = app.state.deps.redis
    variables = {"input": await login_input(api)}

    body = await api.gql(aliased_logins(50), variables)

    assert body.get("data") is None
    assert "aliases" in error_messages(body)
    assert await login_counters(redis) == {}
    assert await redis.exists(f"captcha:{variables['input']['captchaId']}")  # not even the captcha was spent


async def test_aliased_logins_within_the_alias_limit_count_one_attempt(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    limit = get_settings().graphql_max_aliases

    body = await api.gql(aliased_logins(limit), {"input": await login_input(api)})

    results = [body["data"][f"l{i}"] for i in range(limit)]
    assert all(r["token"] is None for r in results)
    codes = sorted(r["errors"][0]["code"] for r in results)
    assert codes == ["CAPTCHA_INVALID"] * (limit - 1) + ["INVALID_CREDENTIALS"]  # one captcha, one attempt
    counters = await login_counters(app.state.deps.redis)
    assert counters[f"rl:login:ip:{CLIENT_IP}"] == 1
    assert [v for k, v in counters.items() if k.startswith("login:fail:")] == [1]


async def test_a_batch_of_fifty_operations_is_refused(api: Api, app: Any) -> None:
    assert (await api.register())["errors"] == []
    operation = {"query": LOGIN, "variables": {"input": await login_input(api)}}

    response = await api.client.post("/graphql", json=[operation] * 50)

    assert response.status_code == 400
    assert_no_leak(response.text)
    assert await login_counters(app.state.deps.redis) == {}


async def test_aliased_sms_code_guesses_share_the_code_s_try_counter(api: Api, app: Any) -> None:
    clear_dev_inbox()
    mobile = "13912345678"
    await api.signed_up()
    await api.gql(REQUEST_SMS, {"input": {"purpose": "CHANGE_MOBILE", "mobile": mobile}})
    await run_burst(app)
    code = sms_code_of((await api.sms_inbox(mobile))[0])
    wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 51)]

    def guesses(codes: list[str]) -> str:
        fields = " ".join(
            f'g{i}: changeMobile(input: {{newMobile: "{mobile}", smsCode: "{c}"}}) {{ errors {{ code }} }}'
            for i, c in enumerate(codes)
        )
        return f"mutation {{ {fields} }}"

    rejected = await api.gql(guesses(wrong))  # 50 guesses in one request: refused at validation
    assert rejected.get("data") is None
    assert await app.state.deps.redis.hget(f"sms:code:CHANGE_MOBILE:{mobile}", "tries") == b"0"

    allowed = get_settings().graphql_max_aliases
    burst = await api.gql(guesses(wrong[:allowed]))  # within the alias limit: each counts as a try
    assert all(burst["data"][f"g{i}"]["errors"][0]["code"] == "SMS_CODE_INVALID" for i in range(allowed))
    spent = await api.gql(CHANGE_MOBILE, {"input": {"newMobile": mobile, "smsCode": code}})
    assert spent["data"]["changeMobile"]["errors"][0]["code"] == "SMS_CODE_INVALID"  # the code died at 5


# --- check 20: depth, tokens, aliases, cost --------------------------------------------------------------------


async def _rejected(api: Api, query: str) -> dict[str, Any]:
    response = await api.post(query)
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    assert body.get("data") is None, body
    assert body["errors"], body
    assert_no_leak(response.text)
    return body


async def test_fifty_levels_deep_is_rejected(api: Api) -> None:
    await api.signed_up()
    query = "{ viewer " + "{ attachments " * 49 + "{ id }" + " }" * 49 + " }"

    body = await _rejected(api, query)

    assert "maximum operation depth" in error_messages(body)


async def test_depth_limit_counts_through_fragments(api: Api) -> None:
    fragments = "\n".join(f"fragment F{i} on Person {{ attachments {{ ...F{i + 1} }} }}" for i in range(49))
    query = "{ viewer { ...F0 } }\n" + fragments + "\nfragment F49 on Person { id }"
    body = await _rejected(api, query)
    assert error_messages(body)


async def test_ten_thousand_tokens_are_rejected(api: Api) -> None:
    query = "{ " + " ".join("__typename" for _ in range(10_000)) + " }"
    body = await _rejected(api, query)
    assert "tokens" in error_messages(body)


async def test_a_thousand_aliases_are_rejected(api: Api) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    await _rejected(api, query)


async def test_more_aliases_than_allowed_are_rejected(api: Api) -> None:
    limit = get_settings().graphql_max_aliases
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(limit + 1)) + " }"
    body = await _rejected(api, query)
    assert "aliases" in error_messages(body)
    within = await api.gql("{ " + " ".join(f"a{i}: __typename" for i in range(limit)) + " }")
    assert within["data"]["a0"] == "Query"


async def test_query_cost_is_reported_and_capped(api: Api) -> None:
    await api.signed_up()
    cheap = await api.gql("{ viewer { id realName } }")
    cost = cheap["extensions"]["cost"]
    assert cost == {"requestedQueryCost": 3, "maximumAvailable": get_settings().graphql_max_cost}

    pages = " ".join(f"t{i}: trail(first: 100) {{ edges {{ node {{ id action description ip }} }} }}" for i in range(9))
    body = await _rejected(api, f"{{ viewer {{ {pages} }} }}")

    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["cost"]["requestedQueryCost"] > get_settings().graphql_max_cost
    variables = await _rejected_with_variables(api)
    assert variables["extensions"]["cost"]["requestedQueryCost"] > get_settings().graphql_max_cost


async def test_the_cost_follows_the_variables_of_each_request(api: Api) -> None:
    """The cost is cached per query text and page-size variables: one text, three page sizes, three answers."""
    await api.signed_up()
    query = VIEWER.replace("trail(first: $first", "t1: trail(first: $first")
    costs = []
    for first in (1, 1000, 1):
        body = (await api.post(query, {"first": first})).json()
        costs.append(body["extensions"]["cost"]["requestedQueryCost"])
        refused = [e["extensions"]["code"] for e in body.get("errors", ())] == ["QUERY_TOO_COMPLEX"]
        assert refused == (first == 1000), body
    assert costs[0] == costs[2] < get_settings().graphql_max_cost < costs[1]


Part = TypeVar("Part")


def policy_part(kind: type[Part]) -> Part:
    """The schema's extension of that kind (its caches are the schema's)."""
    return next(ext for ext in (make() for make in schema.extensions) if isinstance(ext, kind))


async def test_unused_variables_stay_out_of_the_cost_cache(api: Api) -> None:
    """A body of 20,000 unused variables costs as without them, and its cache key holds only the page sizes the
    document reads (no megabytes per cache entry from one anonymous request)."""
    flood = {f"v{i}": i for i in range(20_000)}
    query = VIEWER.replace("trail(first: $first", "t1: trail(first: $first")
    body = (await api.post(query, {"first": 5, **flood})).json()
    assert body["extensions"]["cost"] == (await api.post(query, {"first": 5})).json()["extensions"]["cost"]
    cost = policy_part(QueryCost)
    keys = [cast(tuple[str, tuple[int | None, ...]], key) for key in cost.book.costs.entries]
    assert max(len(values) for _query, values in keys) == 1  # `first` alone
    assert document_size.page_variables(parse(query)) == ("first",)


async def test_a_huge_query_text_is_answered_but_not_cached(api: Api) -> None:
    """A 1 MB comment makes a valid query within the token limit; it is parsed and validated, not kept."""
    parser, validator, cost = (
        policy_part(BoundedParserCache),
        policy_part(BoundedValidationCache),
        policy_part(QueryCost),
    )

    def cached() -> tuple[int, int]:
        return (
            parser.cached_parse_document.cache_info().currsize,  # type: ignore[attr-defined]
            validator.cached_validate_document.cache_info().currsize,  # type: ignore[attr-defined]
        )

    before = cached()
    query = "#" + "注" * 1_000_000 + "\n{ __typename }"
    body = (await api.post(query)).json()
    assert body["data"] == {"__typename": "Query"}
    assert cached() == before
    assert not any(query in key for key in cost.book.costs.entries)  # type: ignore[operator]


async def _rejected_with_variables(api: Api) -> dict[str, Any]:
    """`first` given as a variable is costed with its value."""
    response = await api.post(VIEWER.replace("trail(first: $first", "t1: trail(first: $first"), {"first": 1000})
    body: dict[str, Any] = response.json()
    assert body.get("data") is None and body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    return body


# --- introspection and suggestions: open in test mode, closed in production -----------------------------------

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
    assert os.environ["SECRET_KEY"]
    monkeypatch.setenv("APP_ENV", "prod")
    get_settings.cache_clear()
    try:
        yield
    finally:
        monkeypatch.setenv("APP_ENV", "test")
        get_settings.cache_clear()


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


async def test_production_has_no_dev_routes(prod_client: httpx.AsyncClient) -> None:
    assert (await prod_client.get("/dev/sms", params={"mobile": "13800138001"})).status_code == 404
    assert (await prod_client.get("/dev/captcha/abc")).status_code == 404


# --- malformed requests: never a 500, never a stack trace or SQL ---------------------------------------------


MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("application/json", b"{not json"),
    ("application/json", b"[]"),
    ("application/json", b"null"),
    ("application/json", b'"query"'),
    ("application/json", b"{}"),
    ("application/json", b'{"query": 5}'),
    ("application/json", b'{"query": "{ viewer { id } }", "variables": "nope"}'),
    ("application/json", b'{"query": "{ viewer { id } }", "operationName": "Missing"}'),
    ("application/json", b'{"query": "query {"}'),
    ("application/json", b'{"query": "}{"}'),
    ("application/json", b'{"query": "\\u0000"}'),
    ("application/json", b'{"query": "{ viewer(x: 1) { id } }"}'),
    (
        "application/json",
        b'{"query": "query($f: Int!) { viewer { trail(first: $f) { totalCount } } }", "variables": {"f": "abc"}}',
    ),
    ("application/json", b'{"query": "{ nope }"}'),
    ("application/json", b"\xff\xfe\x00garbage"),
    ("text/plain", b"{ viewer { id } }"),
    ("application/x-www-form-urlencoded", b"query=%7B+viewer+%7B+id+%7D+%7D"),
    ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
]


@pytest.mark.parametrize(("content_type", "payload"), MALFORMED_BODIES)
async def test_malformed_requests_never_fail_as_server_errors(api: Api, content_type: str, payload: bytes) -> None:
    headers = {"content-type": content_type, "x-requested-with": "XMLHttpRequest"}

    response = await api.client.post("/graphql", content=payload, headers=headers)

    assert response.status_code in (200, 400, 415), response.text
    assert_no_leak(response.text)
    if response.status_code == 200:
        body = response.json()
        assert body["errors"] and body.get("data") is None
        assert all(e.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR" for e in body["errors"])


MALFORMED_MULTIPART: list[tuple[str, str]] = [
    ("null", "{}"),
    ("5", "{}"),
    ('{"query": "{ __typename }"}', "null"),
    ('{"query": "{ __typename }"}', "[1]"),
    ('{"query": "{ __typename }"}', '{"0": [5]}'),
    ('{"query": "{ __typename }"}', '{"0": "variables.input.file"}'),
    ('{"query": "{ __typename }"}', '{"9": ["variables.x"]}'),
    ('{"query": "{ __typename }", "variables": {"input": 5}}', '{"0": ["variables.input.file"]}'),
    ('{"query": "{ __typename }", "variables": null}', '{"0": ["variables.input.file"]}'),
    ('{"query": "{ __typename }", "variables": {"x": [1]}}', '{"0": ["variables.x.5"]}'),
    ('{"query": "{ __typename }", "variables": {"x": [1]}}', '{"0": ["variables.x.a"]}'),
    ('[{"query": "{ __typename }"}]', '{"0": ["0.variables.x"]}'),
]


@pytest.mark.parametrize(("operations", "files_map"), MALFORMED_MULTIPART)
async def test_malformed_multipart_is_a_400(api: Api, operations: str, files_map: str) -> None:
    response = await api.client.post(
        "/graphql",
        data={"operations": operations, "map": files_map},
        files={"0": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 400, response.text
    assert_no_leak(response.text)


async def test_client_made_ids_and_cursors_are_bad_input_not_faults(api: Api) -> None:
    await api.signed_up()
    huge = "9" * 30
    cursors = [
        base64.urlsafe_b64encode(f"k:{huge}".encode()).decode(),
        base64.urlsafe_b64encode(b"k:" + b"9" * 5000).decode(),
        base64.urlsafe_b64encode("k:²".encode()).decode(),
        "not-a-cursor",
    ]
    for cursor in cursors:  # a coded error in the trail's place (never the first page, never a fault)
        response = await api.post(VIEWER, {"first": 5, "after": cursor})
        body = response.json()
        assert response.status_code == 200 and body["data"]["viewer"]["trail"] is None, response.text
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_CURSOR"]
        assert body["errors"][0]["path"] == ["viewer", "trail"]
    node_ids = [to_base64("Person", huge), to_base64("Attachment", "-1"), to_base64("NoSuchType", "1"), "%%%"]
    for node_id in node_ids:
        response = await api.post("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
        assert response.status_code == 200
        assert_no_leak(response.text)
        body = response.json()
        assert body["data"] == {"node": None}
        assert all(e["extensions"].get("code") != "INTERNAL_SERVER_ERROR" for e in body.get("errors", []))


async def test_a_page_size_out_of_range_is_an_error_in_the_trails_place(api: Api) -> None:
    """`trail(first: 0)` or 101: a coded error at the trail, the viewer itself still answered."""
    await api.signed_up()
    for first in (0, 101, -1):
        body = (await api.post(VIEWER, {"first": first})).json()
        assert body["data"]["viewer"]["realName"] == "张三" and body["data"]["viewer"]["trail"] is None, body
        assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
            ("INVALID_PAGE_SIZE", ["viewer", "trail"])
        ]


async def test_pages_follow_each_other_with_relay_page_info(api: Api) -> None:
    """Keyset pages newest first: startCursor/endCursor, hasPreviousPage after the first page, no overlap."""
    await api.signed_up()
    query = """query($first: Int!, $after: String) { viewer { trail(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }"""
    first_page = (await api.post(query, {"first": 1})).json()["data"]["viewer"]["trail"]
    info = first_page["pageInfo"]
    assert first_page["totalCount"] == 2 and info["hasNextPage"] and not info["hasPreviousPage"]
    assert info["startCursor"] == info["endCursor"] == first_page["edges"][0]["cursor"]
    second = (await api.post(query, {"first": 5, "after": info["endCursor"]})).json()["data"]["viewer"]["trail"]
    assert second["pageInfo"]["hasPreviousPage"] and not second["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in second["edges"]] != [e["node"]["id"] for e in first_page["edges"]]
    assert len(second["edges"]) == 1


async def test_get_cannot_run_mutations(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert response.status_code in (400, 405)
    assert_no_leak(response.text)


# --- check 19: the guard in front of /graphql ------------------------------------------------------------------


def _open_temp_files() -> set[str]:
    """Paths of files this process holds open (deleted spool files show up as '… (deleted)')."""
    paths = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return paths


def _written_bytes() -> int:
    """Bytes this process has passed to write() so far (/proc/self/io wchar)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/self/io")


def _large_new_temp_files(since: float) -> list[Path]:
    """Files over 1 MiB that appeared at the top of the temp directory after `since`."""
    found = []
    for entry in os.scandir(tempfile.gettempdir()):
        try:
            stat = entry.stat(follow_symlinks=False)
            if entry.is_file(follow_symlinks=False) and stat.st_mtime >= since and stat.st_size > 1024 * 1024:
                found.append(Path(entry.path))
        except OSError:
            continue
    return found


class DiskWatch:
    """What a request left behind or wrote: open temp files, large temp files, bytes written."""

    def __init__(self) -> None:
        self.start = time.time()
        self.fds = _open_temp_files()
        self.written = _written_bytes()

    def check(self, max_written: int) -> None:
        leaked = {p for p in _open_temp_files() - self.fds if "(deleted)" in p or p.startswith(tempfile.gettempdir())}
        assert not leaked, leaked
        assert _large_new_temp_files(self.start) == []
        written = _written_bytes() - self.written
        assert written <= max_written, f"{written} bytes written"


def _operations() -> dict[str, str]:
    operations = {"query": UPLOAD, "variables": {"input": {"kind": "PHOTO", "file": None}}}
    return {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})}


async def test_multipart_with_two_thousand_parts_is_refused(api: Api) -> None:
    await api.signed_up()
    headers = {"Authorization": f"Bearer {api.token}", "x-requested-with": "XMLHttpRequest"}
    watch = DiskWatch()

    many_files = {str(i): (f"f{i}.jpg", b"\xff\xd8\xff" + b"x" * 100, "image/jpeg") for i in range(2000)}
    files_response = await api.client.post("/graphql", data=_operations(), files=many_files, headers=headers)
    many_fields = {**_operations(), **{f"field{i}": "v" for i in range(2000)}}
    photo = image_bytes(600, 800)
    fields_response = await api.client.post(
        "/graphql", data=many_fields, files={"0": ("p.jpg", photo, "image/jpeg")}, headers=headers
    )

    for response in (files_response, fields_response):
        assert response.status_code == 400, response.text
        assert_no_leak(response.text)
    watch.check(max_written=512 * 1024)
    assert await Attachment.all().count() == 0


async def test_a_body_over_the_cap_is_refused_with_413(api: Api) -> None:
    await api.signed_up()
    cap = get_settings().request_max_bytes
    assert cap == 6 * 1024 * 1024
    headers = {"Authorization": f"Bearer {api.token}", "x-requested-with": "XMLHttpRequest"}
    big = b"\xff\xd8\xff" + b"\0" * cap
    watch = DiskWatch()

    response = await api.client.post(
        "/graphql", data=_operations(), files={"0": ("big.jpg", big, "image/jpeg")}, headers=headers
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    watch.check(max_written=512 * 1024)  # refused on Content-Length: nothing was parsed or spooled
    huge_json = await api.client.post("/graphql", content=b'{"query": "' + b" " * cap + b'"}', headers=headers)
    assert huge_json.status_code == 413
    assert await Attachment.all().count() == 0


async def test_a_streamed_body_without_length_is_cut_at_the_cap(api: Api) -> None:
    await api.signed_up()
    cap = get_settings().request_max_bytes
    operations = _operations()

    async def body() -> AsyncIterator[bytes]:
        for name in ("operations", "map"):
            yield f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{operations[name]}\r\n'.encode()
        yield b'--b\r\nContent-Disposition: form-data; name="0"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        for _ in range(40):  # 40 MiB offered; the guard stops reading at 6 MiB
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    headers = {
        "Authorization": f"Bearer {api.token}",
        "x-requested-with": "XMLHttpRequest",
        "content-type": "multipart/form-data; boundary=b",
    }
    watch = DiskWatch()

    response = await api.client.post("/graphql", content=body(), headers=headers)

    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    watch.check(max_written=cap + 512 * 1024)  # at most the capped part was ever spooled, and it is gone
    assert await Attachment.all().count() == 0


async def test_multipart_without_a_preflight_header_is_refused(api: Api) -> None:
    await api.signed_up()

    response = await api.upload("PHOTO", image_bytes(600, 800), preflight=False)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert await Attachment.all().count() == 0
    accepted = await api.upload("PHOTO", image_bytes(600, 800))
    assert accepted.status_code == 200 and accepted.json()["data"]["uploadAttachment"]["errors"] == []


async def test_session_table_untouched_by_refused_requests(api: Api) -> None:
    """Refused requests open no session (a sanity check that the limits run before resolvers)."""
    assert (await api.register())["errors"] == []
    await api.gql(aliased_logins(50), {"input": await login_input(api, PASSWORD)})
    batch = [{"query": LOGIN, "variables": {"input": await login_input(api, PASSWORD)}}] * 3
    assert (await api.client.post("/graphql", json=batch)).status_code == 400
    assert await Session.all().count() == 0


async def test_a_fragment_bomb_is_measured_in_linear_time_and_refused(api: Api) -> None:
    """24 fragments, each spreading the next twice: 2^24 fields from 600 bytes. Each fragment is measured once,
    so the request is refused at once (it took minutes when depth, aliases and cost walked every expansion)."""
    levels = 24
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ captcha {{ id }} }}")
    query = "query { ...F0 }\n" + "\n".join(fragments)
    response = await asyncio.wait_for(api.post(query), timeout=60)  # a liveness guard: 2^24 walks never end
    body = response.json()
    assert response.status_code == 200 and body.get("data") is None
    assert "QUERY_TOO_COMPLEX" in [error["extensions"]["code"] for error in body["errors"]]
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2**levels * 2


async def test_aliases_are_counted_through_fragments(api: Api) -> None:
    limit = get_settings().graphql_max_aliases
    fields = " ".join(f"a{i}: captcha {{ id }}" for i in range(limit // 2 + 1))
    body = (
        await api.post(f"query {{ ...A ...B }} fragment A on Query {{ {fields} }} fragment B on Query {{ {fields} }}")
    ).json()
    assert "TOO_MANY_ALIASES" in [error["extensions"]["code"] for error in body["errors"]]
