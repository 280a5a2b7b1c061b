"""Reference data of filings: the specialties (public), enterprise suggestions (public), imports (ADMIN)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import filings
from domain.accounts import StaffRole
from graph.context import Context
from graph.permissions import require_role
from graph.resolvers.recipe import portal_field, portal_mutation
from graph.schema.filings.imports import ImportFileInput, ImportJob, ImportPayload, ImportReport
from graph.schema.filings.reference import Enterprise, Specialty

Ctx = Info[Context, Any]
IsAdmin = require_role(StaffRole.ADMIN)
FileArgument = Annotated[
    ImportFileInput, strawberry.argument(description="CSV 文件（GraphQL multipart）/ The CSV file (multipart).")
]


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


@strawberry.type
class ReferenceMutations:
    @portal_mutation(
        "导入资格（CSV：姓名,证件号码,专业,资格证书编号,签发日期,临时；系统管理员）/ Import qualifications from a CSV "
        "file (ADMIN): bad rows are reported, good rows kept; importing the same file again changes nothing.",
        IsAdmin,
    )
    async def import_qualifications(self, info: Ctx, input: FileArgument) -> ImportPayload:
        return await _import(info, input, "QUALIFICATIONS")

    @portal_mutation(
        "导入企业（CSV：企业名称,统一社会信用代码,省份,资质状态；系统管理员）/ Import enterprises from a CSV file "
        "(ADMIN), keyed on the credit code; importing the same file again changes nothing.",
        IsAdmin,
    )
    async def import_enterprises(self, info: Ctx, input: FileArgument) -> ImportPayload:
        return await _import(info, input, "ENTERPRISES")


async def _import(info: Ctx, input: ImportFileInput, kind: str) -> ImportPayload:
    """A small file is imported within the request (the report); a bigger one is queued (the job)."""
    context = info.context
    stream = input.to_domain(context.settings.import_max_bytes)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > context.settings.import_inline_max_bytes:
        job = await filings.queue_import(context.deps, kind, stream, context.actor)
        return ImportPayload(job=ImportJob.from_model(job))
    run = filings.import_qualifications if kind == "QUALIFICATIONS" else filings.import_enterprises
    report = await run(stream, context.actor, context.meta)
    context.loaders.clear()
    return ImportPayload(report=ImportReport.from_domain(report))
