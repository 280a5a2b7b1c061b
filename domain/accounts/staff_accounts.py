"""Staff accounts created by an administrator (`python manage.py create-staff`): the only way in production."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from db.models import Enterprise, StaffRole, StaffUser
from domain.accounts.identifiers import normalize_mobile
from domain.accounts.passwords import check_password_policy, hash_password
from domain.kernel.errors import DomainError, ErrorCode

STAFF_PASSWORD_MIN_LENGTH = 12
GENERATED_PASSWORD_BYTES = 18  # 24 URL-safe characters, 144 bits
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
# GB/T 2260: the first two digits of the provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao.
_PROVINCES = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82"
PROVINCE_CODES = frozenset(_PROVINCES.split(" "))


@dataclass(frozen=True)
class NewStaff:
    """What the administrator asked for; checked by `create_staff`. The enterprise by credit code (CLI) or id
    (GraphQL); specialty codes for a SPECIALTY_MINISTRY reviewer (which ones a specialty ministry may review is the
    review area's rule, checked before); a mobile for notices (optional)."""

    username: str
    role: str
    display_name: str = ""
    province_code: str | None = None
    enterprise_credit_code: str | None = None
    enterprise_id: int | None = None
    specialty_codes: tuple[str, ...] | None = None
    mobile: str | None = None


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, field, message)


def _role(value: str) -> StaffRole:
    try:
        return StaffRole(value.strip().upper())
    except ValueError:
        known = "、".join(role.value for role in StaffRole)
        raise _invalid("role", f"未知的角色“{value[:40]}”，可选：{known}。") from None


async def _enterprise(new: NewStaff, role: StaffRole) -> Enterprise | None:
    given = new.enterprise_credit_code or new.enterprise_id is not None
    if role is not StaffRole.ENTERPRISE:
        if given:
            raise _invalid("enterprise_id", "只有企业角色（ENTERPRISE）可以关联企业。")
        return None
    if not given:
        raise _invalid("enterprise_id", "企业角色（ENTERPRISE）必须指定企业。")
    if new.enterprise_id is not None:
        enterprise = await Enterprise.get_or_none(id=new.enterprise_id)
    else:
        enterprise = await Enterprise.get_or_none(credit_code=(new.enterprise_credit_code or "").strip().upper())
    if enterprise is None:
        raise _invalid("enterprise_id", "未找到该企业。")
    return enterprise


def _specialties(new: NewStaff, role: StaffRole) -> list[str] | None:
    codes = sorted(set(new.specialty_codes or ()))
    if role is not StaffRole.SPECIALTY_MINISTRY:
        if codes:
            raise _invalid("specialty_codes", "只有专业部门审查员（SPECIALTY_MINISTRY）可以指定专业。")
        return None
    if not codes:
        raise _invalid("specialty_codes", "专业部门审查员（SPECIALTY_MINISTRY）必须指定所审查的专业。")
    return codes


def _province(new: NewStaff, role: StaffRole, enterprise: Enterprise | None) -> str | None:
    if new.province_code is not None and new.province_code not in PROVINCE_CODES:
        raise _invalid("province_code", "省级行政区划代码不正确，应为两位数字（如北京 11）。")
    if role is StaffRole.PROVINCE and new.province_code is None:
        raise _invalid("province_code", "省级认证员（PROVINCE）必须指定省级行政区划代码。")
    if enterprise is not None:
        return new.province_code or enterprise.province_code
    return new.province_code


def _password(given: str | None) -> str:
    if given is None:
        return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    if len(given) < STAFF_PASSWORD_MIN_LENGTH:
        raise _invalid("password", f"工作人员密码至少 {STAFF_PASSWORD_MIN_LENGTH} 位。")
    check_password_policy(given, None)
    return given


async def create_staff(new: NewStaff, password: str | None = None) -> tuple[StaffUser, str]:
    """Create one staff account; the password is generated (strong) unless given. Returns the account and the
    password, which the caller shows once and never stores. Refuses duplicates, unknown roles, bad scopes."""
    username = new.username.strip().lower()
    if not USERNAME.match(username):
        raise _invalid("username", "用户名应为3至50位小写字母、数字、点、下划线或连字符。")
    role = _role(new.role)
    enterprise = await _enterprise(new, role)
    province = _province(new, role, enterprise)
    specialty_codes = _specialties(new, role)
    mobile = normalize_mobile(new.mobile) if new.mobile else None
    chosen = _password(password)
    taken = DomainError(ErrorCode.CONFLICT, "username", f"用户名“{username}”已存在。")
    if await StaffUser.exists(username=username):
        raise taken
    try:
        staff = await StaffUser.create(
            username=username,
            display_name=(new.display_name.strip() or username)[:50],
            role=role,
            province_code=province,
            enterprise=enterprise,
            specialty_codes=specialty_codes,
            mobile=mobile,
            password_hash=await hash_password(chosen),
        )
    except IntegrityError:  # created concurrently: the unique index decides
        raise taken from None
    return staff, chosen
