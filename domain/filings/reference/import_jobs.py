"""Queued imports: a CSV bigger than IMPORT_INLINE_MAX_BYTES is stored under a server-generated name and imported
by a worker, with its progress (rows, bytes) on the ImportJob as it goes and its report once done. An import run
twice changes nothing the second time, so a worker killed mid-import simply runs it again."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from tortoise.expressions import F

from db.models import ImportJob, StaffRole
from domain.filings.reference.csv_import import MAX_REPORTED_ERRORS, ImportReport, Part
from domain.filings.reference.imports import KINDS, import_kind
from domain.kernel import clock, outbox
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings
from domain.kernel.unit_of_work import unit_of_work

QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"
WORKER = RequestMeta.internal("import")


def imports_dir() -> Path:
    """Where queued files wait (inside the storage directory, server-generated names only)."""
    return get_settings().storage_path / "imports"


def _require_admin(actor: Actor | None) -> Actor:
    if actor is None or not actor.has_role(StaffRole.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN)
    return actor


async def queue_import(deps: Deps, kind: str, stream: BinaryIO, actor: Actor | None) -> ImportJob:
    """Store the file and queue its import (the job row and its outbox row in one unit of work)."""
    admin = _require_admin(actor)
    if kind not in KINDS:
        raise DomainError(ErrorCode.INVALID_INPUT, "kind")
    directory = imports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.csv"
    with (directory / name).open("wb") as target:
        stream.seek(0)
        shutil.copyfileobj(stream, target, 1024 * 1024)
        size = target.tell()
    async with unit_of_work(deps) as work:
        job = await ImportJob.create(
            kind=kind, staff_id=admin.id, status=QUEUED, storage_name=name, size_bytes=size, created_at=clock.now()
        )
        await work.enqueue(Job.RUN_IMPORT, {"import_job_id": job.id})
    return job


async def import_jobs_for(actor: Actor | None, job_ids: Iterable[int]) -> dict[int, ImportJob]:
    """Import jobs by id, in one query, for administrators only (nothing for anyone else, as for missing ones)."""
    wanted = sorted(set(job_ids))
    if actor is None or not actor.has_role(StaffRole.ADMIN) or not wanted:
        return {}
    return {row.id: row for row in await ImportJob.filter(id__in=wanted)}


def report_row_errors(report: ImportReport) -> list[dict[str, object]]:
    """The reported row errors as stored on the job."""
    return [{"row": e.row, "field": e.field, "code": e.code.value, "message": e.message} for e in report.errors]


async def run_import_job(deps: Deps, outbox_id: str, final_try: bool) -> str:
    """Job body: import the next part of one queued file (IMPORT_JOB_SLICE_S of work, well within the workers' job
    timeout), add its counts and errors to the job, and queue the part after it in the same unit of work; the last
    part marks the job DONE and deletes the file. `skipped` when that part was done already."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    job = await ImportJob.get_or_none(id=int(message.payload["import_job_id"]))
    if job is None or job.status in (DONE, FAILED):
        await outbox.mark_done(message)
        return "skipped"
    if job.started_at is None:
        await ImportJob.filter(id=job.id).update(status=RUNNING, started_at=clock.now())
    skip = int(message.payload.get("skip_rows", 0))
    outcome, report = await _run(job, skip, final_try)  # an unexpected error propagates: arq retries the part
    async with unit_of_work(deps) as work:
        if report is not None and not report.finished:
            await _add_part(job, skip, report)
            await work.enqueue(Job.RUN_IMPORT, {"import_job_id": job.id, "skip_rows": skip + report.rows_read})
        elif report is not None:
            await _add_part(job, skip, report, DONE)
        await outbox.mark_done(message)
    if outcome != "part":
        (imports_dir() / job.storage_name).unlink(missing_ok=True)
    return outcome


async def _run(job: ImportJob, skip: int, final_try: bool) -> tuple[str, ImportReport | None]:
    async def progress(rows: int, position: int) -> None:
        await ImportJob.filter(id=job.id).update(rows_read=rows, bytes_read=position)

    staff_id: int = job.staff_id  # type: ignore[attr-defined]
    staff = Actor(ActorKind.STAFF, staff_id, session_id=0, role=StaffRole.ADMIN.value)  # who queued it
    part = Part(skip_rows=skip, budget_s=get_settings().import_job_slice_s)
    try:
        with (imports_dir() / job.storage_name).open("rb") as stream:
            report = await import_kind(job.kind, stream, staff, WORKER, progress, part)
    except DomainError as refused:  # the file as a whole (header, encoding): no retry helps
        await _fail(job, refused.message)
        return "failed", None
    except FileNotFoundError:
        await _fail(job, "导入文件已不存在，请重新上传。")
        return "failed", None
    except Exception:
        if final_try:
            await _fail(job, "导入失败（系统错误），请稍后重新上传。")
        raise
    return ("done" if report.finished else "part"), report


async def _add_part(job: ImportJob, skip: int, report: ImportReport, status: str = RUNNING) -> None:
    """The part's counts added to the job's, its errors appended up to the reported maximum."""
    current = await ImportJob.get(id=job.id)
    errors = (current.errors + report_row_errors(report))[:MAX_REPORTED_ERRORS]
    await ImportJob.filter(id=job.id).update(
        status=status,
        rows_read=skip + report.rows_read,
        imported=F("imported") + report.imported,
        updated=F("updated") + report.updated,
        unchanged=F("unchanged") + report.unchanged,
        error_count=F("error_count") + report.error_count,
        errors=errors,
        finished_at=clock.now() if status == DONE else None,
    )


async def _fail(job: ImportJob, failure: str) -> None:
    await ImportJob.filter(id=job.id).update(status=FAILED, failure=failure, finished_at=clock.now())
