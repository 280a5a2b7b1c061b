"""SMS verification codes (ASVS 6.6): CSPRNG, hashed, short-lived, single use, bound to purpose and mobile."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from redis.asyncio import Redis

from db.models import Person
from domain.accounts.identifiers import mask_mobile, normalize_mobile
from domain.kernel import clock, keys, ratelimit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings
from domain.kernel.unit_of_work import unit_of_work
from domain.trail import TrailAction, business_step

CODE_DIGITS = 6
DAY_S = 24 * 3600


class SmsPurpose(str, Enum):
    """What a code may be used for; a code for one purpose never works for another."""

    CHANGE_MOBILE = "CHANGE_MOBILE"
    # One purpose per kind of filing (注册申报): a code asked for one kind never files another.
    FILING_INITIAL = "FILING_INITIAL"
    FILING_CHANGE = "FILING_CHANGE"
    FILING_ADD_SPECIALTY = "FILING_ADD_SPECIALTY"
    FILING_RENEWAL = "FILING_RENEWAL"
    FILING_CANCELLATION = "FILING_CANCELLATION"
    FILING_REREGISTRATION = "FILING_REREGISTRATION"
    FILING_CERTIFICATE_REPLACEMENT = "FILING_CERTIFICATE_REPLACEMENT"
    FILING_PERSONAL_INFO_CHANGE = "FILING_PERSONAL_INFO_CHANGE"
    RESET_PASSWORD = "RESET_PASSWORD"  # noqa: S105 (a purpose, not a secret)
    REGISTER = "REGISTER"


@dataclass(frozen=True)
class SmsCodeRequest:
    """获取短信验证码: what the code is for, and the new number when changing the mobile."""

    purpose: SmsPurpose
    mobile: str | None = None


MESSAGE_TEMPLATES = {
    SmsPurpose.CHANGE_MOBILE: (
        "【一级建造师注册】您正在更换绑定手机号，验证码{code}，{minutes}分钟内有效。如非本人操作请忽略。"
    ),
    **{
        SmsPurpose(f"FILING_{kind}"): (
            f"【一级建造师注册】您正在提交{label}申报，验证码{{code}}，{{minutes}}分钟内有效。请勿告知他人。"
        )
        for kind, label in (
            ("INITIAL", "初始注册"),
            ("CHANGE", "变更注册"),
            ("ADD_SPECIALTY", "增项注册"),
            ("RENEWAL", "延续注册"),
            ("CANCELLATION", "注销注册"),
            ("REREGISTRATION", "重新注册"),
            ("CERTIFICATE_REPLACEMENT", "证书更换"),
            ("PERSONAL_INFO_CHANGE", "个人信息修改"),
        )
    },
    SmsPurpose.RESET_PASSWORD: (
        "【一级建造师注册】您正在找回登录密码，验证码{code}，{minutes}分钟内有效。如非本人操作请忽略并勿告知他人。"
    ),
    SmsPurpose.REGISTER: (
        "【一级建造师注册】您正在用本手机号码注册账号，验证码{code}，{minutes}分钟内有效。如非本人操作请忽略并勿告知他人。"
    ),
}


def _code_key(purpose: str, mobile: str) -> str:
    return f"sms:code:{purpose}:{mobile}"


def _digest(purpose: str, mobile: str, code: str) -> str:
    return keys.keyed_digest("sms-code", f"{purpose}|{mobile}|{code}")


def _limit_pool(purpose: str) -> str:
    """Registration codes are asked for anonymously (a captcha, no account): they count against limits of their own,
    so that a stranger cannot use up a person's interval and daily cap for the codes they need signed in."""
    return "register:" if purpose == SmsPurpose.REGISTER else ""


async def _check_send_limits(redis: Redis, mobile: str, meta: RequestMeta, pool: str = "") -> None:
    """Claim the resend interval, count one send per mobile and per IP; a refused request uses up nothing."""
    settings = get_settings()
    day = clock.business_date().strftime("%Y%m%d")
    interval_key = f"sms:interval:{pool}{mobile}"
    if not await redis.set(interval_key, "1", ex=settings.sms_resend_interval_s, nx=True):
        raise DomainError(ErrorCode.SMS_TOO_SOON, retry_after_s=await ratelimit.seconds_left(redis, interval_key))
    caps = (
        (f"sms:day:{day}:m:{pool}{mobile}", settings.sms_daily_cap_per_mobile),
        (f"sms:day:{day}:ip:{meta.ip}", settings.sms_daily_cap_per_ip),
    )
    counted: list[str] = []
    for key, cap in caps:
        counted.append(key)
        if not await ratelimit.hit(redis, key, cap, DAY_S):
            for key_to_undo in counted:  # nothing is sent, so neither the number nor the IP pays for it
                await ratelimit.undo(redis, key_to_undo)
            await redis.delete(interval_key)
            raise DomainError(ErrorCode.SMS_DAILY_LIMIT, retry_after_s=_seconds_to_next_business_day())


def _seconds_to_next_business_day() -> int:
    """The daily caps are counted per business day (Asia/Shanghai): they start over at its midnight."""
    local = clock.now().astimezone(clock.BUSINESS_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=clock.BUSINESS_TZ)
    return int((midnight - local).total_seconds()) + 1


async def send_code(deps: Deps, purpose: str, mobile: str, meta: RequestMeta) -> None:
    """Issue a new code (replacing any earlier one) and queue the message through the outbox."""
    settings = get_settings()
    await _check_send_limits(deps.redis, mobile, meta, _limit_pool(purpose))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    ttl_s = settings.sms_code_ttl_s
    key = _code_key(purpose, mobile)
    async with deps.redis.pipeline(transaction=True) as pipe:
        pipe.delete(key)
        pipe.hset(
            key,
            mapping={
                "digest": _digest(purpose, mobile, code),
                "tries": 0,
                "expires_at": f"{clock.timestamp() + ttl_s:.3f}",
            },
        )
        pipe.expire(key, ttl_s)
        await pipe.execute()
    base_purpose = purpose.split(":", 1)[0]
    text = MESSAGE_TEMPLATES[SmsPurpose(base_purpose)].format(code=code, minutes=ttl_s // 60)
    async with unit_of_work(deps) as work:
        await work.enqueue(Job.SEND_SMS, {"mobile": mobile, "text": keys.encrypt(text)})


# One atomic step per guess (SECURITY check 26): expiry, the try counter, the comparison and the deletion happen
# inside Redis, so concurrent requests can neither compare more than `max` guesses nor both succeed, and no key is
# ever (re)created without its expiry. At the limit the digest is dropped: the code is dead, and the hash keeps only
# its `tries` (and its expiry) so the number of compared guesses stays visible until the code would have expired.
# The comparison is of keyed digests: the time it takes tells nothing about the code.
# KEYS[1] the code; ARGV: candidate digest, max tries, now (unix seconds). Returns 1 = accepted, 0 = refused.
_VERIFY_SCRIPT = """
local stored = redis.call('HMGET', KEYS[1], 'digest', 'expires_at')
if not stored[1] then return 0 end
if not stored[2] or tonumber(stored[2]) == nil or tonumber(stored[2]) <= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  return 0
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if stored[1] == ARGV[1] and tries <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 1
end
if tries >= tonumber(ARGV[2]) then
  redis.call('HDEL', KEYS[1], 'digest', 'expires_at')
end
return 0
"""


async def verify_code(redis: Redis, purpose: str, mobile: str, code: str, field: str = "sms_code") -> None:
    """Accept a code once; wrong guesses count, and the code dies at the limit or at expiry (one atomic step)."""
    candidate = _digest(purpose, mobile, code.strip()[: CODE_DIGITS * 2])
    limit = str(get_settings().sms_max_wrong_tries)
    now = f"{clock.timestamp():.3f}"
    accepted = await redis.eval(_VERIFY_SCRIPT, 1, _code_key(purpose, mobile), candidate, limit, now)  # type: ignore[misc]
    if accepted != 1:
        raise DomainError(ErrorCode.SMS_CODE_INVALID, field)


# A filing checks its code first and uses it up only when the filing is accepted (a refused filing leaves the code
# for the corrected one). The check counts a wrong guess exactly as `verify_code` does, so checking never buys an
# attacker extra guesses; a right code is not counted. KEYS[1] the code; ARGV: digest, max tries, now. 1 = right.
_CHECK_SCRIPT = """
local stored = redis.call('HMGET', KEYS[1], 'digest', 'expires_at', 'tries')
if not stored[1] then return 0 end
if not stored[2] or tonumber(stored[2]) == nil or tonumber(stored[2]) <= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  return 0
end
if stored[1] == ARGV[1] and (tonumber(stored[3]) or 0) < tonumber(ARGV[2]) then return 1 end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries >= tonumber(ARGV[2]) then
  redis.call('HDEL', KEYS[1], 'digest', 'expires_at')
end
return 0
"""
# Use up a checked code: deleted only if it is still the same live code (one of two racing filings wins).
_CONSUME_SCRIPT = """
local stored = redis.call('HMGET', KEYS[1], 'digest', 'expires_at')
if not stored[1] or not stored[2] or tonumber(stored[2]) == nil then return 0 end
if tonumber(stored[2]) <= tonumber(ARGV[2]) or stored[1] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
"""


async def check_code(redis: Redis, purpose: str, mobile: str, code: str, field: str = "sms_code") -> None:
    """Check a code without using it up (a wrong guess counts, as in `verify_code`)."""
    candidate = _digest(purpose, mobile, code.strip()[: CODE_DIGITS * 2])
    limit = str(get_settings().sms_max_wrong_tries)
    now = f"{clock.timestamp():.3f}"
    right = await redis.eval(_CHECK_SCRIPT, 1, _code_key(purpose, mobile), candidate, limit, now)  # type: ignore[misc]
    if right != 1:
        raise DomainError(ErrorCode.SMS_CODE_INVALID, field)


async def consume_code(redis: Redis, purpose: str, mobile: str, code: str, field: str = "sms_code") -> None:
    """Use up a code that `check_code` accepted; SMS_CODE_INVALID when it was used (or replaced) meanwhile."""
    candidate = _digest(purpose, mobile, code.strip()[: CODE_DIGITS * 2])
    now = f"{clock.timestamp():.3f}"
    used = await redis.eval(_CONSUME_SCRIPT, 1, _code_key(purpose, mobile), candidate, now)  # type: ignore[misc]
    if used != 1:
        raise DomainError(ErrorCode.SMS_CODE_INVALID, field)


async def request_sms_code(deps: Deps, actor: Actor, request: SmsCodeRequest, meta: RequestMeta) -> str:
    """Send a code: to the new number for a mobile change, to the account's number otherwise."""
    person = await Person.get(id=actor.id)
    purpose = request.purpose
    if purpose is SmsPurpose.RESET_PASSWORD:  # only through requestPasswordReset (captcha, name check, limits)
        raise DomainError(ErrorCode.INVALID_INPUT, "purpose", "找回密码的验证码请在找回密码页面获取。")
    if purpose is SmsPurpose.REGISTER:  # only through requestRegistrationCode (captcha, limits)
        raise DomainError(ErrorCode.INVALID_INPUT, "purpose", "注册验证码请在注册页面获取。")
    if purpose is SmsPurpose.CHANGE_MOBILE:
        if not request.mobile:
            raise DomainError(ErrorCode.INVALID_MOBILE, "mobile", "请填写新的手机号码。")
        target = normalize_mobile(request.mobile)
        if target == person.mobile:
            raise DomainError(ErrorCode.MOBILE_UNCHANGED, "mobile")
    else:
        target = person.mobile
    await send_code(deps, purpose.value, target, meta)
    async with business_step(deps, meta) as step:
        await step.trail(actor.id, TrailAction.SMS_CODE_REQUESTED, f"获取短信验证码（{mask_mobile(target)}）")
    return target
