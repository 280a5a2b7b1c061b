"""Self-registration of an applicant (用户注册): the mobile is proven by an SMS code before the account exists.

Step 1, `request_code`: a solved image captcha, then an SMS code (purpose REGISTER) to the number typed. Nothing is
looked up: the answer is the same whether or not the number is already bound (no oracle), and the limits (per
client address and per mobile per hour, plus the SMS resend interval and daily caps) count every number alike.
Step 2, `register`: the fields, then the code (one atomic Redis step, bound to purpose and mobile), then the account
and its first session. Only someone holding the phone learns, here, that the number is taken (MOBILE_TAKEN); the
captcha was solved in step 1, so registering asks for none (no two captchas in a row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from tortoise.exceptions import IntegrityError

from db.models import Person
from domain.accounts import captcha, passwords, sessions, sms_codes
from domain.accounts.identifiers import ResidentId, mask_mobile, normalize_mobile, normalize_name, parse_id_number
from domain.kernel import audit, keys, ratelimit
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step

ID_DIGEST_PURPOSE = "id-number"
PURPOSE = sms_codes.SmsPurpose.REGISTER.value
HOUR_S = 3600
SMS_CODE_MAX_LENGTH = 12


@dataclass(frozen=True)
class RegistrationCodeRequest:
    """注册第一步：获取短信验证码 — the number to prove, and the image captcha."""

    mobile: str
    captcha_id: str
    captcha_answer: str


@dataclass(frozen=True)
class RegistrationForm:
    """What the registration page sends: the person, the password and the code sent to the mobile."""

    real_name: str
    id_number: str
    mobile: str
    password: str
    sms_code: str


@dataclass(frozen=True)
class NewAccount:
    """A checked registration, ready to be written: the code has been accepted and the password hashed."""

    real_name: str
    resident: ResidentId
    mobile: str
    password_hash: str


def id_number_digest(number: str) -> str:
    """The keyed digest that looks an ID number up without storing it in clear."""
    return keys.keyed_digest(ID_DIGEST_PURPOSE, number)


def id_number_columns(resident: ResidentId) -> dict[str, Any]:
    """A person's identity columns from a checked ID number: looked up by digest, stored encrypted, shown masked."""
    return {
        "id_number_digest": id_number_digest(resident.number),
        "id_number_cipher": keys.encrypt(resident.number),
        "id_number_masked": resident.masked,
        "birth_date": resident.birth_date,
        "gender": resident.gender,
    }


async def _limit(redis: Redis, windows: tuple[tuple[str, int], ...], meta: RequestMeta, event: str) -> None:
    """One attempt counted in each hourly window; the first one over its limit refuses with the real wait."""
    for key, limit in windows:
        if not await ratelimit.hit(redis, key, limit, HOUR_S):
            audit.auth_event(event, "throttled", "anonymous", meta)
            raise DomainError(ErrorCode.TOO_MANY_REQUESTS, retry_after_s=await ratelimit.retry_after(redis, key))


async def request_code(deps: Deps, request: RegistrationCodeRequest, meta: RequestMeta) -> int:
    """Send a registration code to the number (bound or not: the same answer, the same work). Returns the seconds
    before another code may be sent to it."""
    try:
        await captcha.consume(deps.redis, request.captcha_id, request.captcha_answer)
    except DomainError:
        audit.auth_event("registration_code", "captcha_invalid", "anonymous", meta)
        raise
    mobile = normalize_mobile(request.mobile)
    settings = get_settings()
    windows = (
        (f"register:code:ip:{meta.ip}", settings.registration_ip_per_hour),
        (f"register:code:m:{mobile}", settings.registration_mobile_per_hour),
    )
    await _limit(deps.redis, windows, meta, "registration_code")
    try:
        await sms_codes.send_code(deps, PURPOSE, mobile, meta)
    except DomainError as exc:
        audit.auth_event("registration_code", exc.code.value.lower(), f"mobile:{mask_mobile(mobile)}", meta)
        raise
    audit.auth_event("registration_code", "sent", f"mobile:{mask_mobile(mobile)}", meta)
    return settings.sms_resend_interval_s


def _validate(form: RegistrationForm) -> tuple[str, ResidentId, str]:
    """Check every field and report all problems at once (before the code is tried, so a typo does not burn it)."""
    errors: list[DomainError] = []
    name = resident = mobile = None
    try:
        name = normalize_name(form.real_name)
    except DomainError as exc:
        errors.append(exc)
    try:
        resident = parse_id_number(form.id_number)
    except DomainError as exc:
        errors.append(exc)
    try:
        mobile = normalize_mobile(form.mobile)
    except DomainError as exc:
        errors.append(exc)
    try:
        passwords.check_password_policy(form.password, resident)
    except DomainError as exc:
        errors.append(exc)
    code = form.sms_code.strip()
    if not code.isascii() or not code.isdigit() or len(code) > SMS_CODE_MAX_LENGTH:
        errors.append(DomainError(ErrorCode.SMS_CODE_INVALID, "sms_code", "请填写发送到该手机号码的6位短信验证码。"))
    if errors or name is None or resident is None or mobile is None:
        raise DomainErrors(errors)
    return name, resident, mobile


async def register(deps: Deps, form: RegistrationForm, meta: RequestMeta) -> tuple[str, Person]:
    """Check the fields and the code sent to the mobile, then create the account and open its first session.
    Returns the one-time token and the person."""
    name, resident, mobile = _validate(form)
    ip_window = (f"register:submit:ip:{meta.ip}", get_settings().registration_ip_per_hour)
    await _limit(deps.redis, (ip_window,), meta, "register")
    try:
        await sms_codes.verify_code(deps.redis, PURPOSE, mobile, form.sms_code)
    except DomainError:
        audit.auth_event("register", "sms_code_invalid", f"mobile:{mask_mobile(mobile)}", meta)
        raise
    password_hash = await passwords.hash_password(form.password)  # only after the code: no free argon2 for anyone
    return await create_account(deps, NewAccount(name, resident, mobile, password_hash), meta)


async def create_account(deps: Deps, account: NewAccount, meta: RequestMeta) -> tuple[str, Person]:
    """Write the person, their first session and the REGISTER trail entry in one step. The unique indexes decide
    between concurrent registrations: the loser's IntegrityError becomes REGISTRATION_REFUSED (the ID number) and/or
    MOBILE_TAKEN (the mobile), never a 500."""
    mobile = account.mobile
    try:
        async with business_step(deps, meta) as step:
            person = await Person.create(
                real_name=account.real_name,
                mobile=mobile,
                password_hash=account.password_hash,
                **id_number_columns(account.resident),
            )
            issued = await sessions.open_session(meta, person=person)
            await step.trail(person.id, TrailAction.REGISTER, f"注册账号，绑定手机{mask_mobile(mobile)}，并已登录")
    except IntegrityError as exc:
        errors = await _conflicts(account.resident, mobile)
        audit.auth_event("register", "refused", account.resident.masked, meta, reasons=_codes(errors))
        raise DomainErrors(errors) from exc
    audit.auth_event("register", "success", f"person:{person.id}", meta)
    audit.auth_event("login", "success", f"person:{person.id}", meta, via="register")
    return issued.token, person


async def _conflicts(resident: ResidentId, mobile: str) -> list[DomainError]:
    """What the insert collided with, read after the rollback (the winner's row is committed by then)."""
    errors = []
    if await Person.exists(id_number_digest=id_number_digest(resident.number)):
        errors.append(DomainError(ErrorCode.REGISTRATION_REFUSED, "id_number"))
    if await Person.exists(mobile=mobile):
        errors.append(DomainError(ErrorCode.MOBILE_TAKEN, "mobile"))
    return errors or [DomainError(ErrorCode.CONFLICT)]


def _codes(errors: list[DomainError]) -> str:
    return ",".join(error.code.value for error in errors)
