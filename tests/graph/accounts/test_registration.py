"""Accounts over HTTP: registration, login protections (SECURITY checks 1, 3, 8), password and profile changes,
staff login and per-object authorization of node(id:)."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher, Type

from db.models import Person as PersonRow
from db.models import Session as SessionRow
from db.models import StaffRole, StaffUser
from domain.accounts import credentials, login
from domain.accounts.passwords import hash_password, needs_rehash, verify_password
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.helpers import LOGIN, PASSWORD, REGISTER, VALID_ID, VALID_ID_2, Api

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_WITH_X = "11010519491231002X"
STAFF_PASSWORD = "Guanli#Portal2026"
NEW_PASSWORD = "Xin#Mima2026go"

VIEWER_ID = "query { viewer { id realName } }"
TRAIL = """query { viewer { trail(first: 100) { totalCount edges { node { id action description ip } } } } }"""
LOGOUT = "mutation { logout { ok errors { field code message } } }"
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  ok errors { field code message } } }"""
UPDATE_PROFILE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  errors { field code message }
  person { ethnicity email education degree school profileComplete } } }"""
PROFILE = "query { viewer { ethnicity email education degree school profileComplete } }"
STAFF_LOGIN = """mutation($input: StaffLoginInput!) { staffLogin(input: $input) {
  errors { field code message } token staff { username displayName role } } }"""
STAFF_VIEWER = "query { staffViewer { username role } viewer { id } }"
NODE = """query($id: ID!) { node(id: $id) { id __typename
  ... on Person { realName idNumberMasked } ... on OperationTrail { action } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


# --- helpers ------------------------------------------------------------------------------------


def make_id_number(birth: str = "19800101", sequence: str = "123", area: str = "110105") -> str:
    """A valid resident ID number (correct check character)."""
    body = area + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@asynccontextmanager
async def client_at(api: Api, ip: str, port: int = 40000) -> AsyncIterator[Api]:
    """Another client of the same app, seen by the server as coming from `ip`."""
    transport = httpx.ASGITransport(app=api.app, client=(ip, port))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client, api.app)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


def pk_of(global_id: str) -> int:
    """The database id inside a relay global id."""
    type_name, _, key = base64.b64decode(global_id).decode().partition(":")
    assert type_name in ("Person", "OperationTrail", "Attachment")
    return int(key)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


async def register_body(api: Api, **fields: str) -> dict[str, Any]:
    """The whole response body of a register call with a fresh captcha (no top-level errors allowed)."""
    captcha_id, answer = await api.captcha()
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": PASSWORD}
    form |= {"captchaId": captcha_id, "captchaAnswer": answer} | fields
    body = await api.gql(REGISTER, {"input": form})
    assert "errors" not in body, body
    return body


async def login_attempt(api: Api, id_number: str, password: str) -> tuple[httpx.Response, float]:
    """One login POST with a fresh captcha; returns the response and the seconds the POST took."""
    captcha_id, answer = await api.captcha()
    variables = {"input": {"idNumber": id_number, "password": password, "captchaId": captcha_id}}
    variables["input"]["captchaAnswer"] = answer
    started = time.perf_counter()
    response = await api.post(LOGIN, variables)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response, elapsed


async def login_code(api: Api, id_number: str, password: str) -> str | None:
    payload = await api.login(id_number=id_number, password=password)
    return payload["errors"][0]["code"] if payload["errors"] else None


async def viewer_id(api: Api, token: str | None) -> str | None:
    body = await api.gql(VIEWER_ID, token=token)
    assert "errors" not in body, body
    viewer = body["data"]["viewer"]
    return viewer["id"] if viewer else None


async def trail(api: Api, token: str) -> list[dict[str, str]]:
    """The person's trail, oldest first."""
    body = await api.gql(TRAIL, token=token)
    return [edge["node"] for edge in reversed(body["data"]["viewer"]["trail"]["edges"])]


def audit_records(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]
    return [record for record in records if record["event"] == event]


async def change_password(api: Api, token: str, old: str, new: str, repeat: str | None = None) -> dict[str, Any]:
    variables = {"input": {"oldPassword": old, "newPassword": new, "repeatPassword": new if repeat is None else repeat}}
    body = await api.gql(CHANGE_PASSWORD, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["changePassword"]
    return result


async def create_staff(username: str, role: StaffRole, active: bool = True) -> StaffUser:
    return await StaffUser.create(
        username=username,
        display_name="测试人员",
        role=role,
        province_code="11" if role is StaffRole.PROVINCE else None,
        password_hash=await hash_password(STAFF_PASSWORD),
        active=active,
    )


async def staff_login(api: Api, username: str, password: str = STAFF_PASSWORD) -> dict[str, Any]:
    captcha_id, answer = await api.captcha()
    variables = {"input": {"username": username, "password": password, "captchaId": captcha_id}}
    variables["input"]["captchaAnswer"] = answer
    body = await api.gql(STAFF_LOGIN, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["staffLogin"]
    return result


def assert_unauthenticated(body: dict[str, Any]) -> None:
    assert body["data"] is None, body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]


# --- registration -------------------------------------------------------------------------------


async def test_register_returns_masked_person(api: Api) -> None:
    body = await register_body(api, idNumber="11010519491231002x", realName="阿依古丽·买买提", mobile="13912345678")
    result = body["data"]["register"]
    assert result["errors"] == []
    person = result["person"]
    assert person["realName"] == "阿依古丽·买买提"
    assert person["idNumberMasked"] == "1101**********002X"
    assert person["mobileMasked"] == "139****5678"
    assert person["gender"] == "FEMALE"
    assert person["birthDate"] == "1949-12-31"
    assert "19491231" not in json.dumps(body)
    assert await login_code(api, ID_WITH_X, PASSWORD) is None  # upper-case X logs in to the lower-case x account


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("realName", "Zhang San", "INVALID_NAME"),
        ("realName", "张", "INVALID_NAME"),
        ("realName", "王" * 31, "INVALID_NAME"),
        ("realName", "张\x00三", "INVALID_NAME"),
        ("realName", "张" * 10_000, "INVALID_NAME"),
        ("idNumber", "230307196304054513", "INVALID_ID_NUMBER"),
        ("idNumber", "36042619910101007", "INVALID_ID_NUMBER"),
        ("idNumber", "360426199102300071", "INVALID_ID_NUMBER"),
        ("idNumber", make_id_number("19800101", area="119999"), "INVALID_ID_NUMBER"),
        ("idNumber", "3" * 5_000, "INVALID_ID_NUMBER"),
        ("mobile", "12800138000", "INVALID_MOBILE"),
        ("mobile", "1380013800", "INVALID_MOBILE"),
        ("password", "12345678", "WEAK_PASSWORD"),
        ("password", "short#1", "WEAK_PASSWORD"),
        ("password", "Mima#19910101", "WEAK_PASSWORD"),  # the birth date of VALID_ID
        ("password", "Mima#010071", "WEAK_PASSWORD"),  # the last 6 of VALID_ID
        ("password", "x" * 5_000 + "Yz1!", "WEAK_PASSWORD"),
    ],
)
async def test_register_bad_field_is_a_user_error(api: Api, field: str, value: str, code: str) -> None:
    body = await register_body(api, **{field: value})
    result = body["data"]["register"]
    assert result["person"] is None
    assert len(result["errors"]) == 1, result
    error = result["errors"][0]
    assert error["code"] == code
    assert error["field"] == [field]
    assert has_chinese(error["message"])
    assert await PersonRow.all().count() == 0


async def test_register_reports_every_bad_field_at_once(api: Api) -> None:
    body = await register_body(api, realName="Zhang3", idNumber="230307196304054513", mobile="110", password="123")
    result = body["data"]["register"]
    assert result["person"] is None
    found = {error["code"]: error["field"] for error in result["errors"]}
    assert found == {
        "INVALID_NAME": ["realName"],
        "INVALID_ID_NUMBER": ["idNumber"],
        "INVALID_MOBILE": ["mobile"],
        "WEAK_PASSWORD": ["password"],
    }
    assert await PersonRow.all().count() == 0


async def test_captcha_is_single_use_and_case_insensitive(api: Api) -> None:
    captcha_id, answer = await api.captcha()
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": PASSWORD}

    wrong = "Z" * len(answer)  # Z is not in the captcha alphabet, so never the answer
    body = await api.gql(REGISTER, {"input": form | {"captchaId": captcha_id, "captchaAnswer": wrong}})
    assert "errors" not in body
    assert body["data"]["register"]["errors"] == [
        {
            "field": ["captchaAnswer"],
            "code": "CAPTCHA_INVALID",
            "message": body["data"]["register"]["errors"][0]["message"],
        }
    ]
    # a wrong answer spends the captcha: the right answer no longer works
    body = await api.gql(REGISTER, {"input": form | {"captchaId": captcha_id, "captchaAnswer": answer}})
    assert codes(body["data"]["register"]) == ["CAPTCHA_INVALID"]

    captcha_id, answer = await api.captcha()
    body = await api.gql(REGISTER, {"input": form | {"captchaId": captcha_id, "captchaAnswer": f" {answer.lower()} "}})
    assert body["data"]["register"]["errors"] == []
    # a used captcha cannot be replayed
    again = form | {"idNumber": VALID_ID_2, "captchaId": captcha_id, "captchaAnswer": answer}
    body = await api.gql(REGISTER, {"input": again})
    assert codes(body["data"]["register"]) == ["CAPTCHA_INVALID"]
    assert await PersonRow.all().count() == 1


@pytest.mark.parametrize(
    ("captcha_id", "answer"),
    [("no-such-captcha", "ABCD"), ("", ""), ("x" * 5000, "ABCD"), ("no-such-captcha", "A" * 5000)],
)
async def test_unknown_or_malformed_captcha(api: Api, captcha_id: str, answer: str) -> None:
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": PASSWORD}
    body = await api.gql(REGISTER, {"input": form | {"captchaId": captcha_id, "captchaAnswer": answer}})
    assert "errors" not in body
    assert codes(body["data"]["register"]) == ["CAPTCHA_INVALID"]
    login_body = await api.gql(
        LOGIN, {"input": {"idNumber": VALID_ID, "password": PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}}
    )
    assert codes(login_body["data"]["login"]) == ["CAPTCHA_INVALID"]


async def test_captcha_expires_after_five_minutes(api: Api, redis: Any) -> None:
    body = await api.gql("query { captcha { id imageDataUrl expiresAt } }")
    issued = body["data"]["captcha"]
    assert issued["imageDataUrl"].startswith("data:image/png;base64,")
    assert base64.b64decode(issued["imageDataUrl"].split(",", 1)[1]).startswith(b"\x89PNG")
    ttl_s = await redis.ttl(f"captcha:{issued['id']}")
    assert 0 < ttl_s <= 300
    answer = (await api.client.get(f"/dev/captcha/{issued['id']}")).json()["answer"]
    await redis.pexpire(f"captcha:{issued['id']}", 1)  # the TTL runs out in Redis
    await redis.pexpire(f"dev:captcha:{issued['id']}", 1)
    deadline = time.monotonic() + 2
    while await redis.exists(f"captcha:{issued['id']}") and time.monotonic() < deadline:
        pass
    form = {"realName": "张三", "idNumber": VALID_ID, "mobile": "13800138001", "password": PASSWORD}
    body = await api.gql(REGISTER, {"input": form | {"captchaId": issued["id"], "captchaAnswer": answer}})
    assert codes(body["data"]["register"]) == ["CAPTCHA_INVALID"]


async def test_taken_id_number_is_refused_without_detail(api: Api) -> None:
    first = await register_body(api, idNumber=ID_WITH_X)
    assert first["data"]["register"]["errors"] == []

    attempts = [
        {"idNumber": ID_WITH_X, "realName": "李四", "mobile": "13900000000", "password": "Another#Pass99"},
        {"idNumber": "11010519491231002x", "realName": "王五", "mobile": "13700000000", "password": "Third#Pass77"},
    ]
    results = []
    for fields in attempts:
        body = await register_body(api, **fields)
        results.append(body["data"]["register"])
    assert results[0] == results[1]
    assert results[0]["person"] is None
    [error] = results[0]["errors"]
    assert error["code"] == "REGISTRATION_REFUSED"
    assert error["field"] == ["idNumber"]
    assert has_chinese(error["message"])
    for secret in ("张三", "138", "8001", "1101", "002X"):
        assert secret not in error["message"]
    # the existing account is untouched
    assert await PersonRow.all().count() == 1
    assert await login_code(api, ID_WITH_X, "Another#Pass99") == "INVALID_CREDENTIALS"
    assert await login_code(api, ID_WITH_X, PASSWORD) is None


async def test_captcha_is_checked_before_anything_is_revealed(api: Api) -> None:
    await api.register()
    form = {"realName": "李四", "idNumber": VALID_ID, "mobile": "13900000000", "password": "Another#Pass99"}
    body = await api.gql(REGISTER, {"input": form | {"captchaId": "forged", "captchaAnswer": "ABCD"}})
    assert codes(body["data"]["register"]) == ["CAPTCHA_INVALID"]


# --- login: check 1, lockout and throttles -------------------------------------------------------


async def test_login_sets_token_and_viewer(api: Api) -> None:
    await api.register()
    result = await api.login()
    assert result["errors"] == []
    assert result["viewer"]["idNumberMasked"] == "3604**********0071"
    assert await viewer_id(api, result["token"]) == result["viewer"]["id"]


async def test_login_with_malformed_id_number_is_a_user_error(api: Api) -> None:
    result = await api.login(id_number="not-an-id")
    assert codes(result) == ["INVALID_ID_NUMBER"]
    assert result["token"] is None


async def test_check1_rotating_ips_lock_the_account_and_every_attempt_is_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    """SECURITY check 1: 30 wrong passwords for one account from 30 addresses → locked past the threshold."""
    caplog.set_level(logging.INFO, logger="portal.audit")
    token = await api.signed_up()
    person_pk = pk_of(await viewer_id(api, token) or "")
    caplog.clear()
    threshold = get_settings().login_lock_threshold
    assert 1 <= threshold <= 10

    ips = [f"198.51.100.{i}" for i in range(1, 31)]
    seen = []
    for i, ip in enumerate(ips):
        async with client_at(api, ip) as attacker:
            payload = await attacker.login(password=f"Wrong#guess{i:02d}")
            assert payload["token"] is None and payload["viewer"] is None
            seen.append(codes(payload))
    assert seen == [["INVALID_CREDENTIALS"]] * threshold + [["ACCOUNT_LOCKED"]] * (30 - threshold)

    async with client_at(api, "198.51.100.200") as owner:  # even the right password waits for the lock
        assert await login_code(owner, VALID_ID, PASSWORD) == "ACCOUNT_LOCKED"
    ips.append("198.51.100.200")

    records = audit_records(caplog, "login")
    assert [r["ip"] for r in records] == ips
    assert [r["outcome"] for r in records] == ["failure"] * threshold + ["locked"] * (31 - threshold)
    assert {r["actor"] for r in records} == {f"person:{person_pk}"}
    for record in records:
        assert record["time"].endswith("+00:00")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Wrong#guess" not in logged and PASSWORD not in logged and VALID_ID not in logged

    entries = [e for e in await trail(api, token) if e["action"] in ("LOGIN_FAILED", "LOGIN_LOCKED")]
    assert [e["action"] for e in entries] == ["LOGIN_FAILED"] * threshold + ["LOGIN_LOCKED"] * (31 - threshold)
    assert [e["ip"] for e in entries] == ips
    assert await viewer_id(api, token) is not None  # the lock stops guessing, not the owner's open session


async def test_lock_backs_off_and_a_success_resets_the_count(api: Api, redis: Any) -> None:
    await api.register()
    threshold = get_settings().login_lock_threshold
    attempt = 0

    async def wrong(expected: str) -> None:
        nonlocal attempt
        attempt += 1
        async with client_at(api, f"198.51.100.{attempt}") as attacker:
            assert await login_code(attacker, VALID_ID, "Wrong#guess00") == expected

    async def expire_lock(max_ttl_s: int, min_ttl_s: int = 1) -> None:
        [key] = await redis.keys("login:lock:*")
        assert min_ttl_s <= await redis.ttl(key) <= max_ttl_s
        await redis.delete(key)  # the lock runs out

    for _ in range(threshold):
        await wrong("INVALID_CREDENTIALS")
    await wrong("ACCOUNT_LOCKED")
    await expire_lock(60)
    for _ in range(threshold):
        await wrong("INVALID_CREDENTIALS")
    await wrong("ACCOUNT_LOCKED")
    await expire_lock(120, 61)  # second lock doubles
    async with client_at(api, "198.51.100.250") as owner:
        assert await login_code(owner, VALID_ID, PASSWORD) is None
    for _ in range(threshold):  # the count restarted at zero after the success
        await wrong("INVALID_CREDENTIALS")
    await expire_lock(60)


def test_lock_seconds_back_off_has_a_hard_cap() -> None:
    settings = get_settings()
    threshold, cap = settings.login_lock_threshold, settings.login_max_failures
    assert cap <= 100
    assert [login.lock_seconds(n) for n in range(threshold)] == [0] * threshold
    assert login.lock_seconds(threshold) == 60
    assert login.lock_seconds(threshold + 1) == 0
    assert login.lock_seconds(2 * threshold) == 120
    assert login.lock_seconds(3 * threshold) == 240
    locks = [login.lock_seconds(n) for n in range(threshold, cap, threshold)]
    assert locks == sorted(locks)
    assert all(0 < lock <= login.MAX_LOCK_S for lock in locks)
    assert login.lock_seconds(cap) == login.MAX_LOCK_S == 24 * 3600
    assert login.lock_seconds(cap + 1) == login.MAX_LOCK_S  # past the cap every failure locks for a day


async def test_per_ip_throttle(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    token = await api.signed_up()
    caplog.clear()
    limit, threshold = get_settings().login_ip_per_minute, get_settings().login_lock_threshold
    target = make_id_number(sequence="901")
    results = [await login_code(api, target, "Wrong#guess00") for _ in range(limit - 1)]
    # with the owner's login, `limit` attempts so far; refused attempts at a locked account count too
    assert results == ["INVALID_CREDENTIALS"] * threshold + ["ACCOUNT_LOCKED"] * (limit - 1 - threshold)
    assert await login_code(api, make_id_number(sequence="902"), "Wrong#guess00") == "TOO_MANY_REQUESTS"
    assert await login_code(api, VALID_ID, PASSWORD) == "TOO_MANY_REQUESTS"  # right password, same address
    async with client_at(api, "198.51.100.77") as elsewhere:
        assert await login_code(elsewhere, VALID_ID, PASSWORD) is None

    records = audit_records(caplog, "login")
    throttled = [r for r in records if r["outcome"] == "throttled"]
    assert len(throttled) == 2
    assert {r["ip"] for r in throttled} == {"203.0.113.10"}
    entries = [e for e in await trail(api, token) if e["action"] == "LOGIN_LOCKED"]
    assert [e["ip"] for e in entries] == ["203.0.113.10"]
    assert "频繁" in entries[0]["description"]


# --- login: check 3, equal answers and timing ----------------------------------------------------


async def test_unknown_and_known_accounts_get_the_same_answer(api: Api) -> None:
    """SECURITY check 3, the answer: a wrong password for a known account and any password for an unknown one get
    the same body, status and headers (the latency is measured apart, in the timing check below)."""
    known, unknown = make_id_number(sequence="101"), make_id_number(sequence="501")
    assert (await api.register(id_number=known, mobile="13900000101"))["errors"] == []
    answers = []
    for number in (known, unknown, known, unknown):
        response, _elapsed = await login_attempt(api, number, "Wrong#guess00")
        headers = tuple(sorted(k for k in response.headers if k not in ("date", "content-length")))
        answers.append((response.status_code, response.text, headers))
    assert len(set(answers)) == 1, answers
    assert "set-cookie" not in answers[0][2]


@pytest.mark.timing
async def test_check3_unknown_and_known_accounts_answer_alike(api: Api) -> None:
    """SECURITY check 3: same body and status; median latency gap < 10 ms (a timing check, run apart).

    Known and unknown attempts run in adjacent pairs (order alternating); the gap is the median of the per-pair
    differences, so load from other processes hits both sides of a pair alike. When that median is not yet below
    the limit, more pairs are measured (up to 60) and the verdict is taken on all of them: noise shrinks with more
    pairs, a real gap does not."""
    bodies: set[str] = set()
    header_names: set[tuple[str, ...]] = set()
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    gaps: list[float] = []
    attempt = 0

    async def probe(number: str) -> float:
        nonlocal attempt
        attempt += 1
        async with client_at(api, f"198.51.{attempt // 250}.{attempt % 250 + 1}") as client:
            response, elapsed = await login_attempt(client, number, "Wrong#guess00")
        bodies.add(response.text)
        header_names.add(tuple(sorted(k for k in response.headers if k not in ("date",))))
        return elapsed

    async def measure_batch(batch: int) -> None:
        known = [make_id_number(sequence=f"{100 + 10 * batch + n:03d}") for n in range(5)]
        unknown = [make_id_number(sequence=f"{500 + 10 * batch + n:03d}") for n in range(5)]
        for n, number in enumerate(known):
            assert (await api.register(id_number=number, mobile=f"139{batch:02d}{n:06d}"))["errors"] == []
        if batch == 0:  # warm-up of both paths, on accounts of their own
            assert (await api.register(id_number=make_id_number(sequence="199"), mobile="13999999999"))["errors"] == []
            await probe(make_id_number(sequence="599"))
            await probe(make_id_number(sequence="199"))
        for round_ in range(4):  # 4 tries per account: below the lockout threshold
            for k in range(5):
                if (round_ + k) % 2 == 0:
                    known_s, unknown_s = await probe(known[k]), await probe(unknown[k])
                else:
                    unknown_s, known_s = await probe(unknown[k]), await probe(known[k])
                timings["known"].append(known_s)
                timings["unknown"].append(unknown_s)
                gaps.append(known_s - unknown_s)

    for batch in range(3):
        await measure_batch(batch)
        if abs(statistics.median(gaps)) < 0.010:
            break

    assert len(bodies) == 1, bodies
    body = json.loads(bodies.pop())
    assert body["data"] == {
        "login": {
            "errors": [
                {
                    "field": ["password"],
                    "code": "INVALID_CREDENTIALS",
                    "message": body["data"]["login"]["errors"][0]["message"],
                }
            ],
            "token": None,
            "viewer": None,
        }
    }
    assert len(header_names) == 1, header_names
    assert "set-cookie" not in header_names.pop()
    gap_ms = abs(statistics.median(gaps)) * 1000
    known_ms, unknown_ms = (statistics.median(timings[kind]) * 1000 for kind in ("known", "unknown"))
    print(
        f"check 3: {len(gaps)} pairs, median login latency known {known_ms:.2f} ms, unknown {unknown_ms:.2f} ms,"
        f" median paired gap {gap_ms:.2f} ms"
    )
    assert gap_ms < 10, (gap_ms, timings)


async def test_lockout_answers_alike_for_unknown_accounts(api: Api) -> None:
    await api.register()
    threshold = get_settings().login_lock_threshold
    for number in (VALID_ID, make_id_number(sequence="777")):
        results = []
        for i in range(threshold + 1):
            async with client_at(api, f"198.51.100.{i + 1}") as client:
                results.append(await login_code(client, number, "Wrong#guess00"))
        assert results == ["INVALID_CREDENTIALS"] * threshold + ["ACCOUNT_LOCKED"], number


# --- sessions: check 8 ---------------------------------------------------------------------------


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


async def test_cookie_session_needs_the_csrf_header(api: Api) -> None:
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

    async with client_at(api, "203.0.113.20") as browser:
        browser.client.cookies.set("portal_session", token)
        browser.client.cookies.set("portal_csrf", csrf)
        assert await viewer_id(browser, None) is None  # cookie alone on POST: anonymous
        browser.headers["x-csrf-token"] = "0" * len(csrf)
        assert await viewer_id(browser, None) is None
        assert_unauthenticated(await browser.gql(LOGOUT))  # a forged cross-site POST cannot log out
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


# --- changePassword ------------------------------------------------------------------------------


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
    assert len(changed) == 1 and "2" in changed[0]["description"]
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


# --- updateProfile -------------------------------------------------------------------------------


async def test_update_profile_saves_valid_fields(api: Api) -> None:
    token = await api.signed_up()
    before = await api.gql(PROFILE)
    assert before["data"]["viewer"]["profileComplete"] is False
    profile = {
        "ethnicity": "维吾尔族",
        "email": " Zhang.San@Example.COM ",
        "education": "BACHELOR",
        "degree": "BACHELOR",
        "school": "  同济大学   土木工程学院 ",
    }
    body = await api.gql(UPDATE_PROFILE, {"input": profile})
    assert "errors" not in body
    saved = {
        "ethnicity": "维吾尔族",
        "email": "Zhang.San@example.com",
        "education": "BACHELOR",
        "degree": "BACHELOR",
        "school": "同济大学 土木工程学院",
        "profileComplete": True,
    }
    assert body["data"]["updateProfile"] == {"errors": [], "person": saved}
    assert (await api.gql(PROFILE))["data"]["viewer"] == saved
    [entry] = [e for e in await trail(api, token) if e["action"] == "PROFILE_UPDATED"]
    for label in ("民族", "电子邮箱", "学历", "学位", "毕业院校"):
        assert label in entry["description"]

    body = await api.gql(UPDATE_PROFILE, {"input": {"school": "清华大学"}})  # omitted fields stay
    assert body["data"]["updateProfile"]["person"] == saved | {"school": "清华大学"}
    entries = [e for e in await trail(api, token) if e["action"] == "PROFILE_UPDATED"]
    assert len(entries) == 2 and "民族" not in entries[-1]["description"]


async def test_update_profile_reports_invalid_fields_and_saves_nothing(api: Api) -> None:
    token = await api.signed_up()
    body = await api.gql(
        UPDATE_PROFILE, {"input": {"ethnicity": "火星族", "email": "not-an-email", "school": "北", "degree": "MASTER"}}
    )
    assert "errors" not in body
    result = body["data"]["updateProfile"]
    assert result["person"] is None
    found = {tuple(e["field"]): e["code"] for e in result["errors"]}
    assert found == {("ethnicity",): "INVALID_INPUT", ("email",): "INVALID_EMAIL", ("school",): "INVALID_INPUT"}
    assert all(has_chinese(e["message"]) for e in result["errors"])
    viewer = (await api.gql(PROFILE))["data"]["viewer"]
    assert viewer == {
        "ethnicity": None, "email": None, "education": None, "degree": None, "school": None, "profileComplete": False
    }  # fmt: skip
    assert "PROFILE_UPDATED" not in [e["action"] for e in await trail(api, token)]


async def test_update_profile_needs_a_login(api: Api) -> None:
    assert_unauthenticated(await api.gql(UPDATE_PROFILE, {"input": {"ethnicity": "汉族"}}))


# --- staffLogin ----------------------------------------------------------------------------------


async def test_staff_login(api: Api) -> None:
    await create_staff("admin01", StaffRole.ADMIN)
    result = await staff_login(api, "admin01")
    assert result["errors"] == []
    assert result["staff"] == {"username": "admin01", "displayName": "测试人员", "role": "ADMIN"}
    body = await api.gql(STAFF_VIEWER, token=result["token"])
    assert body["data"] == {"staffViewer": {"username": "admin01", "role": "ADMIN"}, "viewer": None}
    second = await staff_login(api, "admin01")
    assert second["token"] != result["token"]
    assert (await api.gql(LOGOUT, token=result["token"]))["data"]["logout"]["ok"] is True
    assert (await api.gql(STAFF_VIEWER, token=result["token"]))["data"]["staffViewer"] is None
    assert (await api.gql(STAFF_VIEWER, token=second["token"]))["data"]["staffViewer"] is not None


async def test_staff_login_fails_alike_for_unknown_inactive_and_wrong_password(api: Api) -> None:
    await create_staff("admin01", StaffRole.ADMIN)
    await create_staff("retired01", StaffRole.PROVINCE, active=False)
    answers = []
    for n, (username, password) in enumerate(
        [("admin01", "Wrong#guess00"), ("nobody01", "Wrong#guess00"), ("retired01", STAFF_PASSWORD)]
    ):
        async with client_at(api, f"198.51.100.{n + 1}") as client:
            answers.append(await staff_login(client, username, password))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["token"] is None and answers[0]["staff"] is None
    assert codes(answers[0]) == ["INVALID_CREDENTIALS"]


async def test_staff_lockout_is_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="portal.audit")
    await create_staff("admin01", StaffRole.ADMIN)
    threshold = get_settings().login_lock_threshold
    results = []
    for i in range(threshold + 2):
        async with client_at(api, f"198.51.100.{i + 1}") as client:
            results.append(codes(await staff_login(client, "admin01", "Wrong#guess00")))
    assert results == [["INVALID_CREDENTIALS"]] * threshold + [["ACCOUNT_LOCKED"]] * 2
    assert codes(await staff_login(api, "admin01")) == ["ACCOUNT_LOCKED"]
    records = audit_records(caplog, "staff_login")
    assert [r["outcome"] for r in records] == ["failure"] * threshold + ["locked"] * 3
    assert [r["ip"] for r in records] == [f"198.51.100.{i + 1}" for i in range(threshold + 2)] + ["203.0.113.10"]
    assert STAFF_PASSWORD not in caplog.text


# --- node(id:) authorization (IDOR) ----------------------------------------------------------------


async def test_node_is_authorized_per_object(api: Api) -> None:
    person_a = (await api.register())["person"]["id"]
    token_a = (await api.login())["token"]
    trail_a = (await trail(api, token_a))[0]["id"]
    person_b = (await api.register(id_number=VALID_ID_2, mobile="13800138002", name="李四"))["person"]["id"]
    token_b = (await api.login(id_number=VALID_ID_2))["token"]
    await create_staff("admin01", StaffRole.ADMIN)
    await create_staff("firm01", StaffRole.ENTERPRISE)
    admin = (await staff_login(api, "admin01"))["token"]
    firm = (await staff_login(api, "firm01"))["token"]

    async def node(global_id: str, token: str | None) -> dict[str, Any] | None:
        body = await api.gql(NODE, {"id": global_id}, token=token)
        assert "errors" not in body, body
        result: dict[str, Any] | None = body["data"]["node"]
        return result

    own = await node(person_a, token_a)
    assert own is not None and own["realName"] == "张三" and own["__typename"] == "Person"
    assert (await node(trail_a, token_a) or {}).get("action") == "REGISTER"
    assert await node(person_a, token_b) is None
    assert await node(trail_a, token_b) is None
    assert await node(person_a, None) is None
    assert await node(trail_a, None) is None
    assert await node(person_a, firm) is None
    staff_view = await node(person_a, admin)
    assert staff_view is not None and staff_view["idNumberMasked"] == "3604**********0071"
    assert (await node(trail_a, admin) or {}).get("action") == "REGISTER"

    body = await api.gql(NODES, {"ids": [person_a, person_b, trail_a]}, token=token_b)
    assert "errors" not in body
    assert body["data"]["nodes"] == [None, {"id": person_b}, None]

    trail_b = (await trail(api, token_b))[0]["id"]
    assert pk_of(trail_b) != pk_of(trail_a)
    assert await node(trail_b, token_a) is None


@pytest.mark.parametrize("global_id", ["bm9wZQ==", "not base64!", "UGVyc29uOmFiYw==", "Rm9vOjE=", ""])
async def test_malformed_node_ids_never_fail_the_server(api: Api, global_id: str) -> None:
    await api.signed_up()
    response = await api.post(NODE, {"id": global_id})
    assert response.status_code < 500
    body = response.json()
    assert body.get("data") is None or body["data"]["node"] is None
    for error in body.get("errors", []):
        assert error.get("extensions", {}).get("code") not in (None, "INTERNAL_SERVER_ERROR"), error
        assert "Traceback" not in error["message"]
