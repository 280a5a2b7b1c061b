"""Password recovery (找回密码): an SMS code to the account's bound mobile, then a new password that ends every
session. The request answers alike whether or not the account exists and the name matches (same payload, padded
to the same time); both steps are rate limited per client address and per ID number."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from db.models import Person
from domain.accounts import captcha, passwords, sessions, sms_codes
from domain.accounts.identifiers import mask_mobile, normalize_name, parse_id_number
from domain.accounts.registration import id_number_digest
from domain.kernel import audit, ratelimit
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step

HOUR_S = 3600
# From the account lookup on, a request is padded to this: sending a code (Redis, the outbox row, a trail entry)
# and sending nothing take the same time.
REQUEST_BOOKKEEPING_S = 0.15
# Checked against for an unknown account, so it costs the same Redis step as a known one; never a real number.
NO_MOBILE = "00000000000"
PURPOSE = sms_codes.SmsPurpose.RESET_PASSWORD.value


@dataclass(frozen=True)
class ResetRequest:
    """找回密码，第一步: who the account belongs to, and the captcha."""

    id_number: str
    real_name: str
    captcha_id: str
    captcha_answer: str


@dataclass(frozen=True)
class PasswordReset:
    """找回密码，第二步: the code sent to the bound mobile and the new password, twice."""

    id_number: str
    sms_code: str
    new_password: str
    repeat_password: str


async def _limit(redis: Redis, step: str, meta: RequestMeta, digest: str) -> None:
    """One attempt counted per client address and per ID number (known or not: the same for both)."""
    settings = get_settings()
    windows = (
        (f"pwreset:{step}:ip:{meta.ip}", settings.password_reset_ip_per_hour),
        (f"pwreset:{step}:id:{digest}", settings.password_reset_account_per_hour),
    )
    for key, limit in windows:
        if not await ratelimit.hit(redis, key, limit, HOUR_S):
            audit.auth_event(f"password_reset_{step}", "throttled", f"id:{digest[:12]}", meta)
            raise DomainError(ErrorCode.TOO_MANY_REQUESTS, retry_after_s=await ratelimit.retry_after(redis, key))


async def request_password_reset(deps: Deps, request: ResetRequest, meta: RequestMeta) -> int:
    """Send a code to the bound mobile when the ID number and name match an account; answer the same otherwise.
    Returns the seconds before another request may send again (the same for every account)."""
    try:
        await captcha.consume(deps.redis, request.captcha_id, request.captcha_answer)
    except DomainError:
        audit.auth_event("password_reset_request", "captcha_invalid", "anonymous", meta)
        raise
    number = parse_id_number(request.id_number).number
    name = normalize_name(request.real_name)
    digest = id_number_digest(number)
    await _limit(deps.redis, "request", meta, digest)
    started = time.perf_counter()
    person = await Person.get_or_none(id_number_digest=digest)
    outcome = "unknown_account" if person is None else "name_mismatch"
    if person is not None and person.real_name == name:
        outcome = await _send(deps, person, meta)
    audit.auth_event("password_reset_request", outcome, f"person:{person.id}" if person else f"id:{digest[:12]}", meta)
    await asyncio.sleep(max(0.0, REQUEST_BOOKKEEPING_S - (time.perf_counter() - started)))
    return get_settings().sms_resend_interval_s


async def _send(deps: Deps, person: Person, meta: RequestMeta) -> str:
    """The code to the bound mobile; a send limit is not told to the caller (it would tell the account exists)."""
    try:
        await sms_codes.send_code(deps, PURPOSE, person.mobile, meta)
    except DomainError as exc:
        return exc.code.value.lower()
    async with business_step(deps, meta) as step:
        description = f"找回密码：验证码已发送至{mask_mobile(person.mobile)}"
        await step.trail(person.id, TrailAction.PASSWORD_RESET_REQUESTED, description)
    return "sent"


async def reset_password(deps: Deps, reset: PasswordReset, meta: RequestMeta) -> None:
    """Check the code sent to the account's mobile, store the new password, end every session of the person."""
    resident = parse_id_number(reset.id_number)
    if reset.new_password != reset.repeat_password:
        raise DomainError(ErrorCode.PASSWORD_MISMATCH, "repeat_password")
    passwords.check_password_policy(reset.new_password, resident, "new_password")
    digest = id_number_digest(resident.number)
    await _limit(deps.redis, "reset", meta, digest)
    person = await Person.get_or_none(id_number_digest=digest)
    try:  # an unknown account is a wrong code: the same answer, after the same Redis step
        await sms_codes.verify_code(deps.redis, PURPOSE, person.mobile if person else NO_MOBILE, reset.sms_code)
    except DomainError:
        audit.auth_event("password_reset", "failure", f"person:{person.id}" if person else f"id:{digest[:12]}", meta)
        raise
    assert person is not None  # a code exists only for a real account's mobile
    new_hash = await passwords.hash_password(reset.new_password)
    async with business_step(deps, meta) as step:
        await Person.filter(id=person.id).update(password_hash=new_hash)
        ended = await sessions.revoke_others(person.id, None)
        await step.trail(person.id, TrailAction.PASSWORD_RESET, f"通过短信验证码重设登录密码，结束全部会话{ended}个")
    # The owner proved the mobile: a lockout from someone else's guesses no longer keeps them out.
    await deps.redis.delete(f"login:fail:{digest}", f"login:lock:{digest}")
    audit.auth_event("password_reset", "success", f"person:{person.id}", meta)
