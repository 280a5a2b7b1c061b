"""Filings: one mutation per kind (as API.md names them), withdrawApplication; the progress query lives on
`viewer.applications` and `node(id:)`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import filings
from domain.kernel.actors import Actor
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_mutation
from graph.schema.filings import application_inputs as inputs
from graph.schema.filings.applications import Application

Ctx = Info[Context, Any]


def _person(info: Ctx) -> Actor:
    actor = info.context.actor
    assert actor is not None  # IsPerson
    return actor


async def _file(info: Ctx, submission: filings.Submission[Any]) -> inputs.FilingPayload:
    context = info.context
    application = await filings.submit(context.deps, _person(info), submission, context.meta)
    return inputs.FilingPayload(application=Application.from_model(application))


def _argument(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type
class ApplicationMutations:
    @portal_mutation("初始注册申报 / File an initial registration.", IsPerson)
    async def file_initial_registration(
        self, info: Ctx, input: Annotated[inputs.FileInitialRegistrationInput, _argument("申报内容 / The filing.")]
    ) -> inputs.FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("变更注册申报（变更聘用企业）/ File a change of employer.", IsPerson)
    async def file_change_registration(
        self, info: Ctx, input: Annotated[inputs.FileChangeRegistrationInput, _argument("申报内容 / The filing.")]
    ) -> inputs.FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("增项注册申报 / File an additional specialty.", IsPerson)
    async def file_additional_specialty(
        self, info: Ctx, input: Annotated[inputs.FileAdditionalSpecialtyInput, _argument("申报内容 / The filing.")]
    ) -> inputs.FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("延续注册申报 / File a renewal.", IsPerson)
    async def file_renewal(
        self, info: Ctx, input: Annotated[inputs.FileRenewalInput, _argument("申报内容 / The filing.")]
    ) -> inputs.FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("重新注册申报 / File a re-registration.", IsPerson)
    async def file_reregistration(
        self, info: Ctx, input: Annotated[inputs.FileReregistrationInput, _argument("申报内容 / The filing.")]
    ) -> inputs.FilingPayload:
        return await _file(info, input.to_domain())

    @portal_mutation("撤回申报（尚未办结时）/ Withdraw a filing that is not yet decided.", IsPerson)
    async def withdraw_application(
        self, info: Ctx, input: Annotated[inputs.WithdrawApplicationInput, _argument("要撤回的申报 / The filing.")]
    ) -> inputs.WithdrawApplicationPayload:
        context = info.context
        application = await filings.withdraw(context.deps, _person(info), input.to_domain(), context.meta)
        return inputs.WithdrawApplicationPayload(application=Application.from_model(application))
