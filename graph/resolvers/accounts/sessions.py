"""Captcha, register, login, staff login, logout, and who is logged in."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from graph.context import CSRF_COOKIE, CSRF_MESSAGE, Context
from graph.errors import CodedError
from graph.permissions import IsAuthenticated
from graph.policy.codes import TopLevelCode
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts import inputs
from graph.schema.accounts.types import Captcha, Person, StaffUser

Ctx = Info[Context, Any]


def _set_session_cookies(context: Context, token: str) -> None:
    """HttpOnly session cookie plus a readable CSRF cookie for the SPA to echo in a header."""
    if context.response is None:
        return
    settings = context.settings
    for name, value, http_only in (
        (settings.session_cookie_name, token, True),
        (CSRF_COOKIE, accounts.csrf_token(token), False),
    ):
        context.response.set_cookie(
            name,
            value,
            max_age=settings.session_absolute_s,
            httponly=http_only,
            secure=settings.app_env == "prod",
            samesite="lax",
            path="/",
        )


def csrf_missing(info: Ctx) -> None:
    """`viewer` for a live session's cookie sent without the CSRF header: a coded error, not a silent null."""
    if info.context.csrf_missing:
        raise CodedError(TopLevelCode.CSRF_TOKEN_REQUIRED.value, CSRF_MESSAGE)


@strawberry.type
class SessionQueries:
    @strawberry.field(description="获取图片验证码 / A new image captcha (5 minutes, single use).")
    async def captcha(self, info: Ctx) -> Captcha:
        issued = await accounts.issue_captcha(info.context.deps.redis)
        return Captcha(id=issued.id, image_data_url=issued.image_data_url, expires_at=issued.expires_at)

    @strawberry.field(description="当前登录的申请人 / The logged-in applicant, or null.")
    async def viewer(self, info: Ctx) -> Person | None:
        actor = info.context.actor
        csrf_missing(info)
        row = await accounts.find_person(actor.id) if actor is not None and actor.is_person else None
        return Person.from_model(row, head_is_fresh=True) if row else None

    @strawberry.field(description="当前登录的工作人员 / The logged-in staff user, or null.")
    async def staff_viewer(self, info: Ctx) -> StaffUser | None:
        actor = info.context.actor
        csrf_missing(info)
        row = await accounts.find_staff(actor.id) if actor is not None and not actor.is_person else None
        return StaffUser.from_model(row) if row else None


@strawberry.type
class SessionMutations:
    @portal_mutation(
        "用户注册，并直接登录（设置会话 Cookie）/ Register an applicant account; logs in and sets the cookies."
    )
    async def register(
        self,
        info: Ctx,
        input: Annotated[inputs.RegisterInput, strawberry.argument(description="注册信息 / Registration details.")],
    ) -> inputs.RegisterPayload:
        token, person = await accounts.register(info.context.deps, input.to_domain(), info.context.meta)
        _set_session_cookies(info.context, token)
        return inputs.RegisterPayload(person=Person.from_model(person), token=token, viewer=Person.from_model(person))

    @portal_mutation("用户登录 / Applicant login; also sets the session cookie.")
    async def login(
        self,
        info: Ctx,
        input: Annotated[inputs.LoginInput, strawberry.argument(description="登录信息 / Login details.")],
    ) -> inputs.LoginPayload:
        token, person = await accounts.login_person(info.context.deps, input.to_domain(), info.context.meta)
        _set_session_cookies(info.context, token)
        return inputs.LoginPayload(token=token, viewer=Person.from_model(person))

    @portal_mutation("工作人员登录 / Staff login.")
    async def staff_login(
        self,
        info: Ctx,
        input: Annotated[
            inputs.StaffLoginInput, strawberry.argument(description="工作人员登录信息 / Staff login details.")
        ],
    ) -> inputs.StaffLoginPayload:
        token, staff = await accounts.login_staff(info.context.deps, input.to_domain(), info.context.meta)
        _set_session_cookies(info.context, token)
        return inputs.StaffLoginPayload(token=token, staff=StaffUser.from_model(staff))

    @portal_mutation("退出登录（服务器端会话失效）/ End the current session on the server.", IsAuthenticated)
    async def logout(self, info: Ctx) -> inputs.LogoutPayload:
        context = info.context
        assert context.actor is not None  # IsAuthenticated
        await accounts.logout(context.deps, context.actor, context.meta)
        if context.response is not None:
            context.response.delete_cookie(context.settings.session_cookie_name, path="/")
            context.response.delete_cookie(CSRF_COOKIE, path="/")
        return inputs.LogoutPayload(ok=True)
