"""Password policy (NIST 800-63B: length and blocklist, no composition rules) and argon2id hashing."""

from __future__ import annotations

import asyncio
import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from domain.accounts.identifiers import ResidentId
from domain.kernel import threads
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

MIN_LENGTH = 8
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("domain.accounts.data").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _is_trivial(password: str) -> bool:
    """One repeated character, or a run of consecutive digits/letters (12345678, abcdefgh)."""
    if len(set(password)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    return steps in ({1}, {-1})


def check_password_policy(password: str, resident: ResidentId | None, field: str = "password") -> None:
    """Refuse short, common, trivial passwords and ones containing the ID number or birth date."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise DomainError(ErrorCode.WEAK_PASSWORD, field)
    lowered = password.lower()
    if lowered in _common_passwords() or _is_trivial(password):
        raise DomainError(ErrorCode.WEAK_PASSWORD, field)
    if resident is not None:
        birth = resident.birth_date.strftime("%Y%m%d")
        fragments = (resident.number.lower(), resident.number[-6:].lower(), birth)
        if any(fragment in lowered for fragment in fragments):
            raise DomainError(ErrorCode.WEAK_PASSWORD, field)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        type=Type.ID,
    )


def hash_workers() -> int:
    """PASSWORD_HASH_CONCURRENCY, or as many as the cores: argon2 releases the GIL, so each worker can take a whole
    core, but at nice 10 (`threads.background_pool`) a worker sharing the event loop's core runs only in the time
    the loop leaves idle. One fewer than the cores (the earlier default) left that idle time unused: on 2 cores it
    halved login throughput under a storm for no gain in the dashboard's p99 (README, the login storm)."""
    configured = get_settings().password_hash_concurrency
    return configured if configured > 0 else max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """Hashes beyond the pool's size wait their turn in its queue (no event loop time spent meanwhile); the threads
    run at a lower priority, so the loop keeps its core even when the machine is busy."""
    return threads.background_pool(hash_workers(), "password-hash")


async def hash_password(password: str) -> str:
    """argon2id in the hash pool, so logins cannot starve the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), _hasher().hash, password)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored_hash: str, password: str) -> bool:
    """Constant-work verification in the hash pool; False for a wrong password or an unreadable hash."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), _verify, stored_hash, password)


def needs_rehash(stored_hash: str) -> bool:
    """True when the stored parameters are below the current ones (rehash on the next login)."""
    return _hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A real hash to verify against for unknown accounts, so both answers take the same time."""
    return _hasher().hash("unknown-account-placeholder")
