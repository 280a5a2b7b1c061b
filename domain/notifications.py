"""Delivering queued messages: idempotent per outbox id, failures visible after the last try."""

from __future__ import annotations

import logging

from domain import keys, outbox
from domain.identity import mask_mobile
from domain.sms_gateway import gateway

logger = logging.getLogger("portal.notifications")


async def deliver_sms(outbox_id: str, final_try: bool) -> str:
    """Send the SMS of one outbox row once; the stored text is wiped after sending."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    mobile = str(message.payload["mobile"])
    try:
        await gateway().send(mobile, keys.decrypt(str(message.payload["text"])))
    except Exception as exc:
        logger.warning("SMS to %s failed: %s", mask_mobile(mobile), type(exc).__name__)
        if final_try:
            await outbox.mark_failed(message, f"短信发送失败：{type(exc).__name__}")
        raise
    await outbox.mark_done(message, text=None)
    return "sent"
