"""Reference data of filings: the specialties (public), enterprise suggestions (public), imports (ADMIN)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import filings
from graph.context import Context
from graph.resolvers.recipe import portal_field
from graph.schema.filings.reference import Enterprise, Specialty

Ctx = Info[Context, Any]


@strawberry.type
class ReferenceQueries:
    @strawberry.field(description="注册专业（十个）/ The ten specialties.")
    def specialties(self) -> list[Specialty]:
        return [Specialty.from_domain(specialty) for specialty in filings.SPECIALTIES]

    @portal_field(
        "聘用企业联想（输入时提示）：名称包含关键字或拼音首字母匹配的有效企业 / Suggestions while typing: qualified "
        "enterprises whose name contains the keyword or whose pinyin initials match it."
    )
    async def enterprises(
        self,
        keyword: Annotated[
            str, strawberry.argument(description="关键字（名称片段或拼音首字母）/ Part of the name, or initials.")
        ],
        first: Annotated[
            int | None, strawberry.argument(description="条数（1–20，默认10）/ How many, 1 to 20 (default 10).")
        ] = None,
    ) -> list[Enterprise]:
        return [Enterprise.from_model(row) for row in await filings.suggest_enterprises(keyword, first)]
