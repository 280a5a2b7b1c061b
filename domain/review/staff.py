"""Staff accounts made by an administrator (createStaffUser, `manage.py create-staff`): the accounts rule plus the
review one, that a specialty ministry reviewer reviews only specialties that pass a specialty ministry."""

from __future__ import annotations

from db.models import StaffRole, StaffUser
from domain import accounts, filings
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode


def check_specialty_codes(codes: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Known codes of specialties a specialty ministry reviews (02 公路 … 08 通信), cleaned; INVALID_SPECIALTY
    for any other."""
    if codes is None:
        return None
    cleaned = tuple(sorted({code.strip() for code in codes}))
    for code in cleaned:
        known = filings.specialty(code)
        if known is None or not known.needs_specialty_review:
            reviewed = "、".join(s.code for s in filings.SPECIALTIES if s.needs_specialty_review)
            message = f"专业“{code[:10]}”不经专业部门审查；可选：{reviewed}。"
            raise DomainError(ErrorCode.INVALID_SPECIALTY, "specialty_codes", message)
    return cleaned


async def create_staff_account(new: accounts.NewStaff, password: str | None = None) -> tuple[StaffUser, str]:
    """One staff account (the CLI, and createStaffUser after its ADMIN check); the password generated unless given,
    returned to be shown once."""
    checked = accounts.NewStaff(
        username=new.username,
        role=new.role,
        display_name=new.display_name,
        province_code=new.province_code,
        enterprise_credit_code=new.enterprise_credit_code,
        enterprise_id=new.enterprise_id,
        specialty_codes=check_specialty_codes(new.specialty_codes),
        mobile=new.mobile,
    )
    return await accounts.create_staff(checked, password)


async def create_staff_user(actor: Actor | None, new: accounts.NewStaff) -> tuple[StaffUser, str]:
    """createStaffUser: administrators only (FORBIDDEN otherwise); the generated password is returned once."""
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    if not actor.has_role(StaffRole.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN)
    return await create_staff_account(new)
