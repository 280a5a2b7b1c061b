"""Cron purge_attachment_files: delete the files of replaced attachments beyond the kept history."""

from __future__ import annotations

from typing import Any

from domain import accounts


async def purge_attachment_files(ctx: dict[str, Any]) -> int:
    """Files of replaced attachments past ATTACHMENT_HISTORY_FILES per person and kind; rows stay as metadata."""
    return await accounts.purge_replaced_attachment_files(ctx["deps"])
