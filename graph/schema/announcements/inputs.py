"""publishAnnouncement's input and payload. Filing ids are global ids; one that is malformed or names another type
becomes an id no row has, so the domain answers NOT_FOUND in the payload (never a top-level error)."""

from __future__ import annotations

import strawberry

from domain import announcements
from graph.schema.announcements.types import Announcement
from graph.schema.common import UserError, errors_field
from graph.schema.filings.application_inputs import db_id


@strawberry.input(description="发布公告 / Publish an announcement of approved filings.")
class PublishAnnouncementInput:
    title: str | None = strawberry.field(
        default=None, description=f"标题（可选，默认“{announcements.DEFAULT_TITLE}”）/ Title (optional)."
    )
    application_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="要公告的准予注册申报（不填则为全部待公告的申报，按办结先后，至多一批的上限）/ The approved "
        "filings to publish; when not given, every approved filing not yet announced, oldest decided first, up "
        "to the cap (setting ANNOUNCEMENT_MAX_APPLICATIONS).",
    )

    def to_domain(self) -> announcements.PublishRequest:
        ids = None
        if self.application_ids is not None:
            ids = tuple(db_id(i, "Application") or 0 for i in self.application_ids)
        return announcements.PublishRequest(title=self.title, application_ids=ids)


@strawberry.type(description="发布公告的结果 / Result of publishAnnouncement.")
class PublishAnnouncementPayload:
    errors: list[UserError] = errors_field()
    announcement: Announcement | None = strawberry.field(
        default=None, description="已发布的公告 / The announcement published."
    )
