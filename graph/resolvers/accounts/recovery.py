"""Password recovery (找回密码): requestPasswordReset, resetPassword."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from graph.context import Context
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts import recovery

Ctx = Info[Context, Any]


@strawberry.type
class RecoveryMutations:
    @portal_mutation(
        "找回密码：向账号绑定的手机发送验证码（账号是否存在、姓名是否相符，回答相同）/ Password recovery: send a "
        "code to the account's bound mobile; the answer is the same whether or not the account exists."
    )
    async def request_password_reset(
        self,
        info: Ctx,
        input: Annotated[
            recovery.RequestPasswordResetInput,
            strawberry.argument(description="证件号码、姓名和图片验证码 / ID number, name and captcha."),
        ],
    ) -> recovery.RequestPasswordResetPayload:
        wait = await accounts.request_password_reset(info.context.deps, input.to_domain(), info.context.meta)
        return recovery.RequestPasswordResetPayload(ok=True, resend_after_seconds=wait)

    @portal_mutation(
        "找回密码：凭短信验证码重设密码，结束全部会话 / Reset the password with the SMS code; ends every session."
    )
    async def reset_password(
        self,
        info: Ctx,
        input: Annotated[
            recovery.ResetPasswordInput,
            strawberry.argument(description="验证码和新密码 / The SMS code and the new password."),
        ],
    ) -> recovery.ResetPasswordPayload:
        await accounts.reset_password(info.context.deps, input.to_domain(), info.context.meta)
        return recovery.ResetPasswordPayload(ok=True)
