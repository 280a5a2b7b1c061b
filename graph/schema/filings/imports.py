"""Types of the reference-data imports: the file, the report, and a queued import's job with its progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from domain import filings
from domain.kernel.errors import DomainError, ErrorCode
from graph.schema.common import UserError, described_enum, errors_field, nodes_in_order

if TYPE_CHECKING:
    from db import models


class ImportStatus(Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class ImportKind(Enum):
    QUALIFICATIONS = "QUALIFICATIONS"
    ENTERPRISES = "ENTERPRISES"


described_enum(
    ImportStatus,
    "后台导入状态 / Where a queued import is.",
    {
        "QUEUED": "排队中 / Waiting for a worker.",
        "RUNNING": "导入中 / Being imported (see rowsRead, bytesRead).",
        "DONE": "已完成（见导入结果）/ Done: see its report.",
        "FAILED": "失败（见失败原因）/ Failed: see its failure.",
    },
)
described_enum(
    ImportKind,
    "导入内容 / What a file imports.",
    {"QUALIFICATIONS": "资格 / Qualifications.", "ENTERPRISES": "企业 / Enterprises."},
)


@strawberry.type(description="导入文件中一行的问题 / A problem of one row of an import file.")
class ImportRowError:
    row: int = strawberry.field(description="行号（表头为第1行）/ Line in the file (the header is line 1).")
    field: str | None = strawberry.field(description="列名，整行问题时为空 / Column name; null for the whole row.")
    code: ErrorCode = strawberry.field(description="错误代码 / Machine-readable code.")
    message: str = strawberry.field(description="中文原因 / Reason, in Chinese.")


@strawberry.type(description="导入结果 / What an import did.")
class ImportReport:
    rows_read: int = strawberry.field(description="读取的数据行数 / Data rows read.")
    imported: int = strawberry.field(description="新增条数 / Records added.")
    updated: int = strawberry.field(description="更新条数 / Records changed.")
    unchanged: int = strawberry.field(description="未变条数（与已有记录相同）/ Records already as in the file.")
    error_count: int = strawberry.field(description="有问题的行（问题）总数 / Problems found, in all.")
    errors: list[ImportRowError] = strawberry.field(
        description="问题清单（至多200条）/ The problems, the first 200 at most."
    )
    errors_not_shown: int = strawberry.field(description="未列出的问题数 / Problems beyond the list.")

    @classmethod
    def from_domain(cls, report: filings.ImportReport) -> ImportReport:
        return cls(
            rows_read=report.rows_read,
            imported=report.imported,
            updated=report.updated,
            unchanged=report.unchanged,
            error_count=report.error_count,
            errors=[ImportRowError(row=e.row, field=e.field, code=e.code, message=e.message) for e in report.errors],
            errors_not_shown=report.errors_not_shown,
        )

    @classmethod
    def from_job(cls, row: models.ImportJob) -> ImportReport:
        errors = [
            ImportRowError(row=e["row"], field=e["field"], code=ErrorCode(e["code"]), message=e["message"])
            for e in row.errors
        ]
        return cls(
            rows_read=row.rows_read,
            imported=row.imported,
            updated=row.updated,
            unchanged=row.unchanged,
            error_count=row.error_count,
            errors=errors,
            errors_not_shown=row.error_count - len(errors),
        )


@strawberry.input(description="导入 CSV 文件 / A CSV file to import.")
class ImportFileInput:
    file: Upload = strawberry.field(
        description="UTF-8 编码的 CSV 文件（可带 BOM），不超过12MB（可配置）/ A UTF-8 CSV file (BOM allowed), at "
        "most 12 MB (configurable)."
    )

    def to_domain(self, max_bytes: int) -> BinaryIO:
        """The uploaded file (spooled by the multipart parser, not held in memory), its size checked first."""
        upload: Any = self.file
        stream = getattr(upload, "file", None)
        if stream is None:
            raise DomainError(ErrorCode.INVALID_INPUT, "file", "请选择要导入的CSV文件。")
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        if size > max_bytes:
            raise DomainError(
                ErrorCode.FILE_TOO_LARGE, "file", f"文件过大：导入文件不能超过{max_bytes // (1024 * 1024)}MB。"
            )
        return cast("BinaryIO", stream)


@strawberry.type(
    description="后台导入（大文件由后台进程导入，可查询进度）/ A queued import, with its progress (ADMIN)."
)
class ImportJob(relay.Node):
    id: relay.NodeID[int]
    kind: ImportKind = strawberry.field(description="导入内容 / What it imports.")
    status: ImportStatus = strawberry.field(description="状态 / Where it is.")
    size_bytes: int = strawberry.field(description="文件大小（字节）/ File size in bytes.")
    bytes_read: int = strawberry.field(description="已读取字节数 / Bytes read so far.")
    rows_read: int = strawberry.field(description="已读取行数 / Data rows read so far.")
    failure: str | None = strawberry.field(description="失败原因 / Why it failed.")
    created_at: dt.datetime = strawberry.field(description="提交时间 / When it was queued.")
    started_at: dt.datetime | None = strawberry.field(description="开始时间 / When a worker started it.")
    finished_at: dt.datetime | None = strawberry.field(description="结束时间 / When it finished.")
    report: ImportReport | None = strawberry.field(description="导入结果（完成后）/ What was done, once done.")

    @strawberry.field(description="进度百分比（按字节）/ Progress in percent, by bytes read.")
    def percent(self) -> float:
        if self.status is ImportStatus.DONE:
            return 100.0
        return round(100.0 * self.bytes_read / self.size_bytes, 1) if self.size_bytes else 0.0

    @classmethod
    def from_model(cls, row: models.ImportJob) -> ImportJob:
        status = ImportStatus(row.status)
        return cls(
            id=row.id,
            kind=ImportKind(row.kind),
            status=status,
            size_bytes=row.size_bytes,
            bytes_read=row.bytes_read,
            rows_read=row.rows_read,
            failure=row.failure,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            report=ImportReport.from_job(row) if status is ImportStatus.DONE else None,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        actor = info.context.actor
        return await nodes_in_order(node_ids, lambda ids: filings.import_jobs_for(actor, ids), cls.from_model)


@strawberry.type(description="导入结果 / The result of an import.")
class ImportPayload:
    errors: list[UserError] = errors_field()
    report: ImportReport | None = strawberry.field(
        default=None, description="导入结果（文件整体有误时为空）/ What was done; null when the file was refused."
    )
    job: ImportJob | None = strawberry.field(
        default=None,
        description="后台导入（文件较大时由后台进程导入，report 为空，凭此查询进度）/ The queued import when the file "
        "is big (IMPORT_INLINE_MAX_BYTES): report is then null; follow it with node(id:).",
    )
