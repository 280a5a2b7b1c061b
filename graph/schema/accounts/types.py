"""Types of the accounts area: Person, StaffUser, Attachment, Captcha."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import accounts
from domain.accounts import AttachmentKind, Degree, Education, StaffRole
from domain.filings import ApplicationFilter
from graph.schema.common import described_enum, nodes_in_order
from graph.schema.trail import OperationTrailConnection, trail_page

if TYPE_CHECKING:
    from db import models
    from domain.filings import ApplicationKind, ApplicationStatus
    from graph.schema.certificates.types import Certificate
    from graph.schema.filings.applications import ApplicationConnection
    from graph.schema.filings.kinds_other import PendingInfoChange
    from graph.schema.filings.reference import Enterprise, Qualification, Specialty
    from graph.schema.verification import Verification

described_enum(
    AttachmentKind,
    "附件类型 / Kind of attachment.",
    {
        "PHOTO": "证件照 / ID photo.",
        "ID_CARD_FRONT": "身份证人像面 / ID card, portrait side.",
        "ID_CARD_BACK": "身份证国徽面 / ID card, national emblem side.",
        "HANDHELD_ID": "手持身份证半身照 / Half-length photo holding the ID card.",
        "SIGNATURE": "本人签名 / Handwritten signature.",
    },
)
described_enum(
    StaffRole,
    "工作人员角色 / Staff role.",
    {
        "ADMIN": "系统管理员 / System administrator; may audit operation trails.",
        "PROVINCE": "省级主管部门 / Provincial authority; verifies identities on site.",
        "ENTERPRISE": "聘用企业 / Employing enterprise; sees its employees' filings.",
        "SPECIALTY_MINISTRY": "国务院有关专业部门 / Specialty ministry reviewer.",
        "MINISTRY": "住房和城乡建设部 / Ministry of Housing and Urban-Rural Development reviewer.",
    },
)
_EDUCATION_IN_ENGLISH = {
    Education.DOCTORATE: "Doctoral studies.",
    Education.MASTER: "Master's studies.",
    Education.BACHELOR: "Bachelor's (undergraduate) studies.",
    Education.COLLEGE: "Junior college.",
    Education.TECHNICAL_SECONDARY: "Technical secondary school.",
    Education.OTHER: "Other.",
}
described_enum(
    Education,
    "学历 / Education level.",
    {level.name: f"{level.value} / {text}" for level, text in _EDUCATION_IN_ENGLISH.items()},
)
_DEGREES_IN_ENGLISH = {
    Degree.DOCTOR: "Doctor's degree.",
    Degree.MASTER: "Master's degree.",
    Degree.BACHELOR: "Bachelor's degree.",
    Degree.NONE: "No degree.",
}
described_enum(
    Degree,
    "学位 / Academic degree.",
    {degree.name: f"{degree.value} / {text}" for degree, text in _DEGREES_IN_ENGLISH.items()},
)


@strawberry.enum(description="性别 / Gender, from the ID number.")
class Gender(Enum):
    MALE = strawberry.enum_value("M", description="男 / Male.")
    FEMALE = strawberry.enum_value("F", description="女 / Female.")


@strawberry.type(description="附件（已处理的图片）/ A processed image uploaded by the person.")
class Attachment(relay.Node):
    pk: relay.NodeID[int]
    kind: AttachmentKind = strawberry.field(description="附件类型 / Kind.")
    content_type: str = strawberry.field(description="MIME 类型 / MIME type.")
    size_bytes: int = strawberry.field(description="字节数 / Size in bytes.")
    width: int = strawberry.field(description="宽（像素）/ Width in pixels.")
    height: int = strawberry.field(description="高（像素）/ Height in pixels.")
    current: bool = strawberry.field(description="是否为当前使用的版本 / In use (not replaced).")
    uploaded_at: dt.datetime = strawberry.field(description="上传时间 / Upload time (UTC).")

    @strawberry.field(
        description="文件地址：为当前查看者签名的短期链接，可直接用于 <img src>（仅本人及授权工作人员）/ File URL: a "
        "short-lived link signed for the current viewer, usable in <img src>; owner and authorized staff only."
    )
    def url(self, info: Info) -> str:
        actor = info.context.actor
        return accounts.attachment_link(self.pk, actor) if actor is not None else f"/files/attachments/{self.pk}"

    @classmethod
    def from_model(cls, row: models.Attachment) -> Attachment:
        return cls(
            pk=row.id,
            kind=row.kind,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            width=row.width,
            height=row.height,
            current=row.current,
            uploaded_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        reader = info.context.reader
        return await nodes_in_order(node_ids, lambda ids: accounts.attachments_visible_to(reader, ids), cls.from_model)


@strawberry.type(description="申请人 / An applicant (个人).")
class Person(relay.Node):
    pk: relay.NodeID[int]
    real_name: str = strawberry.field(description="姓名 / Real name.")
    id_number_masked: str = strawberry.field(description="证件号码（脱敏）/ ID number, masked.")
    mobile_masked: str = strawberry.field(description="手机号码（脱敏）/ Mobile, masked.")
    gender: Gender = strawberry.field(description="性别 / Gender.")
    birth_date: dt.date = strawberry.field(description="出生日期 / Birth date.")
    nationality: str = strawberry.field(
        description="国籍（ISO 3166-1 二位字母代码，默认 CN）/ Nationality, ISO 3166-1 alpha-2 code (default CN)."
    )
    ethnicity: str | None = strawberry.field(description="民族（可选）/ Ethnic group (GB/T 3304), optional.")
    email: str | None = strawberry.field(description="电子邮箱 / E-mail.")
    education: Education | None = strawberry.field(description="学历 / Education.")
    degree: Degree | None = strawberry.field(description="学位 / Degree.")
    school: str | None = strawberry.field(description="毕业院校 / School graduated from.")
    trail_total: strawberry.Private[int | None] = None  # the chain head's seq, when read in this request

    @strawberry.field(description="国籍名称，如“中国” / Nationality in Chinese, e.g. 中国.")
    def nationality_label(self) -> str:
        return accounts.nationality_label(self.nationality)

    @strawberry.field(
        description="基本信息是否完整（国籍、电子邮箱、学历、学位、毕业院校；民族可不填）/ Whether the profile is "
        "complete: nationality, e-mail, education, degree, school (ethnic group optional)."
    )
    def profile_complete(self) -> bool:
        return accounts.profile_complete(self)

    @strawberry.field(description="实名认证（已通过的，或最近一次）/ Verification: the passed one, else the latest.")
    async def verification(
        self, info: Info
    ) -> Annotated[Verification, strawberry.lazy("graph.schema.verification")] | None:
        from graph.schema.verification import Verification

        row = await info.context.loaders.verification.load(self.pk)
        return Verification.from_model(row, info.context.actor) if row else None

    @strawberry.field(description="当前附件（每类一份）/ Current attachments, one per kind.")
    async def attachments(self, info: Info) -> list[Attachment]:
        return [Attachment.from_model(row) for row in await info.context.loaders.attachments.load(self.pk)]

    @strawberry.field(description="资格（按证件号码匹配的导入记录）/ Qualifications imported for this ID number.")
    async def qualifications(
        self, info: Info
    ) -> list[Annotated[Qualification, strawberry.lazy("graph.schema.filings.reference")]]:
        from graph.schema.filings.reference import Qualification

        return [Qualification.from_model(row) for row in await info.context.loaders.qualifications.load(self.pk)]

    @strawberry.field(description="注册申报及其进度（新的在前）/ Filings and their progress, newest first.")
    async def applications(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="本页条数（1–100）/ Page size, 1 to 100.")],
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / The previous page's endCursor.")
        ] = None,
        kind: Annotated[
            Annotated[ApplicationKind, strawberry.lazy("graph.schema.filings.applications")] | None,
            strawberry.argument(description="只看该类申报 / Only this kind."),
        ] = None,
        status: Annotated[
            Annotated[ApplicationStatus, strawberry.lazy("graph.schema.filings.applications")] | None,
            strawberry.argument(description="只看该状态 / Only this status."),
        ] = None,
        temporary: Annotated[
            bool | None,
            strawberry.argument(
                description="一级临时（true）或一级（false）菜单；不填为全部 / The temporary Level-1 menu (true), the "
                "Level-1 menu (false), or both (null)."
            ),
        ] = None,
    ) -> Annotated[ApplicationConnection, strawberry.lazy("graph.schema.filings.applications")] | None:
        from graph.schema.filings.applications import applications_page

        wanted = ApplicationFilter(kind=kind, status=status, temporary=temporary)
        return await applications_page(info.context.actor, self.pk, first, after, wanted)

    @strawberry.field(
        description="我的证书：当前有效的在前，其后为已被取代的版本（仅本人可见）/ My certificates: the current one "
        "first, then superseded versions, newest first (the holder only; empty for anyone else)."
    )
    async def certificates(
        self, info: Info
    ) -> list[Annotated[Certificate, strawberry.lazy("graph.schema.certificates.types")]]:
        from domain import certificates
        from graph.schema.certificates.types import Certificate

        rows = await certificates.certificates_of(info.context.actor, self.pk)
        return [Certificate.from_model(row) for row in rows]

    @strawberry.field(
        description="审核中的个人信息修改（获准前姓名、证件号码不变）/ A personal-information change under review "
        "(the name and ID number change only once it is approved); null when there is none."
    )
    async def pending_info_change(
        self, info: Info
    ) -> Annotated[PendingInfoChange, strawberry.lazy("graph.schema.filings.kinds_other")] | None:
        from graph.schema.filings.kinds_other import PendingInfoChange

        pending = await info.context.loaders.pending_info_changes.load(self.pk)
        return PendingInfoChange.of(pending) if pending is not None else None

    @strawberry.field(description="操作轨迹（新的在前）/ Operation trail, newest first.")
    async def trail(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="本页条数（1–100）/ Page size, 1 to 100.")],
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / The previous page's endCursor.")
        ] = None,
    ) -> OperationTrailConnection | None:
        return await trail_page(info.context.actor, self.pk, first, after, self.trail_total)

    @classmethod
    def from_model(cls, row: models.Person, head_is_fresh: bool = False) -> Person:
        """`head_is_fresh`: the row was read after the request's last trail append (viewer, node)."""
        return cls(
            pk=row.id,
            real_name=row.real_name,
            id_number_masked=row.id_number_masked,
            mobile_masked=accounts.mask_mobile(row.mobile),
            gender=Gender(row.gender),
            birth_date=row.birth_date,
            nationality=row.nationality,
            ethnicity=row.ethnicity,
            email=row.email,
            education=Education(row.education) if row.education else None,
            degree=Degree(row.degree) if row.degree else None,
            school=row.school,
            trail_total=row.trail_head_seq if head_is_fresh else None,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        reader = info.context.reader
        return await nodes_in_order(
            node_ids,
            lambda ids: accounts.people_visible_to(reader, ids),
            lambda row: cls.from_model(row, head_is_fresh=True),
        )


@strawberry.type(description="工作人员 / A staff user.")
class StaffUser:
    enterprise_pk: strawberry.Private[int | None]
    specialty_codes: strawberry.Private[list[str]]
    mobile: strawberry.Private[str | None]
    username: str = strawberry.field(description="用户名 / Username.")
    display_name: str = strawberry.field(description="姓名 / Display name.")
    role: StaffRole = strawberry.field(description="角色 / Role.")
    province_code: str | None = strawberry.field(description="省级行政区划代码 / Province code (GB/T 2260).")

    @strawberry.field(description="所属企业（企业角色）/ The enterprise (ENTERPRISE role).")
    async def enterprise(
        self, info: Info
    ) -> Annotated[Enterprise, strawberry.lazy("graph.schema.filings.reference")] | None:
        from graph.schema.filings.reference import Enterprise

        if self.enterprise_pk is None:
            return None
        row = await info.context.loaders.enterprises.load(self.enterprise_pk)
        return Enterprise.from_model(row) if row is not None else None

    @strawberry.field(description="所审查的专业（专业部门）/ Specialties reviewed (SPECIALTY_MINISTRY role).")
    def specialties(self) -> list[Annotated[Specialty, strawberry.lazy("graph.schema.filings.reference")]]:
        from graph.schema.filings.reference import Specialty

        return [Specialty.of_code(code) for code in self.specialty_codes]

    @strawberry.field(description="手机号码（脱敏）/ Mobile for notices, masked.")
    def mobile_masked(self) -> str | None:
        return accounts.mask_mobile(self.mobile) if self.mobile else None

    @classmethod
    def from_model(cls, row: models.StaffUser) -> StaffUser:
        return cls(
            enterprise_pk=row.enterprise_id,  # type: ignore[attr-defined]
            specialty_codes=list(row.specialty_codes or []),
            mobile=row.mobile,
            username=row.username,
            display_name=row.display_name,
            role=row.role,
            province_code=row.province_code,
        )


@strawberry.type(description="图片验证码 / An image captcha.")
class Captcha:
    id: str = strawberry.field(description="验证码编号 / Captcha id, sent back with the answer.")
    image_data_url: str = strawberry.field(description="PNG 图片（data URL）/ PNG image as a data URL.")
    expires_at: dt.datetime = strawberry.field(description="过期时间 / Expiry time.")
