"""Expected failures: one code enum for the whole domain, each with its Chinese message."""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """Stable machine-readable codes; clients switch on these, never on messages."""

    INVALID_INPUT = "INVALID_INPUT"
    INVALID_NAME = "INVALID_NAME"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_MOBILE = "INVALID_MOBILE"
    INVALID_EMAIL = "INVALID_EMAIL"
    WEAK_PASSWORD = "WEAK_PASSWORD"
    PASSWORD_MISMATCH = "PASSWORD_MISMATCH"
    WRONG_PASSWORD = "WRONG_PASSWORD"
    CAPTCHA_INVALID = "CAPTCHA_INVALID"
    REGISTRATION_REFUSED = "REGISTRATION_REFUSED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
    SMS_CODE_INVALID = "SMS_CODE_INVALID"
    SMS_TOO_SOON = "SMS_TOO_SOON"
    SMS_DAILY_LIMIT = "SMS_DAILY_LIMIT"
    MOBILE_UNCHANGED = "MOBILE_UNCHANGED"
    MOBILE_TAKEN = "MOBILE_TAKEN"
    DEGREE_MISMATCH = "DEGREE_MISMATCH"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    OUTSIDE_JURISDICTION = "OUTSIDE_JURISDICTION"
    NOT_FOUND = "NOT_FOUND"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_FILE_TYPE = "UNSUPPORTED_FILE_TYPE"
    IMAGE_INVALID = "IMAGE_INVALID"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMAGE_TOO_SMALL = "IMAGE_TOO_SMALL"
    IMAGE_BAD_SHAPE = "IMAGE_BAD_SHAPE"
    CONFLICT = "CONFLICT"
    NOT_VERIFIED = "NOT_VERIFIED"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"
    ATTACHMENTS_MISSING = "ATTACHMENTS_MISSING"
    VERIFICATION_UNAVAILABLE = "VERIFICATION_UNAVAILABLE"
    # Filings (注册申报).
    AGE_LIMIT = "AGE_LIMIT"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    APPLICATION_ALREADY_OPEN = "APPLICATION_ALREADY_OPEN"
    APPLICATION_NOT_WITHDRAWABLE = "APPLICATION_NOT_WITHDRAWABLE"
    CONTINUING_EDUCATION_REQUIRED = "CONTINUING_EDUCATION_REQUIRED"
    CONTRACT_DATES_INVALID = "CONTRACT_DATES_INVALID"
    ENTERPRISE_NOT_FOUND = "ENTERPRISE_NOT_FOUND"
    ENTERPRISE_NOT_QUALIFIED = "ENTERPRISE_NOT_QUALIFIED"
    FILING_BANNED = "FILING_BANNED"
    KIND_NOT_OPEN = "KIND_NOT_OPEN"
    NOT_QUALIFIED_IN_SPECIALTY = "NOT_QUALIFIED_IN_SPECIALTY"
    NOT_REGISTERED = "NOT_REGISTERED"
    OUTSIDE_RENEWAL_WINDOW = "OUTSIDE_RENEWAL_WINDOW"
    PROFILE_INCOMPLETE = "PROFILE_INCOMPLETE"
    REGISTRATION_STATE_INVALID = "REGISTRATION_STATE_INVALID"
    REQUIRED = "REQUIRED"
    SAME_ENTERPRISE = "SAME_ENTERPRISE"
    SPECIALTY_ALREADY_REGISTERED = "SPECIALTY_ALREADY_REGISTERED"
    SPECIALTY_NOT_REGISTERED = "SPECIALTY_NOT_REGISTERED"
    TEMPORARY_MIXED = "TEMPORARY_MIXED"
    TERMS_NOT_ACCEPTED = "TERMS_NOT_ACCEPTED"
    # Filings: cancellation, certificate replacement, personal-info change, resubmission
    ID_NUMBER_TAKEN = "ID_NUMBER_TAKEN"
    INFO_CHANGE_NOT_ACCEPTED = "INFO_CHANGE_NOT_ACCEPTED"
    INFO_UNCHANGED = "INFO_UNCHANGED"
    MATERIALS_REQUIRED = "MATERIALS_REQUIRED"
    NOT_RETURNED = "NOT_RETURNED"
    # Review (审查)
    NOT_AT_STAGE = "NOT_AT_STAGE"
    ALREADY_DECIDED = "ALREADY_DECIDED"
    NOTHING_TO_CHANGE = "NOTHING_TO_CHANGE"
    REASON_NOT_APPLICABLE = "REASON_NOT_APPLICABLE"
    TEXT_TOO_LONG = "TEXT_TOO_LONG"
    DUPLICATE_ROW = "DUPLICATE_ROW"
    IMPORT_FILE_UNREADABLE = "IMPORT_FILE_UNREADABLE"
    IMPORT_HEADER_INVALID = "IMPORT_HEADER_INVALID"
    INVALID_CERTIFICATE_NUMBER = "INVALID_CERTIFICATE_NUMBER"
    INVALID_CREDIT_CODE = "INVALID_CREDIT_CODE"
    INVALID_DATE = "INVALID_DATE"
    INVALID_ENTERPRISE_STATUS = "INVALID_ENTERPRISE_STATUS"
    INVALID_PROVINCE = "INVALID_PROVINCE"
    INVALID_SPECIALTY = "INVALID_SPECIALTY"
    # The electronic certificate (电子证书).
    CERTIFICATE_NOT_CURRENT = "CERTIFICATE_NOT_CURRENT"
    CERTIFICATE_NOT_USABLE = "CERTIFICATE_NOT_USABLE"
    CERTIFICATE_UNAVAILABLE = "CERTIFICATE_UNAVAILABLE"
    # Announcements (公告).
    NOTHING_TO_ANNOUNCE = "NOTHING_TO_ANNOUNCE"
    APPLICATION_NOT_APPROVED = "APPLICATION_NOT_APPROVED"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.INVALID_INPUT: "输入内容不正确，请检查后重试。",
    ErrorCode.INVALID_NAME: "姓名应为2至30个汉字，少数民族姓名可使用间隔号“·”。",
    ErrorCode.INVALID_ID_NUMBER: "证件号码不正确，请核对18位居民身份证号码。",
    ErrorCode.INVALID_MOBILE: "手机号码格式不正确，应为11位中国大陆手机号码。",
    ErrorCode.INVALID_EMAIL: "电子邮箱格式不正确。",
    ErrorCode.WEAK_PASSWORD: "密码不符合要求：至少8位，不能是常见密码，不能包含证件号码或出生日期。",
    ErrorCode.PASSWORD_MISMATCH: "两次输入的新密码不一致。",
    ErrorCode.WRONG_PASSWORD: "原密码不正确。",
    ErrorCode.CAPTCHA_INVALID: "验证码错误或已过期，请刷新验证码后重试。",
    ErrorCode.REGISTRATION_REFUSED: "无法使用该证件号码注册；如已注册，请直接登录或找回密码。",
    ErrorCode.INVALID_CREDENTIALS: "证件号码或密码错误。",
    ErrorCode.ACCOUNT_LOCKED: "登录失败次数过多，账号已暂时锁定，请稍后重试。",
    ErrorCode.TOO_MANY_REQUESTS: "操作过于频繁，请稍后再试。",
    ErrorCode.SMS_CODE_INVALID: "短信验证码错误或已失效，请重新获取。",
    ErrorCode.SMS_TOO_SOON: "短信验证码发送过于频繁，请稍后重试。",
    ErrorCode.SMS_DAILY_LIMIT: "今日短信验证码发送次数已达上限，请明天再试。",
    ErrorCode.MOBILE_UNCHANGED: "新手机号码与当前手机号码相同。",
    ErrorCode.MOBILE_TAKEN: "该手机号码已绑定其他账号，请使用其他号码；如为本人账号，请直接登录或找回密码。",
    ErrorCode.DEGREE_MISMATCH: "学位与学历不符，请核对后重新选择。",
    ErrorCode.UNAUTHENTICATED: "请先登录。",
    ErrorCode.FORBIDDEN: "没有权限执行此操作。",
    ErrorCode.OUTSIDE_JURISDICTION: "该证件号码不属于本省现场认证的受理范围，请由其所属省级主管部门办理。",
    ErrorCode.NOT_FOUND: "未找到相应记录。",
    ErrorCode.FILE_TOO_LARGE: "文件过大，请上传更小的图片。",
    ErrorCode.UNSUPPORTED_FILE_TYPE: "文件类型不支持，请上传JPG或PNG格式的图片。",
    ErrorCode.IMAGE_INVALID: "图片无法识别或已损坏，请重新拍摄或扫描后上传。",
    ErrorCode.IMAGE_TOO_LARGE: "图片像素尺寸过大，请缩小后再上传。",
    ErrorCode.IMAGE_TOO_SMALL: "图片像素尺寸过小，请上传更清晰的图片。",
    ErrorCode.IMAGE_BAD_SHAPE: "图片宽高比例不符合要求，请重新拍摄或裁剪后上传。",
    ErrorCode.CONFLICT: "操作冲突，请刷新后重试。",
    ErrorCode.NOT_VERIFIED: "请先完成实名认证（支付宝扫码认证或现场认证）后再申报。",
    ErrorCode.ALREADY_VERIFIED: "您已通过实名认证，无需重复认证。",
    ErrorCode.ATTACHMENTS_MISSING: "请先上传身份证人像面、国徽面和手持身份证半身照后再进行实名认证。",
    ErrorCode.VERIFICATION_UNAVAILABLE: "认证服务暂时不可用，请稍后重试。",
    ErrorCode.AGE_LIMIT: "年满65周岁不予注册。",
    ErrorCode.ALREADY_REGISTERED: "您已取得有效注册，不能再申请初始注册或重新注册。",
    ErrorCode.APPLICATION_ALREADY_OPEN: "您已有一项同类申报正在办理中，请等待办理完毕或撤回后再申报。",
    ErrorCode.APPLICATION_NOT_WITHDRAWABLE: "该申报已办结或已撤回，不能撤回。",
    ErrorCode.CONTINUING_EDUCATION_REQUIRED: "资格证书签发已超过3年，须具备并申报继续教育记录。",
    ErrorCode.CONTRACT_DATES_INVALID: "劳动合同日期不正确：终止日期须晚于起始日期，且合同须在有效期内。",
    ErrorCode.ENTERPRISE_NOT_FOUND: "未找到该企业，请从提示列表中选择聘用企业。",
    ErrorCode.ENTERPRISE_NOT_QUALIFIED: "该企业资质状态不符合要求，不予注册。",
    ErrorCode.FILING_BANNED: "您已被限制申报，限制期内不能提交申报。",
    ErrorCode.KIND_NOT_OPEN: "该类申报目前仅对一级临时建造师开放。",
    ErrorCode.NOT_QUALIFIED_IN_SPECIALTY: "您没有该专业的资格记录，不能申请该专业注册。",
    ErrorCode.NOT_REGISTERED: "您没有有效的注册，不能办理该项申报。",
    ErrorCode.OUTSIDE_RENEWAL_WINDOW: "延续注册须在该专业注册有效期届满前90日至30日之间申报。",
    ErrorCode.PROFILE_INCOMPLETE: "请先完善个人基本信息后再申报。",
    ErrorCode.REGISTRATION_STATE_INVALID: "您的注册状态不能办理该项申报。",
    ErrorCode.REQUIRED: "此项为必填项。",
    ErrorCode.SAME_ENTERPRISE: "新聘用企业与当前聘用企业相同，无需变更注册。",
    ErrorCode.SPECIALTY_ALREADY_REGISTERED: "您已注册该专业，无需增项注册。",
    ErrorCode.SPECIALTY_NOT_REGISTERED: "您未注册该专业，不能办理该专业的延续注册。",
    ErrorCode.TEMPORARY_MIXED: "一级建造师与一级临时建造师的专业须分别申报。",
    ErrorCode.TERMS_NOT_ACCEPTED: "请阅读并同意注册须知及个人承诺。",
    ErrorCode.ID_NUMBER_TAKEN: "该证件号码不能使用，如有疑问请联系注册主管部门。",
    ErrorCode.INFO_CHANGE_NOT_ACCEPTED: "个人信息修改未通过系统核验，如有疑问请联系注册主管部门。",
    ErrorCode.INFO_UNCHANGED: "新信息与当前信息相同，无需修改。",
    ErrorCode.MATERIALS_REQUIRED: "请先重新上传新身份证的人像面和国徽面，并在申报中选择这两张图片。",
    ErrorCode.NOT_RETURNED: "该申报当前不需要补正，或本次补正已提交。",
    ErrorCode.NOT_AT_STAGE: "该申报当前不在您办理的审查环节，请刷新后查看其进度。",
    ErrorCode.ALREADY_DECIDED: "该申报已办结（准予、不予注册或已撤回），不能再作审查决定。",
    ErrorCode.NOTHING_TO_CHANGE: "请勾选要修改的信息（姓名、证件号码）。",
    ErrorCode.REASON_NOT_APPLICABLE: "所选原因与您的情况不符。",
    ErrorCode.TEXT_TOO_LONG: "填写的内容过长。",
    ErrorCode.DUPLICATE_ROW: "与文件中前面的一行重复。",
    ErrorCode.IMPORT_FILE_UNREADABLE: "文件无法读取，请上传UTF-8编码的CSV文件。",
    ErrorCode.IMPORT_HEADER_INVALID: "表头不正确，请使用导入模板的表头。",
    ErrorCode.INVALID_CERTIFICATE_NUMBER: "证书编号不正确，应为4至40位字母、数字或连字符。",
    ErrorCode.INVALID_CREDIT_CODE: "统一社会信用代码不正确，请核对18位代码。",
    ErrorCode.INVALID_DATE: "日期不正确，应为“年-月-日”格式，如2021-05-20。",
    ErrorCode.INVALID_ENTERPRISE_STATUS: "资质状态不正确，应为“有效”“暂停”或“撤销”。",
    ErrorCode.INVALID_PROVINCE: "省份不正确，请填写两位省级行政区划代码或省份名称。",
    ErrorCode.INVALID_SPECIALTY: "专业不正确，请填写专业代码（如01）或专业名称（如建筑工程）。",
    ErrorCode.CERTIFICATE_NOT_CURRENT: "该证书已被更换、变更或注销，不是当前有效的证书，不能下载。",
    ErrorCode.CERTIFICATE_NOT_USABLE: "该证书已无可用的使用期限（注册专业已到期或已年满65周岁），不能下载。",
    ErrorCode.CERTIFICATE_UNAVAILABLE: "电子证书暂时无法生成，请稍后重试或联系注册主管部门。",
    ErrorCode.NOTHING_TO_ANNOUNCE: "没有待公告的准予注册申报。",
    ErrorCode.APPLICATION_NOT_APPROVED: "所选申报不是待公告的准予注册申报（可能已公告），请刷新后重新选择。",
}


# The same failures when the wait is known: the message says the real time left.
WAIT_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.ACCOUNT_LOCKED: "登录失败次数过多，账号已暂时锁定，请在{wait}后重试。",
    ErrorCode.TOO_MANY_REQUESTS: "操作过于频繁，请在{wait}后重试。",
    ErrorCode.SMS_TOO_SOON: "短信验证码发送过于频繁，请在{wait}后重试。",
}


def wait_text(seconds: int) -> str:
    """A wait in Chinese: 45秒, 2分30秒, 3分钟, 1小时, 23小时59分钟 (minutes rounded up past the hour)."""
    seconds = max(1, seconds)
    if seconds < 60:
        return f"{seconds}秒"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes}分{rest}秒" if rest else f"{minutes}分钟"
    hours, rest = divmod(seconds, 3600)
    minutes = -(-rest // 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"


class DomainError(Exception):
    """An expected failure that the user can act on; mapped once to a GraphQL UserError. `retry_after_s`: the
    seconds left before a limit lets the user try again, when known (the message then names that wait)."""

    def __init__(
        self, code: ErrorCode, field: str | None = None, message: str | None = None, retry_after_s: int | None = None
    ) -> None:
        self.code = code
        self.field = field
        self.retry_after_s = None if retry_after_s is None else max(1, retry_after_s)
        if message is None and self.retry_after_s is not None and code in WAIT_MESSAGES:
            message = WAIT_MESSAGES[code].format(wait=wait_text(self.retry_after_s))
        self.message = message or MESSAGES[code]
        super().__init__(f"{code.value}: {self.message}")


class DomainErrors(Exception):
    """Several field errors reported together (one notice listing everything to correct)."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
