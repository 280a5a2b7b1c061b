"""Types and helpers shared by every area: UserError, ErrorCode, described enums, ids, keyset cursors, node lookups."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

from domain.kernel.errors import MESSAGES, ErrorCode
from graph.errors import CodedError
from graph.policy.codes import TopLevelCode

Row = TypeVar("Row")
EnumClass = TypeVar("EnumClass", bound=type[Enum])
MAX_PAGE = 100
MAX_DB_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


def described_enum(cls: EnumClass, description: str, values: Mapping[str, str]) -> EnumClass:
    """Registers an enum of domain/ or db/ (which may not import Strawberry), describing the type and each member
    (`values`: member name → description). A member without a description, a description naming no member, or an
    enum that a type already used (Strawberry then converted it undescribed) fails at import."""
    if has_enum_definition(cls):
        raise TypeError(f"{cls.__name__} is already a Strawberry enum: describe it before a type uses it")
    names = [member.name for member in cls]
    missing = [name for name in names if not values.get(name, "").strip()]
    unknown = sorted(set(values) - set(names))
    if missing or unknown:
        raise ValueError(
            f"{cls.__name__}: members without a description {missing}, descriptions of no member {unknown}"
        )
    registered = strawberry.enum(cls, description=description)
    if not has_enum_definition(registered):
        raise TypeError(f"{cls.__name__} was not registered as a Strawberry enum")
    for member, value in zip(cls, registered.__strawberry_definition__.values, strict=True):
        value.description = values[member.name]
    return cls


_ERROR_CODES_IN_ENGLISH: dict[ErrorCode, str] = {
    ErrorCode.INVALID_INPUT: "Invalid input.",
    ErrorCode.INVALID_NAME: "Real name: 2 to 30 Chinese characters, · allowed.",
    ErrorCode.INVALID_ID_NUMBER: "Not a valid 18-digit resident ID number.",
    ErrorCode.INVALID_MOBILE: "Not an 11-digit mainland China mobile number.",
    ErrorCode.INVALID_EMAIL: "Not a valid e-mail address.",
    ErrorCode.WEAK_PASSWORD: "Password too weak: under 8 characters, common, or contains the ID number or birth date.",
    ErrorCode.PASSWORD_MISMATCH: "The two new passwords differ.",
    ErrorCode.WRONG_PASSWORD: "The current password is wrong.",
    ErrorCode.CAPTCHA_INVALID: "Wrong or expired captcha; fetch a new one.",
    ErrorCode.REGISTRATION_REFUSED: "This ID number cannot register (log in if already registered).",
    ErrorCode.INVALID_CREDENTIALS: "Wrong ID number (staff: username) or password.",
    ErrorCode.ACCOUNT_LOCKED: "Too many failed logins; the account is locked (for retryAfterSeconds).",
    ErrorCode.TOO_MANY_REQUESTS: "Too many requests; try again later (after retryAfterSeconds when given).",
    ErrorCode.SMS_CODE_INVALID: "Wrong or expired SMS code.",
    ErrorCode.SMS_TOO_SOON: "SMS codes too frequent; wait (retryAfterSeconds).",
    ErrorCode.SMS_DAILY_LIMIT: "Today's SMS codes are used up.",
    ErrorCode.MOBILE_UNCHANGED: "The new mobile is the current one.",
    ErrorCode.MOBILE_TAKEN: "This mobile is bound to another account; use another number (or log in).",
    ErrorCode.DEGREE_MISMATCH: "The degree does not fit the education level (the rule is in the message).",
    ErrorCode.UNAUTHENTICATED: "Log in first.",
    ErrorCode.FORBIDDEN: "Not allowed for this user.",
    ErrorCode.OUTSIDE_JURISDICTION: "ID number of another province (area code): its own province handles it.",
    ErrorCode.NOT_FOUND: "No such record (or not yours to see).",
    ErrorCode.FILE_TOO_LARGE: "File over the upload size limit (named in the message).",
    ErrorCode.UNSUPPORTED_FILE_TYPE: "Only JPEG and PNG images.",
    ErrorCode.IMAGE_INVALID: "The image is unreadable or damaged.",
    ErrorCode.IMAGE_TOO_LARGE: "Too many pixels for this kind (the limit is in the message); scale it down.",
    ErrorCode.IMAGE_TOO_SMALL: "Too few pixels; upload a sharper image.",
    ErrorCode.IMAGE_BAD_SHAPE: "The image's aspect ratio cannot fit this kind; retake or crop it.",
    ErrorCode.CONFLICT: "Conflicting change; reload and retry.",
    ErrorCode.NOT_VERIFIED: "Real-name verification is required first.",
    ErrorCode.ALREADY_VERIFIED: "Already verified.",
    ErrorCode.ATTACHMENTS_MISSING: "Upload both sides of the ID card and the handheld photo first.",
    ErrorCode.VERIFICATION_UNAVAILABLE: "The verification service is unavailable; retry later.",
    ErrorCode.AGE_LIMIT: "Aged 65 or over: no registration.",
    ErrorCode.ALREADY_REGISTERED: "Already holds an active registration.",
    ErrorCode.APPLICATION_ALREADY_OPEN: "A filing of this kind is already open; wait for it or withdraw it.",
    ErrorCode.APPLICATION_NOT_WITHDRAWABLE: "The filing is decided or withdrawn; it cannot be withdrawn.",
    ErrorCode.CONTINUING_EDUCATION_REQUIRED: "Qualification issued over 3 years ago: declare continuing education.",
    ErrorCode.CONTRACT_DATES_INVALID: "Labour-contract dates: the end after the start, and the contract still running.",
    ErrorCode.ENTERPRISE_NOT_FOUND: "No such enterprise; choose one from the suggestions.",
    ErrorCode.ENTERPRISE_NOT_QUALIFIED: "The enterprise is not qualified to employ registered constructors.",
    ErrorCode.FILING_BANNED: "Banned from filing until the date in the message.",
    ErrorCode.KIND_NOT_OPEN: "This kind of filing is open to temporary Level-1 holders only (policy setting).",
    ErrorCode.NOT_QUALIFIED_IN_SPECIALTY: "No qualification record in this specialty.",
    ErrorCode.NOT_REGISTERED: "No active registration.",
    ErrorCode.OUTSIDE_RENEWAL_WINDOW: "Renewal is filed from 90 to 30 days before the specialty expires (settings).",
    ErrorCode.PROFILE_INCOMPLETE: "Complete the profile first (the missing fields are named in the message).",
    ErrorCode.REGISTRATION_STATE_INVALID: "The registration's state does not allow this kind of filing.",
    ErrorCode.REQUIRED: "Required.",
    ErrorCode.SAME_ENTERPRISE: "The new enterprise is the current one.",
    ErrorCode.SPECIALTY_ALREADY_REGISTERED: "Already registered in this specialty.",
    ErrorCode.SPECIALTY_NOT_REGISTERED: "Not registered in this specialty.",
    ErrorCode.TEMPORARY_MIXED: "Level-1 and temporary Level-1 specialties are filed separately.",
    ErrorCode.TERMS_NOT_ACCEPTED: "Accept the registration notice and personal commitment.",
    ErrorCode.ID_NUMBER_TAKEN: "This ID number cannot be used.",
    ErrorCode.INFO_CHANGE_NOT_ACCEPTED: "The personal-information change did not pass the automatic check (no details"
    " for the filer; reviewers see the reason).",
    ErrorCode.INFO_UNCHANGED: "The new value is the current one.",
    ErrorCode.MATERIALS_REQUIRED: "Upload the new ID card's front and back, then name both in the filing.",
    ErrorCode.NOT_RETURNED: "Not returned for correction, or this return was already answered.",
    ErrorCode.NOT_AT_STAGE: "The filing is not at a review stage where you act (another stage, or another specialty).",
    ErrorCode.ALREADY_DECIDED: "The filing is decided (approved, refused or withdrawn): no further review decision.",
    ErrorCode.NOTHING_TO_CHANGE: "Tick what changes (name, ID number).",
    ErrorCode.REASON_NOT_APPLICABLE: "The reason chosen does not fit the facts (named in the message).",
    ErrorCode.TEXT_TOO_LONG: "The text is over its length limit (named in the message).",
    ErrorCode.DUPLICATE_ROW: "The same record as an earlier row of the file.",
    ErrorCode.IMPORT_FILE_UNREADABLE: "The file cannot be read: upload a UTF-8 CSV file.",
    ErrorCode.IMPORT_HEADER_INVALID: "The header row is not the import template's.",
    ErrorCode.INVALID_CERTIFICATE_NUMBER: "Not a certificate number: 4 to 40 letters, digits or hyphens.",
    ErrorCode.INVALID_CREDIT_CODE: "Not a valid 18-character unified social credit code.",
    ErrorCode.INVALID_DATE: "Not a date in YYYY-MM-DD form.",
    ErrorCode.INVALID_ENTERPRISE_STATUS: "Not a qualification status: 有效, 暂停 or 撤销.",
    ErrorCode.INVALID_PROVINCE: "Not a province: its two-digit code or its name.",
    ErrorCode.INVALID_SPECIALTY: "Not a specialty: its code (01) or its name (建筑工程).",
    ErrorCode.CERTIFICATE_NOT_CURRENT: "Replaced, changed or cancelled: only the current certificate downloads.",
    ErrorCode.CERTIFICATE_NOT_USABLE: "No usable time left: a specialty expired or the holder is 65.",
    ErrorCode.CERTIFICATE_UNAVAILABLE: "The certificate cannot be rendered now (server set-up); retry later.",
    ErrorCode.NOTHING_TO_ANNOUNCE: "No approved filing is waiting to be announced.",
    ErrorCode.APPLICATION_NOT_APPROVED: "A filing named is not approved and waiting to be announced (or already is).",
}
described_enum(
    ErrorCode,
    "稳定的错误代码 / Stable error codes.",
    {code.name: f"{MESSAGES[code].removesuffix('。')} / {text}" for code, text in _ERROR_CODES_IN_ENGLISH.items()},
)


@strawberry.type(description="可由用户纠正的错误 / An error the user can correct.")
class UserError:
    field: list[str] | None = strawberry.field(description="出错的输入字段路径 / Path of the input field at fault.")
    code: ErrorCode = strawberry.field(description="错误代码 / Machine-readable code.")
    message: str = strawberry.field(description="中文提示 / Message for the user, in Chinese.")
    retry_after_seconds: int | None = strawberry.field(
        default=None,
        description="距可重试的剩余秒数（短信重发间隔、账号锁定、频率限制），未知时为空 / Seconds left before a retry"
        " can succeed (SMS resend interval, account lockout, rate limits); null when not applicable or unknown.",
    )


def errors_field() -> Any:
    """The `errors` of every payload: empty when the mutation succeeded."""
    return strawberry.field(
        default_factory=list, description="可由用户纠正的错误（成功时为空）/ What to correct; empty on success."
    )


def parse_db_id(text: str) -> int | None:
    """A primary key from client text; None unless plain ASCII digits within the column's range."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DB_ID)):
        return None
    value = int(text)
    return value if value <= MAX_DB_ID else None


def check_page_size(first: int) -> None:
    """`first` is required and at most 100."""
    if not 1 <= first <= MAX_PAGE:
        raise CodedError(TopLevelCode.INVALID_PAGE_SIZE.value, f"每页条数须在1到{MAX_PAGE}之间。")


def encode_cursor(key: int) -> str:
    """Opaque keyset cursor."""
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    """The key inside a cursor; None for no cursor; a malformed one is a coded error (never the first page)."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    prefix, _, key = text.partition(":")
    value = parse_db_id(key) if prefix == "k" else None
    if value is None:
        raise CodedError(TopLevelCode.INVALID_CURSOR.value, "分页游标不正确，请从第一页重新查询。")
    return value


async def nodes_in_order(
    ids: Iterable[str],
    visible: Callable[[list[int]], Awaitable[Mapping[int, Row]]],
    convert: Callable[[Row], Any],
) -> list[Any]:
    """`node(id:)` answers in the order asked, None where the domain says the row is missing or not the caller's."""
    wanted = [parse_db_id(str(node_id)) for node_id in ids]
    found = await visible([key for key in wanted if key is not None])
    return [convert(found[key]) if key is not None and key in found else None for key in wanted]
