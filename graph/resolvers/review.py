"""Review: the staff decisions (confirmApplication, returnApplication, reviewApplication) and createStaffUser.
Each role may call its mutations; the domain checks the stage and the scope (an id outside it is NOT_FOUND)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import review
from domain.accounts import StaffRole
from graph.context import Context
from graph.permissions import require_role
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts.types import StaffUser
from graph.schema.filings.applications import Application
from graph.schema.review import inputs

Ctx = Info[Context, Any]
IsEnterprise = require_role(StaffRole.ENTERPRISE)
IsReviewer = require_role(StaffRole.SPECIALTY_MINISTRY, StaffRole.MINISTRY)
MayReturn = require_role(StaffRole.ENTERPRISE, StaffRole.SPECIALTY_MINISTRY, StaffRole.MINISTRY)
IsAdmin = require_role(StaffRole.ADMIN)


async def _decide(info: Ctx, decision: review.Decision, payload: type[inputs.DecisionPayload]) -> Any:
    context = info.context
    application = await review.decide(context.deps, context.actor, decision, context.meta)
    return payload(application=Application.from_model(application))


def _argument(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type
class ReviewMutations:
    @portal_mutation("聘用企业确认申报 / The employer confirms a filing (ENTERPRISE staff).", IsEnterprise)
    async def confirm_application(
        self, info: Ctx, input: Annotated[inputs.ConfirmApplicationInput, _argument("申报与意见 / Filing, comment.")]
    ) -> inputs.ConfirmApplicationPayload:
        return await _decide(info, input.to_domain(), inputs.ConfirmApplicationPayload)  # type: ignore[no-any-return]

    @portal_mutation(
        "退回补正（聘用企业、专业部门、住建部，在各自环节）/ Return a filing for correction (ENTERPRISE, "
        "SPECIALTY_MINISTRY, MINISTRY staff at their stage).",
        MayReturn,
    )
    async def return_application(
        self, info: Ctx, input: Annotated[inputs.ReturnApplicationInput, _argument("补正事项 / Items to correct.")]
    ) -> inputs.ReturnApplicationPayload:
        return await _decide(info, input.to_domain(), inputs.ReturnApplicationPayload)  # type: ignore[no-any-return]

    @portal_mutation(
        "审查结论：通过、不予注册或退回补正（专业部门、住建部）/ Decide: approve, refuse or return "
        "(SPECIALTY_MINISTRY, "
        "MINISTRY staff).",
        IsReviewer,
    )
    async def review_application(
        self, info: Ctx, input: Annotated[inputs.ReviewApplicationInput, _argument("审查结论 / The decision.")]
    ) -> inputs.ReviewApplicationPayload:
        return await _decide(info, input.to_domain(), inputs.ReviewApplicationPayload)  # type: ignore[no-any-return]

    @portal_mutation("创建工作人员账号（管理员）/ Create a staff account (ADMIN).", IsAdmin)
    async def create_staff_user(
        self, info: Ctx, input: Annotated[inputs.CreateStaffUserInput, _argument("账号信息 / The account.")]
    ) -> inputs.CreateStaffUserPayload:
        staff, password = await review.create_staff_user(info.context.actor, input.to_domain())
        return inputs.CreateStaffUserPayload(staff_user=StaffUser.from_model(staff), password=password)
