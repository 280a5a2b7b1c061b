"""The staff review queue (待办队列): `reviewQueue(stage, first, after, overdue)`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph.context import Context
from graph.resolvers.recipe import portal_field
from graph.schema.review_queue import ReviewQueueConnection, ReviewQueueStage, review_queue_page

Ctx = Info[Context, Any]


@strawberry.type
class ReviewQueueQueries:
    @portal_field(
        "待办队列（审查人员）：本人职责范围内等待办理的申报，最早进入的在前；企业只见本企业，专业部门只见本专业；"
        "不在本角色职责内的环节为 FORBIDDEN / Staff review queue: filings waiting in the caller's scope, oldest "
        "first; a stage outside the caller's role is FORBIDDEN, as is a role without a queue (PROVINCE)."
    )
    async def review_queue(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="每页条数（1–100）/ Page size (1–100).")],
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / The previous page's endCursor.")
        ] = None,
        stage: Annotated[
            ReviewQueueStage | None,
            strawberry.argument(description="审查环节（缺省为本角色的全部环节）/ Stage (default: all of the role's)."),
        ] = None,
        overdue: Annotated[
            bool,
            strawberry.argument(
                description="仅已超期的（按期限先后）/ Only items past their deadline, earliest deadline first."
            ),
        ] = False,
    ) -> ReviewQueueConnection:
        return await review_queue_page(info.context.actor, stage, first, after, overdue)
