"""Dev seed data: demo enterprises, staff for every role (each demo enterprise's HR clerk, so the demo applicants'
filings can be confirmed; the specialty reviewer of every specialty that needs one) and the demo applicants'
passwords; credentials kept in var/."""

from __future__ import annotations

import json
import secrets
from typing import Any

from stdnum.cn import uscc
from tortoise.transactions import in_transaction

from db.models import Enterprise, StaffRole, StaffUser
from domain.accounts.passwords import hash_password
from domain.kernel.settings import get_settings

DEMO_ENTERPRISES = [
    ("中建示范建设集团有限公司", "11", "91110000MA0000001"),
    ("江西示范路桥工程有限公司", "36", "91360000MA0000002"),
    ("天津示范港航工程有限公司", "12", "91120000MA0000003"),
]
REVIEWED_SPECIALTIES = ["02", "03", "04", "05", "06", "08"]  # 公路 铁路 民航 港航 水利 通信: a specialty ministry's
# username, display name, role, province, index into DEMO_ENTERPRISES, specialty codes
STAFF: list[tuple[str, str, StaffRole, str | None, int | None, list[str] | None]] = [
    ("admin", "系统管理员", StaffRole.ADMIN, None, None, None),
    ("province-bj", "北京市住建委认证员", StaffRole.PROVINCE, "11", None, None),
    ("province-jx", "江西省住建厅认证员", StaffRole.PROVINCE, "36", None, None),  # the test ID 360426… is Jiangxi's
    ("enterprise-demo", "中建示范人事专员", StaffRole.ENTERPRISE, "11", 0, None),  # 王五's employer
    ("enterprise-jx", "江西示范路桥人事专员", StaffRole.ENTERPRISE, "36", 1, None),
    ("enterprise-tj", "天津示范港航人事专员", StaffRole.ENTERPRISE, "12", 2, None),  # 李四's employer
    ("specialty-reviewer", "专业部门审查员", StaffRole.SPECIALTY_MINISTRY, None, None, REVIEWED_SPECIALTIES),
    ("ministry-reviewer", "住建部审查员", StaffRole.MINISTRY, None, None, None),
]


def credit_code(first17: str) -> str:
    """A valid unified social credit code from its first 17 characters (GB 32100 check character)."""
    return first17 + uscc.calc_check_digit(first17)


# Demo applicants seeded by other areas (filings: a registered person), by login name; their passwords live here too.
DEMO_APPLICANTS = ("120103198806018241", "110105198503121234")


def load_credentials() -> dict[str, str]:
    """Dev passwords, generated once per user into var/dev-credentials.json (never committed; a user added to STAFF
    later gets one too)."""
    path = get_settings().var_dir / "dev-credentials.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    names = [row[0] for row in STAFF] + list(DEMO_APPLICANTS)
    credentials = {name: stored.get(name) or f"Dev-{secrets.token_urlsafe(9)}" for name in names}
    if credentials == stored:
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(credentials, indent=2))
    path.chmod(0o600)
    return credentials


async def seed_dev() -> dict[str, Any]:
    """Create what is missing; running it again changes nothing."""
    credentials = load_credentials()
    async with in_transaction():
        enterprises = []
        for name, enterprise_province, first17 in DEMO_ENTERPRISES:
            enterprise, _ = await Enterprise.get_or_create(
                credit_code=credit_code(first17), defaults={"name": name, "province_code": enterprise_province}
            )
            enterprises.append(enterprise)
        for username, display, role, province, enterprise_index, specialties in STAFF:
            if await StaffUser.exists(username=username):
                if specialties:  # seeded before reviewers had specialties: theirs now, nothing else changed
                    await StaffUser.filter(username=username, specialty_codes__isnull=True).update(
                        specialty_codes=specialties
                    )
                continue
            await StaffUser.create(
                username=username,
                display_name=display,
                role=role,
                province_code=province,
                enterprise=enterprises[enterprise_index] if enterprise_index is not None else None,
                specialty_codes=specialties,
                password_hash=await hash_password(credentials[username]),
            )
    staff = {name: password for name, password in credentials.items() if name not in DEMO_APPLICANTS}
    applicants = {name: credentials[name] for name in DEMO_APPLICANTS}
    return {"staff": staff, "applicants": applicants, "enterprises": [e.name for e in enterprises]}
