"""Login for applicants and staff (ASVS 6.3): captcha, per-IP throttle, per-account lockout, equal answers."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from db.models import Person, StaffUser
from domain.accounts import captcha, passwords, sessions
from domain.accounts.identifiers import parse_id_number
from domain.accounts.registration import id_number_digest
from domain.kernel import audit, keys, ratelimit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode, wait_text
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step

FAILURE_MEMORY_S = 24 * 3600
MAX_LOCK_S = 24 * 3600
# The bookkeeping after a wrong password (a trail entry only when the account exists) is padded to this, so known
# and unknown accounts answer in the same time (SECURITY check 3); the hash itself is equalised by a dummy hash.
FAILURE_BOOKKEEPING_S = 0.04
# The same for a refused attempt (locked account, throttled address): from the account lookup on, padded to this.
REFUSAL_BOOKKEEPING_S = 0.025


@dataclass(frozen=True)
class Credentials:
    """A login form: the account name (ID number or staff username), password and captcha."""

    account: str
    password: str
    captcha_id: str
    captcha_answer: str


def lock_seconds(failures: int) -> int:
    """Back-off after every `threshold` failures: 1, 2, 4 … minutes, a day once the hard cap is reached."""
    settings = get_settings()
    if failures >= settings.login_max_failures:
        return MAX_LOCK_S
    if failures < settings.login_lock_threshold or failures % settings.login_lock_threshold:
        return 0
    step = failures // settings.login_lock_threshold - 1
    return int(min(60 * 2**step, MAX_LOCK_S))


async def _gate(redis: Redis, account_key: str, meta: RequestMeta) -> None:
    """Refuse before any password work when the IP is throttled or the account is locked."""
    ip_window = f"login:ip:{meta.ip}"
    if not await ratelimit.hit(redis, ip_window, get_settings().login_ip_per_minute, 60):
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS, retry_after_s=await ratelimit.retry_after(redis, ip_window))
    lock_ms = int(await redis.pttl(f"login:lock:{account_key}"))
    if lock_ms != -2:  # -2: no lock (every lock is set with its expiry)
        raise DomainError(ErrorCode.ACCOUNT_LOCKED, retry_after_s=-(-lock_ms // 1000) if lock_ms > 0 else None)


async def _record_failure(redis: Redis, account_key: str) -> tuple[int, int]:
    """Count a failure; lock when the count calls for it. Returns (failures, lock seconds or 0)."""
    failures = int(await redis.incr(f"login:fail:{account_key}"))
    await redis.expire(f"login:fail:{account_key}", FAILURE_MEMORY_S)
    lock_s = lock_seconds(failures)
    if lock_s:  # INCR hands each count to one request: one lock, and one trail entry, per episode
        await redis.set(f"login:lock:{account_key}", str(failures), ex=lock_s)
    return failures, lock_s


async def _check_secret(stored_hash: str | None, password: str) -> bool:
    """Verify against the real hash or a dummy one, so unknown accounts cost the same time."""
    ok = await passwords.verify_password(stored_hash or passwords.dummy_hash(), password)
    return ok and stored_hash is not None


async def _consume_captcha(deps: Deps, creds: Credentials, event: str, meta: RequestMeta) -> None:
    """A wrong captcha is a login attempt too: logged (without the account, which is not yet checked)."""
    try:
        await captcha.consume(deps.redis, creds.captcha_id, creds.captcha_answer)
    except DomainError:
        audit.auth_event(event, "captcha_invalid", "anonymous", meta)
        raise


def _staff_actor(username: str, staff: StaffUser | None) -> str:
    """Known staff by id; an unknown name only as a digest (people type passwords into the wrong box)."""
    return f"staff:{staff.id}" if staff else f"unknown-staff:{keys.keyed_digest('staff-name', username)[:12]}"


async def login_person(deps: Deps, creds: Credentials, meta: RequestMeta) -> tuple[str, Person]:
    """Check the credentials and open a session; returns the one-time token and the person."""
    await _consume_captcha(deps, creds, "login", meta)
    number = parse_id_number(creds.account).number
    digest = id_number_digest(number)
    # Looked up before the gate, for every attempt, and padded with a refusal's bookkeeping: a refused attempt
    # then takes the same time for known and unknown accounts.
    looked_up = time.perf_counter()
    person = await Person.get_or_none(id_number_digest=digest)
    try:
        await _gate(deps.redis, digest, meta)
    except DomainError as exc:
        await _log_refusal(deps, person, digest, exc, meta)
        await asyncio.sleep(max(0.0, REFUSAL_BOOKKEEPING_S - (time.perf_counter() - looked_up)))
        raise
    if not await _check_secret(person.password_hash if person else None, creds.password):
        settled = time.perf_counter()
        failures, lock_s = await _record_failure(deps.redis, digest)
        await _log_failure(deps, person, digest, (failures, lock_s), meta)
        await asyncio.sleep(max(0.0, FAILURE_BOOKKEEPING_S - (time.perf_counter() - settled)))
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "password")
    assert person is not None
    await deps.redis.delete(f"login:fail:{digest}")
    async with business_step(deps, meta) as step:
        if passwords.needs_rehash(person.password_hash):
            person.password_hash = await passwords.hash_password(creds.password)
            await person.save(update_fields=["password_hash"])
        issued = await sessions.open_session(meta, person=person)
        await step.trail(person.id, TrailAction.LOGIN_SUCCEEDED, "登录成功")
    audit.auth_event("login", "success", f"person:{person.id}", meta)
    return issued.token, person


def _person_actor(person: Person | None, digest: str) -> str:
    return f"person:{person.id}" if person else f"unknown:{digest[:12]}"


async def _log_failure(
    deps: Deps, person: Person | None, digest: str, counted: tuple[int, int], meta: RequestMeta
) -> None:
    """A wrong password: audited; on a known account a trail entry, and one more when it locks the account."""
    audit.auth_event("login", "failure", _person_actor(person, digest), meta)
    if person is None:
        return
    failures, lock_s = counted
    async with business_step(deps, meta) as step:
        await step.trail(person.id, TrailAction.LOGIN_FAILED, "登录失败：密码错误")
        if lock_s:
            description = f"账号已临时锁定：连续登录失败{failures}次，{wait_text(lock_s)}内拒绝登录"
            await step.trail(person.id, TrailAction.LOGIN_LOCKED, description)


async def _log_refusal(deps: Deps, person: Person | None, digest: str, error: DomainError, meta: RequestMeta) -> None:
    """A refused attempt: audited. A lock was put in the trail when it started; a throttled address gets one
    entry per window. Redis work is the same for known and unknown accounts, and the whole is padded, so the
    answer takes the same time for both (SECURITY check 3, for refusals: the caller pads)."""
    locked = error.code is ErrorCode.ACCOUNT_LOCKED
    audit.auth_event("login", "locked" if locked else "throttled", _person_actor(person, digest), meta)
    if not locked:
        flag = f"login:throttled:{digest}:{meta.ip}"
        first = await deps.redis.set(flag, "1", ex=error.retry_after_s or 60, nx=True)
        if first and person is not None:
            async with business_step(deps, meta) as step:
                await step.trail(person.id, TrailAction.LOGIN_LOCKED, "登录被拒绝：请求过于频繁")


async def login_staff(deps: Deps, creds: Credentials, meta: RequestMeta) -> tuple[str, StaffUser]:
    """Staff login: the same protections, keyed by username."""
    await _consume_captcha(deps, creds, "staff_login", meta)
    username = creds.account.strip()[:50]
    account_key = f"staff:{username.lower()}"
    staff = await StaffUser.get_or_none(username=username, active=True)
    try:
        await _gate(deps.redis, account_key, meta)
    except DomainError as exc:
        outcome = "locked" if exc.code is ErrorCode.ACCOUNT_LOCKED else "throttled"
        audit.auth_event("staff_login", outcome, _staff_actor(username, staff), meta)
        raise
    if not await _check_secret(staff.password_hash if staff else None, creds.password):
        await _record_failure(deps.redis, account_key)
        audit.auth_event("staff_login", "failure", _staff_actor(username, staff), meta)
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "password")
    assert staff is not None
    await deps.redis.delete(f"login:fail:{account_key}")
    issued = await sessions.open_session(meta, staff=staff)
    audit.auth_event("staff_login", "success", f"staff:{staff.id}", meta)
    return issued.token, staff


async def logout(deps: Deps, actor: Actor, meta: RequestMeta) -> None:
    """End the caller's session on the server."""
    async with business_step(deps, meta) as step:
        await sessions.revoke(actor.session_id)
        if actor.is_person:
            await step.trail(actor.id, TrailAction.LOGOUT, "退出登录")
    audit.auth_event("logout", "success", f"{actor.kind.value.lower()}:{actor.id}", meta)
