"""Filings of cancellation, certificate replacement and personal-info change, and resubmission after a return
for correction (补正)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import filings
from domain.kernel.actors import Actor
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_mutation
from graph.schema.filings import kinds_other as inputs
from graph.schema.filings.application_inputs import FilingPayload
from graph.schema.filings.applications import Application

Ctx = Info[Context, Any]


def _person(info: Ctx) -> Actor:
    actor = info.context.actor
    assert actor is not None  # IsPerson
    return actor


async def _file(info: Ctx, submission: filings.Submission[Any]) -> FilingPayload:
    context = info.context
    application = await filings.submit(context.deps, _person(info), submission, context.meta)
    return FilingPayload(application=Application.from_model(application))


def _argument(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type
class OtherKindMutations:
    @portal_mutation("注销注册申报 / File a cancellation.", IsPerson)
    async def file_cancellation(
        self, info: Ctx, input: Annotated[inputs.FileCancellationInput, _argument("申报内容 / The filing.")]
    ) -> FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("证书更换申报 / File a certificate replacement.", IsPerson)
    async def file_certificate_replacement(
        self, info: Ctx, input: Annotated[inputs.FileCertificateReplacementInput, _argument("申报内容 / The filing.")]
    ) -> FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("个人信息修改申报（获准后生效）/ File a personal-information change.", IsPerson)
    async def file_personal_info_change(
        self, info: Ctx, input: Annotated[inputs.FilePersonalInfoChangeInput, _argument("申报内容 / The filing.")]
    ) -> FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("补正后重新提交申报（每份补正通知一次）/ Resubmit a returned filing (once per notice).", IsPerson)
    async def resubmit_application(
        self, info: Ctx, input: Annotated[inputs.ResubmitApplicationInput, _argument("重新提交 / The resubmission.")]
    ) -> inputs.ResubmitApplicationPayload:
        context = info.context
        application = await filings.resubmit(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.ResubmitApplicationPayload(application=Application.from_model(application))
