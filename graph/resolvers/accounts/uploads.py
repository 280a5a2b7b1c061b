"""uploadAttachment: the multipart file, read within the cap by its input, handed to the domain."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import accounts
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_mutation
from graph.schema.accounts.inputs import UploadAttachmentInput, UploadAttachmentPayload
from graph.schema.accounts.types import Attachment


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
        upload = await input.to_domain(context.settings.upload_max_bytes)
        row = await accounts.upload_attachment(context.deps, context.actor, upload, context.meta)
        return UploadAttachmentPayload(attachment=Attachment.from_model(row))
