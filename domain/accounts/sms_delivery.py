"""SMS delivery: the gateway and the job body that sends one queued message. Production plugs a carrier
gateway in here; dev and tests use a file 'phone'.

A real gateway implements `SmsGateway.send` (for example a signed HTTPS call to the carrier's API with a
template id and parameters) and is selected by SMS_GATEWAY=module:Class. Messages are never logged in full.

Delivery is at least once: a worker that dies after the carrier accepted a message but before the outbox row is
marked done sends it again when the job reruns. Every try of one message carries the same idempotency key (the
outbox id); a gateway passes it to the carrier (e.g. as its request or "out id" field) so the carrier drops the
duplicate.
"""

from __future__ import annotations

import fcntl
import json
import logging
from pathlib import Path
from typing import Any, Protocol

from domain.accounts.identifiers import mask_mobile
from domain.kernel import clock, keys, outbox
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings, load_class

SMS_SIGNATURE = "【一级建造师注册】"  # every message starts with the signature, as SMS carriers require

logger = logging.getLogger("portal.sms")
DEV_INBOX_LIMIT = 20


class SmsGateway(Protocol):
    """Sends one text message; raises on a transient fault so the job retries."""

    async def send(self, mobile: str, text: str, *, idempotency_key: str) -> None:
        """Deliver `text` to `mobile`; `idempotency_key` is the same on every try of one message (the outbox id),
        for the carrier to deduplicate on."""


class DevInboxGateway:
    """Appends messages to var/dev-sms.jsonl, read back by GET /dev/sms (dev and test only)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or get_settings().var_dir / "dev-sms.jsonl"

    async def send(self, mobile: str, text: str, *, idempotency_key: str) -> None:
        """Write the message to the dev inbox file, with its idempotency key."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"mobile": mobile, "text": text, "sentAt": clock.now().isoformat(), "idempotencyKey": idempotency_key}
        line = json.dumps(record, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line + "\n")
        logger.info("dev SMS delivered to %s", mask_mobile(mobile))

    def latest(self, mobile: str, limit: int = DEV_INBOX_LIMIT) -> list[dict[str, Any]]:
        """Newest first, the messages sent to one number."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        messages = [json.loads(line) for line in lines if line.strip()]
        return [m for m in reversed(messages) if m["mobile"] == mobile][:limit]


def gateway() -> SmsGateway:
    """The configured gateway: SMS_GATEWAY=module:Class, or the dev inbox."""
    path = get_settings().sms_gateway
    if path is None:
        return DevInboxGateway()
    instance: SmsGateway = load_class(path)()
    return instance


async def deliver_sms(outbox_id: str, final_try: bool) -> str:
    """Send the SMS of one outbox row once; the stored text is wiped after sending."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    mobile = str(message.payload["mobile"])
    try:
        text = keys.decrypt(str(message.payload["text"]))
        await gateway().send(mobile, text, idempotency_key=str(message.id))
    except Exception as exc:
        logger.warning("SMS to %s failed: %s", mask_mobile(mobile), type(exc).__name__)
        if final_try:
            await outbox.mark_failed(message, f"短信发送失败：{type(exc).__name__}")
        raise
    await outbox.mark_done(message, text=None)
    return "sent"


async def notify_by_sms(work: Any, mobile: str, text: str) -> None:  # work: a BusinessStep or UnitOfWork
    """A notice (not a code) to a mobile, sent by the worker after the unit of work `work` commits (outbox): the
    text is stored encrypted until sent, then wiped. `work` is the business step or unit of work writing the change
    the notice is about, so a rollback sends nothing."""
    await work.enqueue(Job.SEND_SMS, {"mobile": mobile, "text": keys.encrypt(SMS_SIGNATURE + text)})
