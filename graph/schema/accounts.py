"""Types of the accounts domain: Person, StaffUser, Attachment, OperationTrail, Captcha."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import access, attachments, trail, verification
from domain.identity import mask_mobile
from domain.profile_options import Degree as DomainDegree
from domain.profile_options import Education as DomainEducation
from graph.errors import CodedError
from graph.schema.common import MAX_PAGE, PageInfo, decode_cursor, encode_cursor, parse_db_id

if TYPE_CHECKING:
    from graph.schema.verification import Verification

# Domain enums registered as GraphQL enums (annotations below use the domain classes themselves).
AttachmentKind = models.AttachmentKind
StaffRole = models.StaffRole
Education = DomainEducation
Degree = DomainDegree
strawberry.enum(AttachmentKind, description="附件类型 / Kind of attachment.")
strawberry.enum(StaffRole, description="工作人员角色 / Staff role.")
strawberry.enum(Education, description="学历 / Education level.")
strawberry.enum(Degree, description="学位 / Academic degree.")


@strawberry.enum(description="性别 / Gender, from the ID number.")
class Gender(Enum):
    MALE = "M"
    FEMALE = "F"


def check_page_size(first: int) -> None:
    """`first` is required and at most 100."""
    if not 1 <= first <= MAX_PAGE:
        raise CodedError("INVALID_PAGE_SIZE", f"first 须在 1 到 {MAX_PAGE} 之间。")


async def visible_nodes(info: Info, ids: Iterable[str], model: Any, allowed: Any, convert: Any) -> list[Any]:
    """Rows for `node(id:)` in the order asked, None where missing or not the caller's to see (IDOR)."""
    wanted = [parse_db_id(str(i)) for i in ids]
    rows = await model.filter(id__in=[i for i in wanted if i is not None])
    owner_attr = "id" if model is models.Person else "person_id"
    found = {row.id: row for row in rows if allowed(info.context.actor, getattr(row, owner_attr))}
    return [convert(found[i]) if i in found else None for i in wanted]


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

    @strawberry.field(description="文件地址（仅本人及授权工作人员可访问）/ File URL, owner and authorized staff only.")
    def url(self) -> str:
        return f"/files/attachments/{self.pk}"

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
        return await visible_nodes(info, node_ids, models.Attachment, access.can_view_person, cls.from_model)


@strawberry.type(description="操作轨迹记录 / One entry of the operation trail.")
class OperationTrail(relay.Node):
    pk: relay.NodeID[int]
    action: str = strawberry.field(description="操作代码 / Action code, e.g. LOGIN_SUCCEEDED.")
    description: str = strawberry.field(description="操作说明 / What happened, in Chinese.")
    actor: str = strawberry.field(description="操作人 / Who acted (本人 or staff).")
    ip: str = strawberry.field(description="IP 地址 / Client IP.")
    user_agent: str = strawberry.field(description="客户端 / User agent.")
    occurred_at: dt.datetime = strawberry.field(description="时间（UTC）/ When (UTC).")

    @classmethod
    def from_model(cls, row: models.TrailEntry) -> OperationTrail:
        return cls(
            pk=row.id,
            action=row.action,
            description=row.description,
            actor=row.actor,
            ip=row.ip,
            user_agent=row.user_agent,
            occurred_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await visible_nodes(info, node_ids, models.TrailEntry, access.can_view_trail, cls.from_model)


@strawberry.type(description="操作轨迹的一条边 / An edge of the trail connection.")
class OperationTrailEdge:
    cursor: str
    node: OperationTrail


@strawberry.type(description="操作轨迹（新的在前）/ The operation trail, newest first.")
class OperationTrailConnection:
    edges: list[OperationTrailEdge]
    page_info: PageInfo
    total: strawberry.Private[int]

    @strawberry.field(description="记录总数 / Total entries (the sequence number of the chain head).")
    def total_count(self) -> int:
        return self.total


@strawberry.type(description="申请人 / An applicant (个人).")
class Person(relay.Node):
    pk: relay.NodeID[int]
    real_name: str = strawberry.field(description="姓名 / Real name.")
    id_number_masked: str = strawberry.field(description="证件号码（脱敏）/ ID number, masked.")
    mobile_masked: str = strawberry.field(description="手机号码（脱敏）/ Mobile, masked.")
    gender: Gender = strawberry.field(description="性别 / Gender.")
    birth_date: dt.date = strawberry.field(description="出生日期 / Birth date.")
    ethnicity: str | None = strawberry.field(description="民族 / Ethnic group (GB/T 3304).")
    email: str | None = strawberry.field(description="电子邮箱 / E-mail.")
    education: Education | None = strawberry.field(description="学历 / Education.")
    degree: Degree | None = strawberry.field(description="学位 / Degree.")
    school: str | None = strawberry.field(description="毕业院校 / School graduated from.")
    trail_total: strawberry.Private[int | None] = None  # the chain head's seq, when read in this request

    @strawberry.field(description="基本信息是否完整 / Whether the profile is complete.")
    def profile_complete(self) -> bool:
        return None not in (self.ethnicity, self.email, self.education, self.degree, self.school)

    @strawberry.field(description="实名认证（已通过的，或最近一次）/ Verification: the passed one, else the latest.")
    async def verification(self) -> Annotated[Verification, strawberry.lazy("graph.schema.verification")] | None:
        from graph.schema.verification import Verification

        row = await verification.current(self.pk)
        return Verification.from_model(row) if row else None

    @strawberry.field(description="当前附件（每类一份）/ Current attachments, one per kind.")
    async def attachments(self) -> list[Attachment]:
        return [Attachment.from_model(row) for row in await attachments.current_for(self.pk)]

    @strawberry.field(description="操作轨迹 / Operation trail, newest first.")
    async def trail(self, info: Info, first: int, after: str | None = None) -> OperationTrailConnection:
        check_page_size(first)
        if not access.can_view_trail(info.context.actor, self.pk):
            return OperationTrailConnection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None), total=0)
        rows, more = await trail.page(self.pk, first, decode_cursor(after))
        edges = [OperationTrailEdge(cursor=encode_cursor(r.seq), node=OperationTrail.from_model(r)) for r in rows]
        end = edges[-1].cursor if edges else None
        total = self.trail_total if self.trail_total is not None else await trail.count(self.pk)
        return OperationTrailConnection(
            edges=edges, page_info=PageInfo(has_next_page=more, end_cursor=end), total=total
        )

    @classmethod
    def from_model(cls, row: models.Person, head_is_fresh: bool = False) -> Person:
        """`head_is_fresh`: the row was read after the request's last trail append (viewer, node)."""
        return cls(
            pk=row.id,
            real_name=row.real_name,
            id_number_masked=row.id_number_masked,
            mobile_masked=mask_mobile(row.mobile),
            gender=Gender(row.gender),
            birth_date=row.birth_date,
            ethnicity=row.ethnicity,
            email=row.email,
            education=DomainEducation(row.education) if row.education else None,
            degree=DomainDegree(row.degree) if row.degree else None,
            school=row.school,
            trail_total=row.trail_head_seq if head_is_fresh else None,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await visible_nodes(
            info, node_ids, models.Person, access.can_view_person, lambda row: cls.from_model(row, head_is_fresh=True)
        )


@strawberry.type(description="工作人员 / A staff user.")
class StaffUser:
    username: str = strawberry.field(description="用户名 / Username.")
    display_name: str = strawberry.field(description="姓名 / Display name.")
    role: StaffRole = strawberry.field(description="角色 / Role.")
    province_code: str | None = strawberry.field(description="省级行政区划代码 / Province code (GB/T 2260).")

    @classmethod
    def from_model(cls, row: models.StaffUser) -> StaffUser:
        return cls(
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
