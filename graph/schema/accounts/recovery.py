"""Inputs and payloads of password recovery (找回密码)."""

from __future__ import annotations

import strawberry

from domain import accounts
from graph.schema.common import UserError, errors_field


@strawberry.input(description="找回密码：获取短信验证码 / Password recovery, step 1: request an SMS code.")
class RequestPasswordResetInput:
    id_number: str = strawberry.field(description="证件号码 / ID number of the account.")
    real_name: str = strawberry.field(description="姓名 / Real name of the account holder.")
    captcha_id: str = strawberry.field(description="验证码编号 / Captcha id.")
    captcha_answer: str = strawberry.field(description="验证码 / Captcha answer.")

    def to_domain(self) -> accounts.ResetRequest:
        return accounts.ResetRequest(
            id_number=self.id_number,
            real_name=self.real_name,
            captcha_id=self.captcha_id,
            captcha_answer=self.captcha_answer,
        )


@strawberry.input(description="找回密码：重设密码 / Password recovery, step 2: set a new password.")
class ResetPasswordInput:
    id_number: str = strawberry.field(description="证件号码 / ID number of the account.")
    sms_code: str = strawberry.field(description="发送到绑定手机的验证码 / Code sent to the bound mobile.")
    new_password: str = strawberry.field(description="新密码 / New password.")
    repeat_password: str = strawberry.field(description="重复新密码 / New password again.")

    def to_domain(self) -> accounts.PasswordReset:
        return accounts.PasswordReset(
            id_number=self.id_number,
            sms_code=self.sms_code,
            new_password=self.new_password,
            repeat_password=self.repeat_password,
        )


@strawberry.type(
    description="找回密码申请结果：信息相符时验证码已发送至绑定手机；不相符时回答相同 / Result of "
    "requestPasswordReset: the same answer whether or not the ID number and name match an account."
)
class RequestPasswordResetPayload:
    errors: list[UserError] = errors_field()
    ok: bool = strawberry.field(
        default=False,
        description="已受理（信息相符时已发送验证码）/ Accepted; a code was sent if the details match an account.",
    )
    resend_after_seconds: int | None = strawberry.field(
        default=None, description="可再次获取的等待秒数 / Seconds before another code may be requested."
    )


@strawberry.type(description="重设密码结果 / Result of resetPassword.")
class ResetPasswordPayload:
    errors: list[UserError] = errors_field()
    ok: bool = strawberry.field(
        default=False, description="密码已重设，全部会话已结束 / Password reset; every session ended."
    )
