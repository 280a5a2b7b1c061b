"""What a logged-in applicant changes: the profile, SMS codes, the mobile, the password."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from domain.kernel.actors import Actor
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts import inputs
from graph.schema.accounts.types import Person

Ctx = Info[Context, Any]


def _person(info: Ctx) -> Actor:
    actor = info.context.actor
    assert actor is not None  # IsPerson
    return actor


@strawberry.type
class ProfileMutations:
    @portal_mutation("获取短信验证码 / Send an SMS code.", IsPerson)
    async def request_sms_code(
        self,
        info: Ctx,
        input: Annotated[
            inputs.RequestSmsCodeInput,
            strawberry.argument(description="用途及新号码 / Purpose and, for a mobile change, the new number."),
        ],
    ) -> inputs.RequestSmsCodePayload:
        context = info.context
        target = await accounts.request_sms_code(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.RequestSmsCodePayload(
            sent_to=accounts.mask_mobile(target), resend_after_seconds=context.settings.sms_resend_interval_s
        )

    @portal_mutation("完善个人基本信息 / Update the profile.", IsPerson)
    async def update_profile(
        self,
        info: Ctx,
        input: Annotated[
            inputs.UpdateProfileInput, strawberry.argument(description="要修改的字段 / The fields to change.")
        ],
    ) -> inputs.PersonPayload:
        context = info.context
        person = await accounts.update_profile(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.PersonPayload(person=Person.from_model(person))

    @portal_mutation("更换手机号码 / Change the mobile; other sessions end.", IsPerson)
    async def change_mobile(
        self,
        info: Ctx,
        input: Annotated[
            inputs.ChangeMobileInput, strawberry.argument(description="新号码及验证码 / New mobile and its SMS code.")
        ],
    ) -> inputs.PersonPayload:
        context = info.context
        person = await accounts.change_mobile(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.PersonPayload(person=Person.from_model(person))

    @portal_mutation("修改密码 / Change the password; other sessions end.", IsPerson)
    async def change_password(
        self,
        info: Ctx,
        input: Annotated[
            inputs.ChangePasswordInput, strawberry.argument(description="原密码与新密码 / Current and new password.")
        ],
    ) -> inputs.ChangePasswordPayload:
        context = info.context
        await accounts.change_password(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.ChangePasswordPayload(ok=True)
