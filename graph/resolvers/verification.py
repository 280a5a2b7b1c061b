"""Real-name verification: start by Alipay (applicant), on-site case and decision (provincial staff)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import onsite_verification, verification
from domain.context import Actor
from graph.context import Context
from graph.errors import as_payload, or_coded_error
from graph.resolvers.accounts import require_person
from graph.schema.accounts import Attachment, Person
from graph.schema.verification import (
    ConfirmOnsiteVerificationInput,
    ConfirmOnsiteVerificationPayload,
    OnsiteDecision,
    OnsiteVerificationCase,
    StartAlipayVerificationPayload,
    Verification,
)


async def _start(context: Context, actor: Actor) -> dict[str, Any]:
    attempt = await verification.start_alipay(context.deps, actor, context.meta)
    return {"verification": Verification.from_model(attempt)}


async def _confirm(context: Context, data: ConfirmOnsiteVerificationInput) -> dict[str, Any]:
    attempt = await onsite_verification.confirm(
        context.deps, context.actor, data.id_number, data.decision is OnsiteDecision.CONFIRM, data.comment, context.meta
    )
    return {"verification": Verification.from_model(attempt)}


@strawberry.type
class VerificationQueries:
    @strawberry.field(
        description="现场认证：按证件号码查找申请人及其材料（省级，查阅记入轨迹）/ "
        "On-site case by ID number (PROVINCE staff; access is logged)."
    )
    async def onsite_verification_case(self, info: Info[Context, Any], id_number: str) -> OnsiteVerificationCase:
        case = await or_coded_error(onsite_verification.open_case(info.context.actor, id_number, info.context.meta))
        return OnsiteVerificationCase(
            person=Person.from_model(case.person),
            materials=[Attachment.from_model(m) for m in case.materials],
            verified=case.verified,
        )


@strawberry.type
class VerificationMutations:
    @strawberry.mutation(description="发起支付宝扫码实名认证 / Start Alipay verification: certify URL and QR code.")
    async def start_alipay_verification(self, info: Info[Context, Any]) -> StartAlipayVerificationPayload:
        actor = require_person(info)
        return await as_payload(StartAlipayVerificationPayload, _start(info.context, actor))

    @strawberry.mutation(description="现场认证确认或不予认证（省级）/ Confirm or refuse on site (PROVINCE staff).")
    async def confirm_onsite_verification(
        self, info: Info[Context, Any], input: ConfirmOnsiteVerificationInput
    ) -> ConfirmOnsiteVerificationPayload:
        return await as_payload(ConfirmOnsiteVerificationPayload, _confirm(info.context, input))
