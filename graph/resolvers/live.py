"""Subscriptions (graphql-transport-ws, see graph.ws): the viewer's verification as it changes; each new step of
one of the viewer's applications. Each reads the database at once and after every hint on the person's Redis
channel (domain.kernel.live), whichever API process or worker wrote the change."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from domain import accounts, filings, verification
from domain.kernel import live
from domain.kernel.errors import MESSAGES, DomainError, ErrorCode
from graph.context import Context
from graph.errors import AUTH_CODES, AuthError, CodedError
from graph.permissions import IsPerson
from graph.schema.filings.application_inputs import db_id
from graph.schema.filings.applications import ProgressStep
from graph.schema.verification import Verification

Ctx = Info[Context, Any]
Item = TypeVar("Item")


def ticks(context: Context, wanted: live.Wanted) -> AsyncGenerator[None, None]:
    """The subscription's rhythm for the signed-in person: now, on each matching event, every LIVE_RECHECK_S; it
    ends with UNAUTHENTICATED once the socket's session has ended."""
    actor = context.actor
    if actor is None or context.events is None:
        raise AuthError()
    session_id = actor.session_id

    async def session_alive() -> bool:
        return await accounts.resolve_session_id(session_id) is not None

    return live.ticks(context.events, actor.id, wanted, context.settings.live_recheck_s, session_alive)


async def coded(items: AsyncIterator[Item], context: Context) -> AsyncIterator[Item]:
    """The items, a domain failure as a coded error (the stream then ends); the request's loaders are cleared
    before each item, so nothing is answered from what an earlier item read."""
    try:
        async for item in items:
            context.loaders.clear()
            yield item
    except DomainError as exc:
        if exc.code in AUTH_CODES:
            raise AuthError(exc.code) from exc
        raise CodedError(exc.code.value, exc.message) from exc


@strawberry.type
class LiveSubscriptions:
    @strawberry.subscription(
        description=(
            "本人实名认证状态：先推送当前状态，此后每次变化推送一次（无需轮询）/ "
            "The viewer's verification: the current state first, then each change (no polling)."
        ),
        permission_classes=[IsPerson],
    )
    async def verification_status(self, info: Ctx) -> AsyncGenerator[Verification | None, None]:
        context = info.context
        actor = context.actor
        assert actor is not None  # IsPerson
        rhythm = ticks(context, live.of_type("verification"))
        async with (
            contextlib.aclosing(rhythm),
            contextlib.aclosing(verification.current_changes(rhythm, actor.id)) as rows,
        ):
            async for row in coded(rows, context):
                yield None if row is None else Verification.from_model(row, actor)

    @strawberry.subscription(
        description=(
            "本人某项申报的新进度步骤，写入即推送（不论由哪个进程写入）/ "
            "Each new step of one of the viewer's filings, pushed as it is written (by any process)."
        ),
        permission_classes=[IsPerson],
    )
    async def application_progress(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="申报的全局 ID / The filing's global id.")],
        after_seq: Annotated[
            int | None,
            strawberry.argument(
                description="先补发序号大于此值的已有步骤（查询与订阅之间不漏步骤）；不填则只推送此后的新步骤 / "
                "Send the existing steps after this seq first (none missed between a query and the subscription); "
                "omitted: only steps written from now on."
            ),
        ] = None,
    ) -> AsyncGenerator[ProgressStep, None]:
        context = info.context
        pk = db_id(id, "Application") or 0
        if not await filings.applications_visible_to(context.actor, [pk]):  # someone else's: as if it did not exist
            raise CodedError(ErrorCode.NOT_FOUND.value, MESSAGES[ErrorCode.NOT_FOUND])
        return _progress(context, pk, after_seq)


async def _progress(context: Context, application_id: int, after_seq: int | None) -> AsyncGenerator[ProgressStep, None]:
    rhythm = ticks(context, live.of_type("application.step", applicationId=application_id))
    async with (
        contextlib.aclosing(rhythm),
        contextlib.aclosing(filings.new_steps(rhythm, application_id, after_seq)) as rows,
    ):
        async for row in coded(rows, context):
            yield ProgressStep.from_model(row)
