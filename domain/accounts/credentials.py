"""Mobile and password changes of a logged-in applicant: proven by an SMS code or the old password; other
sessions end."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from db.models import Person
from domain.accounts import passwords, sessions, sms_codes
from domain.accounts.identifiers import mask_mobile, normalize_mobile, parse_id_number
from domain.kernel import audit, keys, ratelimit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import TrailAction, business_step

PASSWORD_CHANGE_TRIES = 5
PASSWORD_CHANGE_WINDOW_S = 15 * 60


@dataclass(frozen=True)
class MobileChange:
    """更换手机号码: the new number and the code sent to it."""

    new_mobile: str
    sms_code: str


@dataclass(frozen=True)
class PasswordChange:
    """修改密码: the current password and the new one, twice."""

    old_password: str
    new_password: str
    repeat_password: str


async def change_mobile(deps: Deps, actor: Actor, change: MobileChange, meta: RequestMeta) -> Person:
    """Bind a new mobile after proving it receives the code; other sessions end. A number bound to someone else is
    MOBILE_TAKEN, told only after the code (to whoever holds the phone); the unique index settles a race."""
    target = normalize_mobile(change.new_mobile, "new_mobile")
    await sms_codes.verify_code(deps.redis, sms_codes.SmsPurpose.CHANGE_MOBILE.value, target, change.sms_code)
    try:
        async with business_step(deps, meta) as step:
            person = await Person.get(id=actor.id)
            old = person.mobile
            if old == target:
                raise DomainError(ErrorCode.MOBILE_UNCHANGED, "new_mobile")
            person.mobile = target
            await person.save(update_fields=["mobile"])
            await sessions.revoke_others(actor.id, actor.session_id)
            await step.trail(
                actor.id,
                TrailAction.MOBILE_CHANGED,
                f"更换手机号码：{mask_mobile(old)} → {mask_mobile(target)}",
            )
    except IntegrityError as exc:
        audit.auth_event("change_mobile", "mobile_taken", f"person:{actor.id}", meta)
        raise DomainError(ErrorCode.MOBILE_TAKEN, "new_mobile", "该手机号码已绑定其他账号，请使用其他号码。") from exc
    audit.auth_event("change_mobile", "success", f"person:{actor.id}", meta)
    return person


async def change_password(deps: Deps, actor: Actor, change: PasswordChange, meta: RequestMeta) -> None:
    """Check the old password and the policy, store the new hash, end the other sessions."""
    person = await Person.get(id=actor.id)
    new = change.new_password
    if new != change.repeat_password:
        raise DomainError(ErrorCode.PASSWORD_MISMATCH, "repeat_password")
    passwords.check_password_policy(new, parse_id_number(keys.decrypt(person.id_number_cipher)), "new_password")
    # A stolen session must not become an unlimited password-guessing oracle.
    window = f"pwchange:{actor.id}"
    if not await ratelimit.hit(deps.redis, window, PASSWORD_CHANGE_TRIES, PASSWORD_CHANGE_WINDOW_S):
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS, retry_after_s=await ratelimit.retry_after(deps.redis, window))
    if not await passwords.verify_password(person.password_hash, change.old_password):
        audit.auth_event("change_password", "failure", f"person:{actor.id}", meta)
        raise DomainError(ErrorCode.WRONG_PASSWORD, "old_password")
    new_hash = await passwords.hash_password(new)
    async with business_step(deps, meta) as step:
        await Person.filter(id=actor.id).update(password_hash=new_hash)
        ended = await sessions.revoke_others(actor.id, actor.session_id)
        await step.trail(actor.id, TrailAction.PASSWORD_CHANGED, f"修改登录密码，结束其他会话{ended}个")
    audit.auth_event("change_password", "success", f"person:{actor.id}", meta)
