"""The two imports as business operations: an administrator (or the operator at the CLI) imports a CSV stream;
each import is written to the audit log with its counts."""

from __future__ import annotations

from typing import Any, BinaryIO, TypeVar

from db.models import StaffRole
from domain.filings.reference.csv_import import ImportKind, ImportReport, Part, Progress, run_import
from domain.filings.reference.enterprise_import import ENTERPRISES
from domain.filings.reference.qualification_import import QUALIFICATIONS
from domain.kernel import audit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.errors import DomainError, ErrorCode

CLI = RequestMeta(ip="cli", user_agent="manage.py")
Record = TypeVar("Record")


async def _import(
    event: str,
    kind: ImportKind[Record],
    stream: BinaryIO,
    actor: Actor | None,
    meta: RequestMeta | None,
    progress: Progress | None,
    part: Part | None = None,
) -> ImportReport:
    """`actor` None: the operator at the server's command line."""
    if actor is not None and not actor.has_role(StaffRole.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN)
    who = f"staff:{actor.id}" if actor is not None else "cli"
    try:
        report = await run_import(kind, stream, progress, part=part)
    except DomainError as error:
        audit.auth_event(event, "refused", who, meta or CLI, code=error.code.value)
        raise
    audit.auth_event(
        event,
        "done",
        who,
        meta or CLI,
        rows_read=report.rows_read,
        imported=report.imported,
        updated=report.updated,
        unchanged=report.unchanged,
        errors=report.error_count,
    )
    return report


KINDS: dict[str, tuple[str, ImportKind[Any]]] = {
    "QUALIFICATIONS": ("import_qualifications", QUALIFICATIONS),
    "ENTERPRISES": ("import_enterprises", ENTERPRISES),
}


async def import_kind(
    name: str, stream: BinaryIO, actor: Actor | None, meta: RequestMeta | None, progress: Progress, part: Part
) -> ImportReport:
    """Import a part of a CSV of the kind named QUALIFICATIONS or ENTERPRISES (what a queued import runs)."""
    event, kind = KINDS[name]
    return await _import(event, kind, stream, actor, meta, progress, part)


async def import_qualifications(
    stream: BinaryIO, actor: Actor | None = None, meta: RequestMeta | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import a qualifications CSV (see qualification_import for the columns)."""
    return await _import("import_qualifications", QUALIFICATIONS, stream, actor, meta, progress)


async def import_enterprises(
    stream: BinaryIO, actor: Actor | None = None, meta: RequestMeta | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import an enterprises CSV (see enterprise_import for the columns)."""
    return await _import("import_enterprises", ENTERPRISES, stream, actor, meta, progress)
