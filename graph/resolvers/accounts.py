"""Accounts: captcha, register, login/logout, profile, SMS codes, mobile and password changes."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from db.models import Person as PersonRow
from db.models import StaffUser as StaffRow
from domain import account_settings, captcha, login, registration, sessions
from domain.context import Actor
from domain.errors import DomainError, ErrorCode
from domain.identity import mask_mobile
from graph.context import CSRF_COOKIE, Context
from graph.errors import AuthError, as_payload
from graph.schema import account_inputs as inputs
from graph.schema.accounts import Captcha, Person, StaffUser


def require_person(info: Info[Context, Any]) -> Actor:
    """The logged-in applicant, or a top-level UNAUTHENTICATED error."""
    actor = info.context.actor
    if actor is None or not actor.is_person:
        raise AuthError(ErrorCode.UNAUTHENTICATED)
    return actor


def _set_session_cookies(context: Context, token: str) -> None:
    """HttpOnly session cookie plus a readable CSRF cookie for the SPA to echo in a header."""
    if context.response is None:
        return
    settings = context.settings
    secure = settings.app_env == "prod"
    context.response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.session_absolute_s,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
    context.response.set_cookie(
        CSRF_COOKIE,
        sessions.csrf_token(token),
        max_age=settings.session_absolute_s,
        httponly=False,
        secure=secure,
        samesite="lax",
        path="/",
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(description="获取图片验证码 / A new image captcha (5 minutes, single use).")
    async def captcha(self, info: Info[Context, Any]) -> Captcha:
        issued = await captcha.issue(info.context.deps.redis)
        return Captcha(id=issued.id, image_data_url=issued.image_data_url, expires_at=issued.expires_at)

    @strawberry.field(description="当前登录的申请人 / The logged-in applicant, or null.")
    async def viewer(self, info: Info[Context, Any]) -> Person | None:
        actor = info.context.actor
        if actor is None or not actor.is_person:
            return None
        row = await PersonRow.get_or_none(id=actor.id)
        return Person.from_model(row, head_is_fresh=True) if row else None

    @strawberry.field(description="当前登录的工作人员 / The logged-in staff user, or null.")
    async def staff_viewer(self, info: Info[Context, Any]) -> StaffUser | None:
        actor = info.context.actor
        if actor is None or actor.is_person:
            return None
        row = await StaffRow.get_or_none(id=actor.id)
        return StaffUser.from_model(row) if row else None


async def _register(context: Context, data: inputs.RegisterInput) -> dict[str, Any]:
    form = registration.RegistrationForm(
        data.real_name, data.id_number, data.mobile, data.password, data.captcha_id, data.captcha_answer
    )
    person = await registration.register(context.deps, form, context.meta)
    return {"person": Person.from_model(person)}


async def _login(context: Context, data: inputs.LoginInput) -> dict[str, Any]:
    creds = login.Credentials(data.id_number, data.password, data.captcha_id, data.captcha_answer)
    token, person = await login.login_person(context.deps, creds, context.meta)
    _set_session_cookies(context, token)
    return {"token": token, "viewer": Person.from_model(person)}


async def _staff_login(context: Context, data: inputs.StaffLoginInput) -> dict[str, Any]:
    creds = login.Credentials(data.username, data.password, data.captcha_id, data.captcha_answer)
    token, staff = await login.login_staff(context.deps, creds, context.meta)
    _set_session_cookies(context, token)
    return {"token": token, "staff": StaffUser.from_model(staff)}


async def _logout(context: Context) -> dict[str, Any]:
    if context.actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    await login.logout(context.actor, context.meta)
    if context.response is not None:
        context.response.delete_cookie(context.settings.session_cookie_name, path="/")
        context.response.delete_cookie(CSRF_COOKIE, path="/")
    return {"ok": True}


async def _request_sms(context: Context, actor: Actor, data: inputs.RequestSmsCodeInput) -> dict[str, Any]:
    target = await account_settings.request_sms_code(context.deps, actor, data.purpose, data.mobile, context.meta)
    return {"sent_to": mask_mobile(target), "resend_after_seconds": context.settings.sms_resend_interval_s}


async def _update_profile(context: Context, actor: Actor, data: inputs.UpdateProfileInput) -> dict[str, Any]:
    changes = account_settings.ProfileChanges(data.ethnicity, data.email, data.education, data.degree, data.school)
    person = await account_settings.update_profile(actor, changes, context.meta)
    return {"person": Person.from_model(person)}


async def _change_mobile(context: Context, actor: Actor, data: inputs.ChangeMobileInput) -> dict[str, Any]:
    person = await account_settings.change_mobile(context.deps, actor, data.new_mobile, data.sms_code, context.meta)
    return {"person": Person.from_model(person)}


async def _change_password(context: Context, actor: Actor, data: inputs.ChangePasswordInput) -> dict[str, Any]:
    await account_settings.change_password(
        context.deps, actor, data.old_password, data.new_password, data.repeat_password, context.meta
    )
    return {"ok": True}


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="用户注册 / Register an applicant account.")
    async def register(self, info: Info[Context, Any], input: inputs.RegisterInput) -> inputs.RegisterPayload:
        return await as_payload(inputs.RegisterPayload, _register(info.context, input))

    @strawberry.mutation(description="用户登录 / Applicant login; also sets the session cookie.")
    async def login(self, info: Info[Context, Any], input: inputs.LoginInput) -> inputs.LoginPayload:
        return await as_payload(inputs.LoginPayload, _login(info.context, input))

    @strawberry.mutation(description="工作人员登录 / Staff login.")
    async def staff_login(self, info: Info[Context, Any], input: inputs.StaffLoginInput) -> inputs.StaffLoginPayload:
        return await as_payload(inputs.StaffLoginPayload, _staff_login(info.context, input))

    @strawberry.mutation(description="退出登录（服务器端会话失效）/ End the current session on the server.")
    async def logout(self, info: Info[Context, Any]) -> inputs.LogoutPayload:
        return await as_payload(inputs.LogoutPayload, _logout(info.context))

    @strawberry.mutation(description="获取短信验证码 / Send an SMS code.")
    async def request_sms_code(
        self, info: Info[Context, Any], input: inputs.RequestSmsCodeInput
    ) -> inputs.RequestSmsCodePayload:
        actor = require_person(info)
        return await as_payload(inputs.RequestSmsCodePayload, _request_sms(info.context, actor, input))

    @strawberry.mutation(description="完善个人基本信息 / Update the profile.")
    async def update_profile(self, info: Info[Context, Any], input: inputs.UpdateProfileInput) -> inputs.PersonPayload:
        actor = require_person(info)
        return await as_payload(inputs.PersonPayload, _update_profile(info.context, actor, input))

    @strawberry.mutation(description="更换手机号码 / Change the mobile; other sessions end.")
    async def change_mobile(self, info: Info[Context, Any], input: inputs.ChangeMobileInput) -> inputs.PersonPayload:
        actor = require_person(info)
        return await as_payload(inputs.PersonPayload, _change_mobile(info.context, actor, input))

    @strawberry.mutation(description="修改密码 / Change the password; other sessions end.")
    async def change_password(
        self, info: Info[Context, Any], input: inputs.ChangePasswordInput
    ) -> inputs.ChangePasswordPayload:
        actor = require_person(info)
        return await as_payload(inputs.ChangePasswordPayload, _change_password(info.context, actor, input))
