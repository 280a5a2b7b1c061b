"""uploadAttachment: read the multipart file within the cap, hand the bytes to the domain."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from domain.kernel.errors import DomainError, ErrorCode
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts.inputs import UploadAttachmentInput, UploadAttachmentPayload
from graph.schema.accounts.types import Attachment


async def read_capped(upload: Any, max_bytes: int) -> bytes:
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


@strawberry.type
class UploadMutations:
    @portal_mutation("上传附件（GraphQL multipart）/ Upload an attachment; replaces the current one.", IsPerson)
    async def upload_attachment(
        self,
        info: Info[Context, Any],
        input: Annotated[UploadAttachmentInput, strawberry.argument(description="附件类型与图片 / Kind and image.")],
    ) -> UploadAttachmentPayload:
        context = info.context
        assert context.actor is not None  # IsPerson
        content = await read_capped(input.file, context.settings.upload_max_bytes)
        row = await accounts.upload_attachment(context.deps, context.actor, input.kind, content, context.meta)
        return UploadAttachmentPayload(attachment=Attachment.from_model(row))
