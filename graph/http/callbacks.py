"""POST /callbacks/alipay: authenticate and store the notice, queue the work, answer `success` at once."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from domain import verification
from graph.context import client_meta

logger = logging.getLogger("portal.callbacks")
MAX_FIELDS = 40


async def alipay_notice(request: Request) -> Response:
    """Alipay (or the sandbox) posts a form; anything but a verified notice for a known attempt is a 400."""
    try:
        async with request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=4096) as form:
            params = {key: value for key, value in form.items() if isinstance(value, str)}
    except Exception:  # a malformed body is the sender's fault, not ours
        return PlainTextResponse("fail", status_code=400)
    try:
        accepted = await verification.receive_notice(request.app.state.deps, params, client_meta(request))
    except (
        verification.ProviderRejected
    ):  # our side is misconfigured (e.g. no Alipay public key): the provider retries later
        logger.exception("cannot check provider notices")
        return PlainTextResponse("fail", status_code=503)
    return PlainTextResponse("success") if accepted else PlainTextResponse("fail", status_code=400)
