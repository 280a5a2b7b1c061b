"""What a logged-in applicant changes about the account: profile, mobile, password, SMS codes."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from db.models import Person
from domain import audit, keys, passwords, ratelimit, sessions, sms, trail
from domain.context import Actor, Deps, RequestMeta
from domain.errors import DomainError, DomainErrors, ErrorCode
from domain.identity import mask_mobile, normalize_email, normalize_mobile, parse_id_number
from domain.profile_options import ETHNIC_GROUPS, Degree, Education

SCHOOL_MAX_LENGTH = 100
PASSWORD_CHANGE_TRIES = 5
PASSWORD_CHANGE_WINDOW_S = 15 * 60


@dataclass(frozen=True)
class ProfileChanges:
    """Fields of 完善个人基本信息; None leaves a field as it is."""

    ethnicity: str | None = None
    email: str | None = None
    education: Education | None = None
    degree: Degree | None = None
    school: str | None = None


def _clean_profile(changes: ProfileChanges) -> dict[str, str]:
    """Validated column values; every invalid field reported at once."""
    values: dict[str, str] = {}
    errors: list[DomainError] = []
    if changes.ethnicity is not None:
        if changes.ethnicity.strip() in ETHNIC_GROUPS:
            values["ethnicity"] = changes.ethnicity.strip()
        else:
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "ethnicity", "民族须为国家标准所列56个民族之一。"))
    if changes.email is not None:
        try:
            values["email"] = normalize_email(changes.email)
        except DomainError as exc:
            errors.append(exc)
    if changes.school is not None:
        school = " ".join(changes.school.split())
        if 2 <= len(school) <= SCHOOL_MAX_LENGTH and school.isprintable():
            values["school"] = school
        else:
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "school", "毕业院校名称应为2至100个字符。"))
    if changes.education is not None:
        values["education"] = changes.education.value
    if changes.degree is not None:
        values["degree"] = changes.degree.value
    if errors:
        raise DomainErrors(errors)
    return values


async def update_profile(actor: Actor, changes: ProfileChanges, meta: RequestMeta) -> Person:
    """Save the profile fields that were sent."""
    values = _clean_profile(changes)
    async with in_transaction():
        person = await Person.get(id=actor.id)
        if values:
            person.update_from_dict(values)
            await person.save(update_fields=list(values))
            labels = {
                "ethnicity": "民族",
                "email": "电子邮箱",
                "education": "学历",
                "degree": "学位",
                "school": "毕业院校",
            }
            changed = "、".join(labels[name] for name in values)
            await trail.append(actor.id, trail.TrailAction.PROFILE_UPDATED, f"修改个人基本信息：{changed}", meta)
    return person


async def request_sms_code(
    deps: Deps, actor: Actor, purpose: sms.SmsPurpose, mobile: str | None, meta: RequestMeta
) -> str:
    """Send a code: to the new number for a mobile change, to the account's number otherwise."""
    person = await Person.get(id=actor.id)
    if purpose is sms.SmsPurpose.CHANGE_MOBILE:
        if not mobile:
            raise DomainError(ErrorCode.INVALID_MOBILE, "mobile", "请填写新的手机号码。")
        target = normalize_mobile(mobile)
        if target == person.mobile:
            raise DomainError(ErrorCode.MOBILE_UNCHANGED, "mobile")
    else:
        target = person.mobile
    await sms.send_code(deps, purpose.value, target, meta)
    async with in_transaction():
        await trail.append(
            actor.id, trail.TrailAction.SMS_CODE_REQUESTED, f"获取短信验证码（{mask_mobile(target)}）", meta
        )
    return target


async def change_mobile(deps: Deps, actor: Actor, new_mobile: str, sms_code: str, meta: RequestMeta) -> Person:
    """Bind a new mobile after proving it receives the code; other sessions end."""
    target = normalize_mobile(new_mobile, "newMobile")
    await sms.verify_code(deps.redis, sms.SmsPurpose.CHANGE_MOBILE.value, target, sms_code)
    async with in_transaction():
        person = await Person.get(id=actor.id)
        old = person.mobile
        if old == target:
            raise DomainError(ErrorCode.MOBILE_UNCHANGED, "newMobile")
        person.mobile = target
        await person.save(update_fields=["mobile"])
        await sessions.revoke_others(actor.id, actor.session_id)
        await trail.append(
            actor.id,
            trail.TrailAction.MOBILE_CHANGED,
            f"更换手机号码：{mask_mobile(old)} → {mask_mobile(target)}",
            meta,
        )
    audit.auth_event("change_mobile", "success", f"person:{actor.id}", meta)
    return person


async def change_password(deps: Deps, actor: Actor, old: str, new: str, repeat: str, meta: RequestMeta) -> None:
    """Check the old password and the policy, store the new hash, end the other sessions."""
    person = await Person.get(id=actor.id)
    if new != repeat:
        raise DomainError(ErrorCode.PASSWORD_MISMATCH, "repeatPassword")
    passwords.check_password_policy(new, parse_id_number(keys.decrypt(person.id_number_cipher)), "newPassword")
    # A stolen session must not become an unlimited password-guessing oracle.
    if not await ratelimit.hit(deps.redis, f"pwchange:{actor.id}", PASSWORD_CHANGE_TRIES, PASSWORD_CHANGE_WINDOW_S):
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS)
    if not await passwords.verify_password(person.password_hash, old):
        audit.auth_event("change_password", "failure", f"person:{actor.id}", meta)
        raise DomainError(ErrorCode.WRONG_PASSWORD, "oldPassword")
    new_hash = await passwords.hash_password(new)
    async with in_transaction():
        await Person.filter(id=actor.id).update(password_hash=new_hash)
        ended = await sessions.revoke_others(actor.id, actor.session_id)
        await trail.append(actor.id, trail.TrailAction.PASSWORD_CHANGED, f"修改登录密码，结束其他会话{ended}个", meta)
    audit.auth_event("change_password", "success", f"person:{actor.id}", meta)
