"""Real-name verification: start by Alipay (applicant), on-site case and decision (provincial staff)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import verification
from domain.accounts import StaffRole
from graph.context import Context
from graph.permissions import IsPerson, require_role
from graph.resolvers.recipe import portal_field, portal_mutation
from graph.schema.verification import (
    ConfirmOnsiteVerificationInput,
    ConfirmOnsiteVerificationPayload,
    OnsiteVerificationCase,
    StartAlipayVerificationPayload,
    Verification,
)

Ctx = Info[Context, Any]
IsProvince = require_role(StaffRole.PROVINCE)


@strawberry.type
class VerificationQueries:
    @portal_field(
        "现场认证：按证件号码查找申请人及其材料（省级，查阅记入轨迹）/ "
        "On-site case by ID number (PROVINCE staff; access is logged).",
        IsProvince,
    )
    async def onsite_verification_case(
        self,
        info: Ctx,
        id_number: Annotated[str, strawberry.argument(description="证件号码 / ID number of the person present.")],
    ) -> OnsiteVerificationCase:
        context = info.context
        case = await verification.open_onsite_case(context.deps, context.actor, id_number, context.meta)
        return OnsiteVerificationCase.from_domain(case)


@strawberry.type
class VerificationMutations:
    @portal_mutation("发起支付宝扫码实名认证 / Start Alipay verification: certify URL and QR code.", IsPerson)
    async def start_alipay_verification(self, info: Ctx) -> StartAlipayVerificationPayload:
        context = info.context
        assert context.actor is not None  # IsPerson
        attempt = await verification.start_alipay(context.deps, context.actor, context.meta)
        return StartAlipayVerificationPayload(verification=Verification.from_model(attempt, context.actor))

    @portal_mutation("现场认证确认或不予认证（省级）/ Confirm or refuse on site (PROVINCE staff).", IsProvince)
    async def confirm_onsite_verification(
        self,
        info: Ctx,
        input: Annotated[
            ConfirmOnsiteVerificationInput,
            strawberry.argument(description="证件号码与认证结论 / ID number and decision."),
        ],
    ) -> ConfirmOnsiteVerificationPayload:
        context = info.context
        attempt = await verification.confirm_onsite(context.deps, context.actor, input.to_domain(), context.meta)
        return ConfirmOnsiteVerificationPayload(verification=Verification.from_model(attempt, context.actor))
