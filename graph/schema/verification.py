"""Types of real-name verification: Verification, the on-site case, inputs and payloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import verification
from domain.verification import VerificationMethod, VerificationStatus
from graph.schema.accounts.types import Attachment, Person
from graph.schema.common import UserError, described_enum, errors_field, nodes_in_order

if TYPE_CHECKING:
    from db import models
    from domain.kernel.actors import Actor

described_enum(
    VerificationMethod,
    "认证方式 / ALIPAY (扫码) or ONSITE (现场).",
    {
        "ALIPAY": "支付宝扫码认证 / The person scans a QR code with their own Alipay.",
        "ONSITE": "现场认证（省级主管部门）/ In person, confirmed by provincial staff.",
    },
)
described_enum(
    VerificationStatus,
    "认证状态 / PENDING, PASSED, FAILED or EXPIRED.",
    {
        "PENDING": "认证中 / Waiting for the result.",
        "PASSED": "已通过 / Verified.",
        "FAILED": "未通过 / Not verified; see failureReason.",
        "EXPIRED": "已过期或已关闭 / Expired or closed unused; start again.",
    },
)


@strawberry.enum(description="现场认证结论 / The officer's decision.")
class OnsiteDecision(Enum):
    CONFIRM = strawberry.enum_value("CONFIRM", description="通过 / The person is who the ID says.")
    REFUSE = strawberry.enum_value("REFUSE", description="不予认证 / Refused, with a comment.")


@strawberry.type(description="实名认证 / A real-name verification attempt.")
class Verification(relay.Node):
    pk: relay.NodeID[int]
    method: VerificationMethod = strawberry.field(description="认证方式 / Method.")
    status: VerificationStatus = strawberry.field(description="认证状态 / Status.")
    certify_url: str | None = strawberry.field(
        description="认证地址（支付宝），仅本人可见 / URL to open (Alipay); its owner only, null to others."
    )
    failure_reason: str | None = strawberry.field(description="未通过原因 / Why it failed.")
    comment: str | None = strawberry.field(description="现场认证意见 / Officer's comment (on site).")
    started_at: dt.datetime = strawberry.field(description="发起时间 / Started (UTC).")
    expires_at: dt.datetime | None = strawberry.field(description="扫码有效期至 / QR valid until (Alipay).")
    completed_at: dt.datetime | None = strawberry.field(description="完成时间 / Completed (UTC).")

    @strawberry.field(
        description="认证二维码（PNG data URL），用本人支付宝扫码，仅本人可见 / QR code of the certify URL; owner only."
    )
    def qr_code_data_url(self) -> str | None:
        return verification.certify_qr(self.status, self.certify_url)

    @classmethod
    def from_model(cls, row: models.VerificationAttempt, viewer: Actor | None) -> Verification:
        """`viewer`: who asks; the certify URL is shown to the attempt's owner only."""
        alipay = row.method is VerificationMethod.ALIPAY
        return cls(
            pk=row.id,
            method=row.method,
            status=row.status,
            certify_url=verification.certify_url_for(viewer, row),
            failure_reason=row.failure_reason,
            comment=row.comment,
            started_at=row.created_at,
            expires_at=row.expires_at if alipay else None,
            completed_at=row.completed_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        context = info.context
        return await nodes_in_order(
            node_ids,
            lambda ids: verification.attempts_visible_to(context.reader, ids),
            lambda row: cls.from_model(row, context.actor),
        )


@strawberry.type(description="现场认证待办 / What the provincial officer sees for one person.")
class OnsiteVerificationCase:
    person: Person = strawberry.field(description="申请人 / The person.")
    materials: list[Attachment] = strawberry.field(description="认证材料 / Current materials.")
    verified: bool = strawberry.field(description="是否已通过实名认证 / Already verified.")

    @classmethod
    def from_domain(cls, case: verification.OnsiteCase) -> OnsiteVerificationCase:
        return cls(
            person=Person.from_model(case.person),
            materials=[Attachment.from_model(m) for m in case.materials],
            verified=case.verified,
        )


@strawberry.input(description="现场认证结论 / On-site verification decision.")
class ConfirmOnsiteVerificationInput:
    id_number: str = strawberry.field(description="证件号码 / ID number of the person present.")
    decision: OnsiteDecision = strawberry.field(description="通过或不予认证 / Confirm or refuse.")
    comment: str = strawberry.field(default="", description="意见（不予认证时必填）/ Comment, required to refuse.")

    def to_domain(self) -> verification.OnsiteDecision:
        return verification.OnsiteDecision(
            id_number=self.id_number, passed=self.decision is OnsiteDecision.CONFIRM, comment=self.comment
        )


@strawberry.type(description="发起支付宝认证结果 / Result of startAlipayVerification.")
class StartAlipayVerificationPayload:
    errors: list[UserError] = errors_field()
    verification: Verification | None = strawberry.field(default=None, description="认证记录 / The attempt.")


@strawberry.type(description="现场认证结果 / Result of confirmOnsiteVerification.")
class ConfirmOnsiteVerificationPayload:
    errors: list[UserError] = errors_field()
    verification: Verification | None = strawberry.field(default=None, description="认证记录 / The attempt.")
