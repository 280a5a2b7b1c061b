"""uploadAttachment: read the multipart file within the cap, hand the bytes to the domain."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import attachments
from domain.context import Actor
from domain.errors import DomainError, ErrorCode
from graph.context import Context
from graph.errors import as_payload
from graph.resolvers.accounts import require_person
from graph.schema.account_inputs import UploadAttachmentInput, UploadAttachmentPayload
from graph.schema.accounts import Attachment


async def _read_capped(upload: Any, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 so an oversize file is refused without holding all of it."""
    if not hasattr(upload, "read"):
        raise DomainError(ErrorCode.INVALID_INPUT, "file", "请选择要上传的图片文件。")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(ErrorCode.FILE_TOO_LARGE, "file")
    data: bytes = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DomainError(ErrorCode.FILE_TOO_LARGE, "file")
    return data


async def _upload(context: Context, actor: Actor, data: UploadAttachmentInput) -> dict[str, Any]:
    content = await _read_capped(data.file, context.settings.upload_max_bytes)
    row = await attachments.upload(actor, data.kind, content, context.meta)
    return {"attachment": Attachment.from_model(row)}


@strawberry.type
class AttachmentMutations:
    @strawberry.mutation(description="上传附件（GraphQL multipart）/ Upload an attachment; replaces the current one.")
    async def upload_attachment(
        self, info: Info[Context, Any], input: UploadAttachmentInput
    ) -> UploadAttachmentPayload:
        actor = require_person(info)
        return await as_payload(UploadAttachmentPayload, _upload(info.context, actor, input))
