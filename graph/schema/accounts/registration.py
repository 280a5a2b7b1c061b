"""Inputs, payloads and types of registration's first step and of the profile's option lists."""

from __future__ import annotations

import strawberry

from domain import accounts
from graph.schema.common import UserError, errors_field


@strawberry.input(
    description="注册第一步：向待注册的手机号码发送验证码 / Registration, step 1: send a code to the mobile to "
    "register."
)
class RequestRegistrationCodeInput:
    mobile: str = strawberry.field(description="待注册的手机号码 / The mobile to register.")
    captcha_id: str = strawberry.field(description="验证码编号 / Captcha id.")
    captcha_answer: str = strawberry.field(description="验证码 / Captcha answer.")

    def to_domain(self) -> accounts.RegistrationCodeRequest:
        return accounts.RegistrationCodeRequest(
            mobile=self.mobile, captcha_id=self.captcha_id, captcha_answer=self.captcha_answer
        )


@strawberry.type(
    description="注册验证码发送结果：号码是否已绑定账号，回答相同 / Result of requestRegistrationCode: the same "
    "answer whether or not the number is already bound to an account."
)
class RequestRegistrationCodePayload:
    errors: list[UserError] = errors_field()
    ok: bool = strawberry.field(default=False, description="验证码已发送 / The code was sent.")
    resend_after_seconds: int | None = strawberry.field(
        default=None, description="可再次获取的等待秒数 / Seconds before another code may be requested."
    )


@strawberry.type(description="选项 / One choice of an option list.")
class Option:
    code: str = strawberry.field(
        description="提交和读取时使用的代码 / The value a client sends (and reads back on Person)."
    )
    label: str = strawberry.field(description="中文名称 / Chinese label.")

    @classmethod
    def from_domain(cls, option: accounts.Option) -> Option:
        return cls(code=option.code, label=option.label)


def _options(options: tuple[accounts.Option, ...]) -> list[Option]:
    return [Option.from_domain(option) for option in options]


@strawberry.type(description="个人基本信息的选项列表 / The option lists of the profile form.")
class ProfileOptions:
    nationalities: list[Option] = strawberry.field(
        description="国籍：国家和地区（ISO 3166-1 / GB/T 2659），中国在前；code 为二位字母代码 / Countries and "
        "regions, 中国 first; code is the alpha-2 code updateProfile.nationality takes."
    )
    ethnicities: list[Option] = strawberry.field(
        description="民族（GB/T 3304 的56个民族）；code 即民族名称 / The 56 ethnic groups of GB/T 3304; code is the "
        "name, as updateProfile.ethnicity takes and Person.ethnicity shows it."
    )
    educations: list[Option] = strawberry.field(
        description="学历；code 为 Education 枚举值 / Education levels; code is the Education enum value."
    )
    degrees: list[Option] = strawberry.field(
        description="学位；code 为 Degree 枚举值 / Degrees; code is the Degree enum value."
    )

    @classmethod
    def from_domain(cls, options: accounts.ProfileOptions) -> ProfileOptions:
        return cls(
            nationalities=_options(options.nationalities),
            ethnicities=_options(options.ethnicities),
            educations=_options(options.educations),
            degrees=_options(options.degrees),
        )
