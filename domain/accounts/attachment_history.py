"""Replaced attachments: their rows stay as history, their files are kept only for the newest few per kind."""

from __future__ import annotations

import asyncio
from itertools import groupby

from db.models import Attachment, Certificate
from domain.kernel import clock
from domain.kernel.deps import Deps
from domain.kernel.settings import get_settings
from domain.kernel.unit_of_work import unit_of_work


async def _printed_on_current_certificates(person_ids: set[int]) -> set[int]:
    """The photo and signature attachments a current certificate of these people prints (it prints the images it
    was issued with, not later uploads): their files are kept while it is current."""
    rows = await Certificate.filter(person_id__in=sorted(person_ids), current_key__isnull=False)
    keys = ("photo_attachment_id", "signature_attachment_id")
    return {int(row.snapshot[key]) for row in rows for key in keys if row.snapshot.get(key)}


async def _files_beyond_the_bound(keep: int) -> list[Attachment]:
    """Replaced attachments whose file is still there, past the newest `keep` of their person and kind, and not
    printed on a current certificate."""
    rows = await Attachment.filter(current=False, file_deleted_at__isnull=True).order_by(
        "person_id", "kind", "-replaced_at", "-id"
    )
    beyond: list[Attachment] = []
    for _, group in groupby(rows, key=lambda row: (row.person_id, row.kind)):  # type: ignore[attr-defined]
        beyond.extend(list(group)[keep:])
    printed = await _printed_on_current_certificates({row.person_id for row in beyond})  # type: ignore[attr-defined]
    return [row for row in beyond if row.id not in printed]


async def purge_replaced_files(deps: Deps, keep: int | None = None) -> int:
    """Delete the files of replaced attachments beyond ATTACHMENT_HISTORY_FILES per person and kind; idempotent.

    The file goes first, then the row is marked: a crash between the two leaves a row the next run marks again.
    Only rows already not current are touched (a replaced attachment never becomes current again)."""
    bound = get_settings().attachment_history_files if keep is None else keep
    deleted = 0
    for row in await _files_beyond_the_bound(bound):
        path = get_settings().storage_path / "attachments" / row.storage_name
        await asyncio.to_thread(path.unlink, missing_ok=True)
        async with unit_of_work(deps):
            deleted += await Attachment.filter(id=row.id, current=False, file_deleted_at__isnull=True).update(
                file_deleted_at=clock.now()
            )
    return deleted
