"""Announcements (公告): publishAnnouncement (ministry staff); `announcements` and `announcement` for anyone."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import announcements
from domain.accounts import StaffRole
from graph.context import Context
from graph.permissions import require_role
from graph.resolvers.recipe import portal_field, portal_mutation
from graph.schema.announcements.inputs import PublishAnnouncementInput, PublishAnnouncementPayload
from graph.schema.announcements.types import Announcement, AnnouncementConnection, announcements_page
from graph.schema.filings.application_inputs import db_id

Ctx = Info[Context, Any]
IsMinistry = require_role(StaffRole.MINISTRY)


@strawberry.type
class AnnouncementQueries:
    @portal_field("公告列表（公开，新的在前）/ Announcements, newest first (public).")
    async def announcements(
        self,
        first: Annotated[int, strawberry.argument(description="每页条数（1–100）/ Page size, 1 to 100.")],
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / The previous page's endCursor.")
        ] = None,
    ) -> AnnouncementConnection:
        return await announcements_page(first, after)

    @portal_field("按 ID 查询公告（公开）/ One announcement by its global id (public); null when there is none.")
    async def announcement(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="公告 ID / The announcement's id.")]
    ) -> Announcement | None:
        pk = db_id(id, "Announcement")
        found = await announcements.by_ids([pk] if pk else [])
        return Announcement.from_model(found[pk]) if pk in found else None


@strawberry.type
class AnnouncementMutations:
    @portal_mutation(
        "发布公告：将准予注册的申报编入本年度下一号公告（住建部）/ Publish the year's next announcement of approved "
        "filings (MINISTRY staff).",
        IsMinistry,
    )
    async def publish_announcement(
        self,
        info: Ctx,
        input: Annotated[PublishAnnouncementInput, strawberry.argument(description="标题与申报 / Title and filings.")],
    ) -> PublishAnnouncementPayload:
        context = info.context
        row = await announcements.publish(context.deps, context.actor, input.to_domain(), context.meta)
        return PublishAnnouncementPayload(announcement=Announcement.from_model(row))
