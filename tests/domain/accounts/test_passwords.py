"""Password policy (NIST 800-63B) and argon2id storage (SECURITY.md accounts, check 7)."""

from __future__ import annotations

import asyncio
import re

import pytest
from argon2 import PasswordHasher, Type

from domain.accounts import passwords
from domain.accounts.identifiers import ResidentId, parse_id_number
from domain.kernel.errors import DomainError, ErrorCode

RESIDENT = parse_id_number("360426199101010071")  # born 1991-01-01
RESIDENT_X = parse_id_number("11010519491231002X")  # born 1949-12-31
HASH_RE = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")


def assert_weak(password: str, resident: ResidentId | None = RESIDENT, field: str = "password") -> None:
    with pytest.raises(DomainError) as caught:
        passwords.check_password_policy(password, resident, field)
    assert caught.value.code is ErrorCode.WEAK_PASSWORD
    assert caught.value.field == field
    assert "密码" in caught.value.message


# --- policy -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Gongcheng#2026",
        "qz7!mkp2",  # exactly 8
        "correct horse battery staple",
        "建造师注册密码好记",  # non-ASCII counts by characters
        "x7" + "Lp9#" * 15 + "k2",  # 64 characters
        "Lp9#k2Qw" * 16,  # 128 characters
        "19910102-not-my-birthday",  # a date that is not the birth date
        "Tianjin120103",  # part of someone else's ID number is fine
    ],
)
def test_acceptable_passwords(password: str) -> None:
    passwords.check_password_policy(password, RESIDENT)


def test_lengths_at_the_limits() -> None:
    assert len("x7" + "Lp9#" * 15 + "k2") == 64
    assert_weak("qz7!mkp")  # 7 characters
    assert_weak("")
    assert_weak("Lp9#k2Qw" * 16 + "z")  # 129 characters: refused, never silently truncated


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "Password", "PASSWORD123", "password123", "woaini1314", "1qaz2wsx", "qwertyuiop",
     "P@ssw0rd", "iloveyou", "abcd1234", "Admin123", "yijianzao", "jianzaoshi"],
)  # fmt: skip
def test_common_passwords_are_refused_case_insensitively(password: str) -> None:
    assert_weak(password, None)


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaa", "zzzzzzzzzzzz", "abababab", "1212121212", "23456789", "abcdefghij", "ABCDEFGHI", "98765432",
     "zyxwvuts", "........"],
)  # fmt: skip
def test_trivial_runs_are_refused(password: str) -> None:
    assert_weak(password, None)


@pytest.mark.parametrize(
    ("password", "resident"),
    [
        ("360426199101010071", RESIDENT),  # the ID number itself
        ("Gc#360426199101010071", RESIDENT),
        ("mima010071!", RESIDENT),  # last 6 of the ID number
        ("Wo#19910101", RESIDENT),  # birth date YYYYMMDD
        ("19910101abc", RESIDENT),
        ("11010519491231002X", RESIDENT_X),
        ("11010519491231002xq", RESIDENT_X),  # lower-case check character
        ("mima31002x!", RESIDENT_X),  # last 6 with lower-case x
        ("MIMA31002X!", RESIDENT_X),
        ("born19491231!", RESIDENT_X),
    ],
)
def test_passwords_containing_identity_are_refused(password: str, resident: ResidentId) -> None:
    assert_weak(password, resident)


def test_identity_checks_need_the_resident() -> None:
    passwords.check_password_policy("Wo#19910101", None)  # no ID known (e.g. staff): only the generic rules
    assert_weak("Wo#19910101", RESIDENT)


def test_field_name_is_reported() -> None:
    assert_weak("short", RESIDENT, "newPassword")


# --- argon2id storage -----------------------------------------------------------------------------


async def test_hash_is_argon2id_at_or_above_the_floor() -> None:
    stored = await passwords.hash_password("Gongcheng#2026")
    match = HASH_RE.match(stored)
    assert match, stored
    memory_kib, time_cost, parallelism = (int(g) for g in match.groups())
    assert memory_kib >= 19 * 1024
    assert time_cost >= 2
    assert parallelism == 1
    assert "Gongcheng" not in stored


async def test_hashes_are_salted() -> None:
    first, second = await asyncio.gather(
        passwords.hash_password("Gongcheng#2026"), passwords.hash_password("Gongcheng#2026")
    )
    assert first != second
    assert await passwords.verify_password(first, "Gongcheng#2026")
    assert await passwords.verify_password(second, "Gongcheng#2026")


@pytest.mark.parametrize("length", [64, 128])
async def test_long_passwords_verify_without_truncation(length: int) -> None:
    password = ("Lp9#k2Qw" * 16)[:length]
    passwords.check_password_policy(password, RESIDENT)
    stored = await passwords.hash_password(password)
    assert await passwords.verify_password(stored, password)
    assert not await passwords.verify_password(stored, password[:-1])
    assert not await passwords.verify_password(stored, password[:-1] + "!")
    assert not await passwords.verify_password(stored, password + "x")


async def test_verify_rejects_wrong_and_unreadable_hashes() -> None:
    stored = await passwords.hash_password("Gongcheng#2026")
    assert not await passwords.verify_password(stored, "gongcheng#2026")
    assert not await passwords.verify_password(stored, "")
    assert not await passwords.verify_password("not-a-hash", "Gongcheng#2026")
    assert not await passwords.verify_password("", "Gongcheng#2026")
    assert not await passwords.verify_password(stored[:-10], "Gongcheng#2026")


async def test_needs_rehash_when_parameters_are_lower() -> None:
    current = await passwords.hash_password("Gongcheng#2026")
    assert not passwords.needs_rehash(current)
    weaker = [
        PasswordHasher(time_cost=1, memory_cost=19 * 1024, parallelism=1, type=Type.ID),
        PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1, type=Type.ID),
        PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.I),
    ]
    for hasher in weaker:
        old = hasher.hash("Gongcheng#2026")
        assert passwords.needs_rehash(old), old
        assert await passwords.verify_password(old, "Gongcheng#2026")  # still accepted, then upgraded at login


def test_dummy_hash_is_a_real_current_hash() -> None:
    dummy = passwords.dummy_hash()
    assert HASH_RE.match(dummy)
    assert not passwords.needs_rehash(dummy)


async def test_hashing_leaves_the_event_loop_free() -> None:
    """Hashes run in worker threads: the loop gets control back while they are being computed (a hash on the loop
    would finish before this coroutine ran again)."""
    hashing = asyncio.gather(*(passwords.hash_password(f"Gongcheng#{i}") for i in range(6)))
    await asyncio.sleep(0)
    assert not hashing.done()
    assert all(h.startswith("$argon2id$") for h in await hashing)
