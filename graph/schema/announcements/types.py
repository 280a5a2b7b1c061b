"""公告 as clients read them (public): Announcement (a Relay node), its entries (masked personal data), the
connections: announcements newest first, entries in filing order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import announcements
from domain.filings import ApplicationKind
from graph.schema.common import check_page_size, decode_cursor, encode_cursor, nodes_in_order
from graph.schema.filings.applications import Application  # noqa: F401 - registers ApplicationKind's descriptions
from graph.schema.filings.reference import Specialty

if TYPE_CHECKING:
    from db import models


@strawberry.type(description="公告名单中的一项（个人信息已脱敏）/ One filing listed (personal data masked).")
class AnnouncementEntry:
    name: str = strawberry.field(description="姓名 / Real name.")
    id_number_masked: str = strawberry.field(description="证件号码（脱敏）/ ID number, masked.")
    registration_number: str | None = strawberry.field(
        description="注册编号（已核发时）/ Registration number, once issued (null before)."
    )
    enterprise_name: str | None = strawberry.field(description="聘用企业名称 / The employing enterprise's name.")
    kind: ApplicationKind = strawberry.field(description="申报类型 / Kind of filing.")
    specialties: list[Specialty] = strawberry.field(description="申报的专业 / Specialties of the filing.")
    temporary: bool = strawberry.field(description="是否为一级临时建造师 / A temporary Level-1 filing.")

    @classmethod
    def from_domain(cls, entry: announcements.AnnouncementEntry) -> AnnouncementEntry:
        return cls(
            name=entry.name,
            id_number_masked=entry.id_number_masked,
            registration_number=entry.registration_number,
            enterprise_name=entry.enterprise_name,
            kind=entry.kind,
            specialties=[Specialty.of_code(code) for code in entry.specialty_codes],
            temporary=entry.temporary,
        )


@strawberry.type(description="公告名单的一条边 / An edge of the entries connection.")
class AnnouncementEntryEdge:
    cursor: str = strawberry.field(description="游标 / Cursor of this entry.")
    node: AnnouncementEntry = strawberry.field(description="名单中的一项 / The entry.")


@strawberry.type(description="公告名单（按申报顺序）/ The filings an announcement lists, in filing order.")
class AnnouncementEntryConnection:
    edges: list[AnnouncementEntryEdge] = strawberry.field(description="本页各项 / This page's entries.")
    page_info: relay.PageInfo = strawberry.field(description="分页信息 / Pagination.")
    total: strawberry.Private[int]

    @strawberry.field(description="名单总数 / How many filings the announcement lists.")
    def total_count(self) -> int:
        return self.total


@strawberry.type(description="住房和城乡建设部公告（公开）/ A numbered announcement of the ministry (public).")
class Announcement(relay.Node):
    pk: relay.NodeID[int]
    year: int = strawberry.field(description="年度 / Year of the number.")
    seq: int = strawberry.field(description="年度内序号 / Sequence number within the year, from 1.")
    number: str = strawberry.field(description="公告文号 / Printed number, e.g. 住房和城乡建设部公告 2026年第3号.")
    title: str = strawberry.field(description="标题 / Title.")
    published_at: dt.datetime = strawberry.field(description="发布时间（UTC）/ Published at (UTC).")
    application_count: int = strawberry.field(description="列入的申报数 / How many filings it lists.")

    @strawberry.field(description="公告名单（按申报顺序）/ The filings it lists, in filing order.")
    async def entries(
        self,
        first: Annotated[int, strawberry.argument(description="每页条数（1–100）/ Page size, 1 to 100.")],
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / The previous page's endCursor.")
        ] = None,
    ) -> AnnouncementEntryConnection:
        check_page_size(first)
        after_id = decode_cursor(after)
        rows, more = await announcements.entries_page(self.pk, first, after_id)
        edges = [
            AnnouncementEntryEdge(cursor=encode_cursor(row.application_id), node=AnnouncementEntry.from_domain(row))
            for row in rows
        ]
        info = _page_info(edges, more, after_id is not None)
        return AnnouncementEntryConnection(edges=edges, page_info=info, total=self.application_count)

    @classmethod
    def from_model(cls, row: models.Announcement) -> Announcement:
        return cls(
            pk=row.id,
            year=row.year,
            seq=row.seq,
            number=announcements.number_text(row.year, row.seq),
            title=row.title,
            published_at=row.published_at,
            application_count=row.application_count,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes_in_order(node_ids, announcements.by_ids, cls.from_model)


@strawberry.type(description="公告列表（新的在前）/ Announcements, newest first.")
class AnnouncementConnection(relay.Connection[Announcement]):
    @strawberry.field(description="公告总数 / How many announcements there are.")
    async def total_count(self) -> int:
        return await announcements.count()


async def announcements_page(first: int, after: str | None) -> AnnouncementConnection:
    """One page of announcements, newest first."""
    check_page_size(first)
    before_id = decode_cursor(after)
    rows, more = await announcements.page(first, before_id)
    edges = [relay.Edge(cursor=encode_cursor(row.id), node=Announcement.from_model(row)) for row in rows]
    return AnnouncementConnection(edges=edges, page_info=_page_info(edges, more, before_id is not None))


def _page_info(edges: list[Any], more: bool, after_given: bool) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=more,
        has_previous_page=after_given,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
