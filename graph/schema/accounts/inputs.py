"""Inputs and payloads of the accounts mutations; each input builds its domain value by keyword (`to_domain`)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from domain import accounts
from domain.accounts import AttachmentKind, Degree, Education, SmsPurpose
from domain.kernel.errors import DomainError, ErrorCode
from graph.schema.accounts.types import Attachment, Person, StaffUser
from graph.schema.common import UserError, described_enum, errors_field

described_enum(
    SmsPurpose,
    "短信验证码用途 / What an SMS code is for.",
    {
        "CHANGE_MOBILE": "更换手机号码（发送到新号码）/ Changing the mobile; sent to the new number.",
        **{
            f"FILING_{kind}": f"提交{label}申报（发送到当前号码，仅用于该类申报）/ Filing a {english}; sent to the "
            "current number, valid for this kind of filing only."
            for kind, label, english in (
                ("INITIAL", "初始注册", "initial registration"),
                ("CHANGE", "变更注册", "change of employer"),
                ("ADD_SPECIALTY", "增项注册", "additional specialty"),
                ("RENEWAL", "延续注册", "renewal"),
                ("CANCELLATION", "注销注册", "cancellation"),
                ("REREGISTRATION", "重新注册", "re-registration"),
                ("CERTIFICATE_REPLACEMENT", "证书更换", "certificate replacement"),
                ("PERSONAL_INFO_CHANGE", "个人信息修改", "personal-information change"),
            )
        },
        "RESET_PASSWORD": "找回密码（仅由 requestPasswordReset 发送）/ Password recovery; sent only by "
        "requestPasswordReset.",
        "REGISTER": "用户注册（仅由 requestRegistrationCode 发送到待注册的号码）/ Registration; sent only by "
        "requestRegistrationCode, to the number being registered.",
    },
)


@strawberry.input(
    description="用户注册（先用 requestRegistrationCode 获取短信验证码）/ Self-registration; request the SMS code "
    "first with requestRegistrationCode."
)
class RegisterInput:
    real_name: str = strawberry.field(description="姓名 / Real name (2–30 Chinese characters, · allowed).")
    id_number: str = strawberry.field(description="证件号码（18位居民身份证）/ Resident ID number, the login.")
    mobile: str = strawberry.field(description="手机号码 / Mobile number.")
    password: str = strawberry.field(description="密码（至少8位）/ Password, at least 8 characters.")
    sms_code: str = strawberry.field(
        description="发送到该手机号码的注册验证码 / The registration code sent to this mobile by "
        "requestRegistrationCode."
    )
    captcha_id: str | None = strawberry.field(
        default=None,
        description="不再使用：图片验证码在获取短信验证码时校验 / Unused: the captcha is checked by "
        "requestRegistrationCode.",
        deprecation_reason="图片验证码改在 requestRegistrationCode 中校验 / The captcha moved to "
        "requestRegistrationCode.",
    )
    captcha_answer: str | None = strawberry.field(
        default=None,
        description="不再使用：图片验证码在获取短信验证码时校验 / Unused: the captcha is checked by "
        "requestRegistrationCode.",
        deprecation_reason="图片验证码改在 requestRegistrationCode 中校验 / The captcha moved to "
        "requestRegistrationCode.",
    )

    def to_domain(self) -> accounts.RegistrationForm:
        return accounts.RegistrationForm(
            real_name=self.real_name,
            id_number=self.id_number,
            mobile=self.mobile,
            password=self.password,
            sms_code=self.sms_code,
        )


@strawberry.input(description="用户登录 / Applicant login.")
class LoginInput:
    id_number: str = strawberry.field(description="证件号码 / ID number.")
    password: str = strawberry.field(description="密码 / Password.")
    captcha_id: str = strawberry.field(description="验证码编号 / Captcha id.")
    captcha_answer: str = strawberry.field(description="验证码 / Captcha answer.")

    def to_domain(self) -> accounts.Credentials:
        return accounts.Credentials(
            account=self.id_number,
            password=self.password,
            captcha_id=self.captcha_id,
            captcha_answer=self.captcha_answer,
        )


@strawberry.input(description="工作人员登录 / Staff login.")
class StaffLoginInput:
    username: str = strawberry.field(description="用户名 / Username.")
    password: str = strawberry.field(description="密码 / Password.")
    captcha_id: str = strawberry.field(description="验证码编号 / Captcha id.")
    captcha_answer: str = strawberry.field(description="验证码 / Captcha answer.")

    def to_domain(self) -> accounts.Credentials:
        return accounts.Credentials(
            account=self.username,
            password=self.password,
            captcha_id=self.captcha_id,
            captcha_answer=self.captcha_answer,
        )


@strawberry.input(description="获取短信验证码 / Request an SMS code.")
class RequestSmsCodeInput:
    purpose: SmsPurpose = strawberry.field(description="用途 / Purpose.")
    mobile: str | None = strawberry.field(default=None, description="新手机号码（仅更换手机时）/ New mobile.")

    def to_domain(self) -> accounts.SmsCodeRequest:
        return accounts.SmsCodeRequest(purpose=self.purpose, mobile=self.mobile)


@strawberry.input(description="完善个人基本信息（未提供的字段不变）/ Profile fields; omitted ones stay.")
class UpdateProfileInput:
    nationality: str | None = strawberry.field(
        default=None,
        description="国籍：国家和地区代码（ISO 3166-1 二位字母，见 profileOptions.nationalities），如 CN / "
        "Nationality: an ISO 3166-1 alpha-2 code from profileOptions.nationalities, e.g. CN.",
    )
    ethnicity: str | None = strawberry.field(
        default=None, description="民族（可选），如“汉族”（见 profileOptions.ethnicities）/ Ethnic group, optional."
    )
    email: str | None = strawberry.field(default=None, description="电子邮箱 / E-mail.")
    education: Education | None = strawberry.field(default=None, description="学历 / Education.")
    degree: Degree | None = strawberry.field(default=None, description="学位 / Degree.")
    school: str | None = strawberry.field(default=None, description="毕业院校 / School.")

    def to_domain(self) -> accounts.ProfileChanges:
        return accounts.ProfileChanges(
            nationality=self.nationality,
            ethnicity=self.ethnicity,
            email=self.email,
            education=self.education,
            degree=self.degree,
            school=self.school,
        )


@strawberry.input(description="上传附件 / Upload an attachment (GraphQL multipart request).")
class UploadAttachmentInput:
    kind: AttachmentKind = strawberry.field(description="附件类型 / Kind.")
    file: Upload = strawberry.field(
        description="JPG 或 PNG 图片，不超过12MB（可配置）/ A JPEG or PNG image, at most 12 MB (configurable)."
    )

    async def to_domain(self, max_bytes: int) -> accounts.AttachmentUpload:
        """The file read within the cap: at most max_bytes + 1 bytes, so an oversize file is refused without
        holding all of it."""
        upload: Any = self.file
        if not hasattr(upload, "read"):
            raise DomainError(ErrorCode.INVALID_INPUT, "file", "请选择要上传的图片文件。")
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise accounts.file_too_large_error(max_bytes)
        content: bytes = await upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise accounts.file_too_large_error(max_bytes)
        return accounts.AttachmentUpload(kind=self.kind, content=content)


@strawberry.input(description="更换手机号码 / Change the mobile number.")
class ChangeMobileInput:
    new_mobile: str = strawberry.field(description="新手机号码 / New mobile.")
    sms_code: str = strawberry.field(description="发送到新号码的验证码 / Code sent to the new number.")

    def to_domain(self) -> accounts.MobileChange:
        return accounts.MobileChange(new_mobile=self.new_mobile, sms_code=self.sms_code)


@strawberry.input(description="修改密码 / Change the password.")
class ChangePasswordInput:
    old_password: str = strawberry.field(description="原密码 / Current password.")
    new_password: str = strawberry.field(description="新密码 / New password.")
    repeat_password: str = strawberry.field(description="重复新密码 / New password again.")

    def to_domain(self) -> accounts.PasswordChange:
        return accounts.PasswordChange(
            old_password=self.old_password, new_password=self.new_password, repeat_password=self.repeat_password
        )


@strawberry.type(description="注册结果 / Result of register.")
class RegisterPayload:
    errors: list[UserError] = errors_field()
    person: Person | None = strawberry.field(default=None, description="新注册的申请人 / The new applicant.")
    token: str | None = strawberry.field(
        default=None, description="会话令牌（Bearer），注册即登录 / Session token: registering logs in."
    )
    viewer: Person | None = strawberry.field(default=None, description="已登录的申请人 / The applicant, logged in.")


@strawberry.type(description="登录结果 / Result of login.")
class LoginPayload:
    errors: list[UserError] = errors_field()
    token: str | None = strawberry.field(default=None, description="会话令牌（Bearer）/ Session token.")
    viewer: Person | None = strawberry.field(default=None, description="登录的申请人 / The applicant logged in.")


@strawberry.type(description="工作人员登录结果 / Result of staffLogin.")
class StaffLoginPayload:
    errors: list[UserError] = errors_field()
    token: str | None = strawberry.field(default=None, description="会话令牌（Bearer）/ Session token.")
    staff: StaffUser | None = strawberry.field(default=None, description="登录的工作人员 / The staff user.")


@strawberry.type(description="退出登录结果 / Result of logout.")
class LogoutPayload:
    errors: list[UserError] = errors_field()
    ok: bool = strawberry.field(default=False, description="会话已结束 / The session has ended.")


@strawberry.type(description="短信发送结果 / Result of requestSmsCode.")
class RequestSmsCodePayload:
    errors: list[UserError] = errors_field()
    sent_to: str | None = strawberry.field(default=None, description="接收号码（脱敏）/ Masked target number.")
    resend_after_seconds: int | None = strawberry.field(default=None, description="可重发等待秒数 / Wait.")


@strawberry.type(description="个人信息变更结果 / A mutation that returns the updated person.")
class PersonPayload:
    errors: list[UserError] = errors_field()
    person: Person | None = strawberry.field(default=None, description="更新后的申请人 / The updated applicant.")


@strawberry.type(description="上传结果 / Result of uploadAttachment.")
class UploadAttachmentPayload:
    errors: list[UserError] = errors_field()
    attachment: Attachment | None = strawberry.field(default=None, description="已保存的附件 / The stored image.")


@strawberry.type(description="修改密码结果 / Result of changePassword.")
class ChangePasswordPayload:
    errors: list[UserError] = errors_field()
    ok: bool = strawberry.field(default=False, description="密码已修改 / The password was changed.")
