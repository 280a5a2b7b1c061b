"""Self-registration of an applicant (用户注册)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from db.models import Person
from domain.accounts import captcha, passwords, sessions
from domain.accounts.identifiers import ResidentId, mask_mobile, normalize_mobile, normalize_name, parse_id_number
from domain.kernel import audit, keys
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from domain.trail import TrailAction, business_step

ID_DIGEST_PURPOSE = "id-number"


@dataclass(frozen=True)
class RegistrationForm:
    """What the registration page sends."""

    real_name: str
    id_number: str
    mobile: str
    password: str
    captcha_id: str
    captcha_answer: str


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


def _validate(form: RegistrationForm) -> tuple[str, ResidentId, str]:
    """Check every field and report all problems at once."""
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
    if errors or name is None or resident is None or mobile is None:
        raise DomainErrors(errors)
    return name, resident, mobile


async def register(deps: Deps, form: RegistrationForm, meta: RequestMeta) -> tuple[str, Person]:
    """Create the account and open its first session in the same step (no second captcha straight after); a taken
    ID number is refused without saying more than needed. Returns the one-time token and the person."""
    await captcha.consume(deps.redis, form.captcha_id, form.captcha_answer)
    name, resident, mobile = _validate(form)
    password_hash = await passwords.hash_password(form.password)
    try:
        async with business_step(deps, meta) as step:
            person = await Person.create(
                real_name=name, mobile=mobile, password_hash=password_hash, **id_number_columns(resident)
            )
            issued = await sessions.open_session(meta, person=person)
            await step.trail(person.id, TrailAction.REGISTER, f"注册账号，绑定手机{mask_mobile(mobile)}，并已登录")
    except IntegrityError as exc:
        audit.auth_event("register", "refused", resident.masked, meta)
        raise DomainError(ErrorCode.REGISTRATION_REFUSED, "id_number") from exc
    audit.auth_event("register", "success", f"person:{person.id}", meta)
    audit.auth_event("login", "success", f"person:{person.id}", meta, via="register")
    return issued.token, person
