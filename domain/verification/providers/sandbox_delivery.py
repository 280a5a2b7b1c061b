"""The sandbox's side of notices: like Alipay, POST the signed notice to our callback until it answers
`success`, on a (compressed) retry schedule, with the same notify_id every time."""

from __future__ import annotations

import uuid

import httpx

from db.models import SandboxCertification
from domain.kernel import outbox
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings
from domain.kernel.unit_of_work import unit_of_work
from domain.verification.providers.sandbox import build_notice, decide

CALLBACK_PATH = "/callbacks/alipay"


class NoticeNotAcknowledged(Exception):
    """The callback did not answer exactly `success`: the sender tries again later."""


def retry_delays_s() -> list[int]:
    """Seconds before each retry (Alipay: 4m, 10m, 10m, 1h, 2h, 6h, 15h; compressed in the sandbox)."""
    return list(get_settings().sandbox_notice_delays_s)


async def queue_notice(deps: Deps, row: SandboxCertification) -> None:
    """Schedule the notice for a decided certification (one notify_id for all its retries)."""
    async with unit_of_work(deps) as work:
        payload = {"certify_id": row.certify_id, "passed": bool(row.passed), "notify_id": uuid.uuid4().hex}
        await work.enqueue(Job.SANDBOX_SEND_NOTICE, payload)


async def post_notice(params: dict[str, str], transport: httpx.AsyncBaseTransport | None = None) -> str:
    """POST a notice as a form to our callback (PUBLIC_BASE_URL) and return the response body."""
    target = get_settings().public_base_url + CALLBACK_PATH
    async with httpx.AsyncClient(timeout=10, transport=transport) as client:
        response = await client.post(target, data=params)
    return response.text


async def deliver(outbox_id: str, final_try: bool, transport: httpx.AsyncBaseTransport | None = None) -> str:
    """Send one queued notice; raises NoticeNotAcknowledged to be retried."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    payload = message.payload
    notice = build_notice(str(payload["certify_id"]), bool(payload["passed"]), notify_id=str(payload["notify_id"]))
    try:
        body = await post_notice(notice, transport)
    except httpx.HTTPError as exc:
        body = f"error: {type(exc).__name__}"
    if body.strip() != "success":
        if final_try:
            await outbox.mark_failed(message, f"回调未确认：{body[:100]}")
        raise NoticeNotAcknowledged(body[:100])
    await outbox.mark_done(message)
    return "acknowledged"


async def decide_and_notify(
    certify_id: str, passed: bool, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[dict[str, str], str]:
    """`manage.py sandbox-notify`: press pass or fail without the page (the first decision counts, as on the page),
    then POST the signed notice to our callback at once; the notice and the callback's answer."""
    await decide(certify_id, passed)
    notice = build_notice(certify_id, passed)
    return notice, await post_notice(notice, transport)
