"""certificateVerification: what a certificate's QR code says, with masked personal data only."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain import certificates
from domain.certificates import CertificateStatus
from graph.schema.certificates.types import RegisteredSpecialty
from graph.schema.common import described_enum

described_enum(
    CertificateStatus,
    "证书核验结论 / What a verified QR code's certificate is now.",
    {
        "VALID": "有效：当前有效的证书，且在使用有效期内 / Genuine, current and within its usable period.",
        "REPLACED": "已换发：已被更换的新证书取代 / Replaced by a new issue (lost, damaged).",
        "CHANGED": "已变更：注册信息变更后已换发新证书 / Superseded by a reissue after a change.",
        "CANCELLED": "已注销 / The registration was cancelled.",
        "LAPSED": "已失效 / The registration lapsed (expired unrenewed, age 65).",
        "EXPIRED": "已过使用有效期：证书仍有效，请持证人重新下载 / Past the download's usable date; the holder "
        "downloads it again.",
        "FORGED": "无效：不是本系统签发或已被篡改 / Not signed by this system, tampered or malformed.",
    },
)


@strawberry.type(description="证书核验结果（扫描二维码）/ The answer to a scanned certificate QR code.")
class CertificateVerification:
    status: CertificateStatus = strawberry.field(description="核验结论 / Verdict.")
    status_label: str = strawberry.field(description="结论说明（中文）/ The verdict in a Chinese sentence.")
    checked_on: dt.date = strawberry.field(description="核验日期 / Date of the check.")
    number_with_check: str | None = strawberry.field(description="注册编号及印章校验码 / Number with seal check.")
    name_masked: str | None = strawberry.field(description="姓名（脱敏，如 张*）/ Name, masked.")
    id_number_masked: str | None = strawberry.field(description="证件号码（脱敏）/ ID number, masked.")
    enterprise_name: str | None = strawberry.field(description="聘用企业 / Employing enterprise.")
    specialties: list[RegisteredSpecialty] = strawberry.field(description="注册专业及有效期 / Specialties.")
    issued_on: dt.date | None = strawberry.field(description="发证日期 / Issue date.")
    usable_until: dt.date | None = strawberry.field(description="使用有效期至 / Usable until (signed in the code).")
    download_id: int | None = strawberry.field(description="下载编号 / Download number printed on the copy.")
    superseded_at: dt.datetime | None = strawberry.field(description="被取代时间 / When it stopped being current.")

    @classmethod
    def from_domain(cls, check: certificates.CertificateCheck) -> CertificateVerification:
        facts = check.facts
        return cls(
            status=check.status,
            status_label=check.label,
            checked_on=check.checked_on,
            number_with_check=facts.number_with_check if facts else None,
            name_masked=facts.name_masked if facts else None,
            id_number_masked=facts.id_number_masked if facts else None,
            enterprise_name=check.enterprise_name,
            specialties=[
                RegisteredSpecialty(code=s.code, name=s.name, expires_on=s.expires_on) for s in check.specialties
            ],
            issued_on=check.issued_on,
            usable_until=facts.usable_until if facts else None,
            download_id=facts.download_id if facts else None,
            superseded_at=check.superseded_at,
        )
