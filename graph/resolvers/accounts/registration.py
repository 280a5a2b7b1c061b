"""Registration's first step (requestRegistrationCode) and the profile's option lists (profileOptions)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from graph.context import Context
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts import registration

Ctx = Info[Context, Any]


@strawberry.type
class OptionQueries:
    @strawberry.field(
        description="个人基本信息的选项列表（国籍、民族、学历、学位）/ The option lists of the profile form."
    )
    def profile_options(self) -> registration.ProfileOptions:
        return registration.ProfileOptions.from_domain(accounts.profile_options())


@strawberry.type
class RegistrationMutations:
    @portal_mutation(
        "注册第一步：校验图片验证码，向待注册的手机号码发送验证码（号码是否已绑定，回答相同）/ Registration, step "
        "1: check the captcha and send a code to the mobile; the answer is the same whether or not it is bound."
    )
    async def request_registration_code(
        self,
        info: Ctx,
        input: Annotated[
            registration.RequestRegistrationCodeInput,
            strawberry.argument(description="手机号码和图片验证码 / The mobile and the captcha."),
        ],
    ) -> registration.RequestRegistrationCodePayload:
        wait = await accounts.request_registration_code(info.context.deps, input.to_domain(), info.context.meta)
        return registration.RequestRegistrationCodePayload(ok=True, resend_after_seconds=wait)
