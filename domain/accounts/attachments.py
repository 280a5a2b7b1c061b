"""Attachments (上传附件): store processed images, replace per kind with history, serve to the right people."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from db.models import Attachment, AttachmentKind
from domain.accounts import images
from domain.kernel import access, clock, ratelimit
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step

KIND_LABELS = {
    AttachmentKind.PHOTO: "证件照",
    AttachmentKind.ID_CARD_FRONT: "身份证人像面",
    AttachmentKind.ID_CARD_BACK: "身份证国徽面",
    AttachmentKind.HANDHELD_ID: "手持身份证半身照",
    AttachmentKind.SIGNATURE: "本人签名",
}


def storage_dir() -> Path:
    """Where attachment files live, created on demand."""
    path = get_settings().storage_path / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class AttachmentUpload:
    """上传附件: the kind and the file's bytes (already read within the size cap)."""

    kind: AttachmentKind
    content: bytes


async def _count_upload(deps: Deps, person_id: int) -> None:
    """UPLOADS_PER_PERSON_PER_HOUR, every attempt counted (a refused image cost its decoding too)."""
    limit = get_settings().uploads_per_person_per_hour
    if not await ratelimit.hit(deps.redis, f"upload:person:{person_id}", limit, 3600):
        message = f"上传过于频繁：每小时最多上传{limit}次，请稍后再试。"
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS, "file", message)


async def upload(deps: Deps, actor: Actor, upload: AttachmentUpload, meta: RequestMeta) -> Attachment:
    """Process and store an image; the previous one of the kind stays in history, no longer current (its file is
    kept while it is among the newest few, see `attachment_history`)."""
    kind = upload.kind
    await _count_upload(deps, actor.id)
    processed = await images.process_bounded(kind.value, upload.content)
    extension = "png" if processed.content_type == "image/png" else "jpg"
    name = f"{secrets.token_hex(16)}.{extension}"
    path = storage_dir() / name
    await asyncio.to_thread(path.write_bytes, processed.data)
    try:
        async with business_step(deps, meta) as step:
            now = clock.now()
            await Attachment.filter(person_id=actor.id, kind=kind, current=True).update(current=False, replaced_at=now)
            attachment = await Attachment.create(
                person_id=actor.id,
                kind=kind,
                storage_name=name,
                content_type=processed.content_type,
                size_bytes=len(processed.data),
                width=processed.width,
                height=processed.height,
                sha256=hashlib.sha256(processed.data).hexdigest(),
                current=True,
                created_at=now,
            )
            await step.trail(actor.id, TrailAction.ATTACHMENT_UPLOADED, f"上传附件：{KIND_LABELS[kind]}")
    except BaseException:
        path.unlink(missing_ok=True)  # nothing half written: no orphan file without its row
        raise
    return attachment


@dataclass(frozen=True)
class StoredFile:
    """What the file route sends."""

    path: Path
    content_type: str
    download_name: str


async def open_for(deps: Deps, actor: Actor | None, attachment_id: int, meta: RequestMeta) -> StoredFile:
    """The file if the actor may see its owner (`access.people_visible_to`); staff access is written to the trail."""
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    attachment = await Attachment.get_or_none(id=attachment_id)
    if attachment is None or attachment.file_deleted_at is not None:
        raise DomainError(ErrorCode.NOT_FOUND)
    owner_id: int = attachment.person_id  # type: ignore[attr-defined]
    if owner_id not in await access.people_visible_to(actor, [owner_id]):
        raise DomainError(ErrorCode.NOT_FOUND)  # do not confirm that someone else's file exists
    if not actor.is_person:
        async with business_step(deps, meta) as step:
            await step.trail(
                owner_id,
                TrailAction.ATTACHMENT_VIEWED_BY_STAFF,
                f"工作人员查看附件：{KIND_LABELS[attachment.kind]}",
                actor=f"工作人员 {actor.label}",
            )
    extension = attachment.storage_name.rsplit(".", 1)[-1]
    return StoredFile(
        storage_dir() / attachment.storage_name,
        attachment.content_type,
        f"{attachment.kind.value.lower()}-{attachment.id}.{extension}",
    )


async def current_for(person_id: int) -> list[Attachment]:
    """The attachments in use, one per kind, in the portal's order."""
    order = list(AttachmentKind)
    rows = await Attachment.filter(person_id=person_id, current=True)
    return sorted(rows, key=lambda row: order.index(row.kind))


async def current_for_people(person_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """`current_for` of many people in one query (a DataLoader batch)."""
    order = list(AttachmentKind)
    found: dict[int, list[Attachment]] = {person_id: [] for person_id in person_ids}
    for row in await Attachment.filter(person_id__in=list(found), current=True):
        found[row.person_id].append(row)  # type: ignore[attr-defined]
    return {person_id: sorted(rows, key=lambda row: order.index(row.kind)) for person_id, rows in found.items()}
