"""Types of the operation trail: OperationTrail and its Relay connection (keyset cursors on the chain's seq)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import trail
from domain.trail import TrailAction
from graph.schema.common import check_page_size, decode_cursor, described_enum, encode_cursor, nodes_in_order

if TYPE_CHECKING:
    from db.models import TrailEntry
    from domain.kernel.actors import Actor

described_enum(
    TrailAction,
    "操作代码 / What a trail entry records.",
    {
        "REGISTER": "注册账号 / Account registered.",
        "LOGIN_SUCCEEDED": "登录成功 / Logged in.",
        "LOGIN_FAILED": "登录失败：密码错误 / Login failed: wrong password.",
        "LOGIN_LOCKED": "登录被拒绝（账号锁定或请求过于频繁）/ Login refused: account locked or throttled.",
        "LOGOUT": "退出登录 / Logged out.",
        "PROFILE_UPDATED": "修改个人基本信息 / Profile changed.",
        "ATTACHMENT_UPLOADED": "上传附件 / Attachment uploaded.",
        "ATTACHMENT_VIEWED_BY_STAFF": "工作人员查看附件 / A staff user viewed an attachment.",
        "PERSON_VIEWED_BY_STAFF": "工作人员查阅个人信息 / A staff user read the person's data.",
        "SMS_CODE_REQUESTED": "获取短信验证码 / SMS code requested.",
        "MOBILE_CHANGED": "更换手机号码 / Mobile changed.",
        "PASSWORD_CHANGED": "修改登录密码 / Password changed.",
        "PASSWORD_RESET_REQUESTED": "找回密码：发送短信验证码 / Password recovery: SMS code sent.",
        "PASSWORD_RESET": "找回密码：重设登录密码 / Password reset by SMS code; every session ended.",
        "VERIFICATION_STARTED": "发起实名认证 / Verification started.",
        "VERIFICATION_PASSED": "实名认证通过 / Verification passed.",
        "VERIFICATION_FAILED": "实名认证未通过 / Verification failed.",
        "VERIFICATION_EXPIRED": "实名认证已过期或已关闭 / Verification expired or closed.",
        "VERIFICATION_MATERIALS_VIEWED": "省级工作人员查阅认证材料 / Provincial staff viewed the materials.",
        "APPLICATION_SUBMITTED": "提交注册申报 / A filing was submitted.",
        "APPLICATION_PRECHECKED": "申报通过系统预审 / The filing passed the automatic pre-check.",
        "APPLICATION_REFUSED": "申报不予受理或不予注册 / The filing was refused.",
        "APPLICATION_WITHDRAWN": "撤回申报 / The filing was withdrawn.",
        "APPLICATION_RETURNED": "申报被退回补正 / A filing was returned for correction.",
        "APPLICATION_CONFIRMED": "聘用企业确认申报 / The employer confirmed a filing.",
        "APPLICATION_REVIEWED": "申报通过审查环节 / A filing passed a review stage.",
        "APPLICATION_APPROVED": "申报准予注册 / A filing was approved.",
        "APPLICATION_RESUBMITTED": "补正后重新提交申报 / A filing was resubmitted after correction.",
        "PERSONAL_INFO_CHANGED": "个人信息修改获准并生效 / An approved personal-info change took effect.",
        "CERTIFICATE_DOWNLOADED": "下载电子证书（PDF 或 PNG）/ Downloaded the electronic certificate (PDF or PNG).",
        "CERTIFICATE_ISSUED": "注册证书已签发 / A registration certificate (version) was issued.",
        "REGISTRATION_CANCELLED": "注册已注销，证书作废 / The registration was cancelled and its certificate voided.",
        "APPLICATION_ANNOUNCED": "准予注册的申报已公告 / An approved filing was published in an announcement.",
        "SPECIALTY_EXPIRED": "注册专业有效期届满失效 / A registered specialty expired unrenewed.",
        "REGISTRATION_LAPSED": "注册失效（有效期届满或年满65周岁）/ The registration lapsed (expiry or age 65).",
    },
)


@strawberry.type(description="操作轨迹记录 / One entry of the operation trail.")
class OperationTrail(relay.Node):
    pk: relay.NodeID[int]
    action: TrailAction = strawberry.field(description="操作代码 / Action code, e.g. LOGIN_SUCCEEDED.")
    description: str = strawberry.field(description="操作说明 / What happened, in Chinese.")
    actor: str = strawberry.field(description="操作人 / Who acted (本人 or staff).")
    ip: str = strawberry.field(description="IP 地址 / Client IP.")
    user_agent: str = strawberry.field(description="客户端 / User agent.")
    occurred_at: dt.datetime = strawberry.field(description="时间（UTC）/ When (UTC).")

    @classmethod
    def from_model(cls, row: TrailEntry) -> OperationTrail:
        return cls(
            pk=row.id,
            action=TrailAction(row.action),
            description=row.description,
            actor=row.actor,
            ip=row.ip,
            user_agent=row.user_agent,
            occurred_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        actor = info.context.actor
        return await nodes_in_order(node_ids, lambda ids: trail.entries_visible_to(actor, ids), cls.from_model)


@strawberry.type(description="操作轨迹（新的在前）/ The operation trail, newest first.")
class OperationTrailConnection(relay.Connection[OperationTrail]):
    total: strawberry.Private[int]

    @strawberry.field(description="记录总数 / Total entries (the sequence number of the chain head).")
    def total_count(self) -> int:
        return self.total


async def trail_page(
    actor: Actor | None, person_id: int, first: int, after: str | None, known_total: int | None
) -> OperationTrailConnection:
    """One page of a person's trail, newest first; empty for a caller who may not see it."""
    check_page_size(first)
    before_seq = decode_cursor(after)
    if not trail.may_view(actor, person_id):
        return OperationTrailConnection(edges=[], page_info=_page_info([], False, False), total=0)
    rows, more = await trail.page(person_id, first, before_seq)
    edges = [relay.Edge(cursor=encode_cursor(row.seq), node=OperationTrail.from_model(row)) for row in rows]
    total = known_total if known_total is not None else await trail.count(person_id)
    return OperationTrailConnection(edges=edges, page_info=_page_info(edges, more, before_seq is not None), total=total)


def _page_info(edges: list[relay.Edge[OperationTrail]], more: bool, after_given: bool) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=more,
        has_previous_page=after_given,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
