"""POST /callbacks/alipay: authenticate and store the notice, queue the work, answer `success` at once.

Alipay posts its notices as a URL-encoded form in the charset the app chose (`utf-8`, `gbk` or `gb2312`), named by
the form's own `charset` field (signed with the rest) and often by the Content-Type too. The form is decoded here
in that charset, strictly, and the signature checked over the text encoded in it again (the bytes Alipay signed),
as the official SDK checks it. A multipart form is read by Starlette (UTF-8). Anything malformed is a 400.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from domain import verification
from graph.context import client_meta

logger = logging.getLogger("portal.callbacks")
MAX_FIELDS = 40
MAX_NOTICE_BYTES = 64 * 1024  # a notice is a few hundred bytes
URLENCODED = "application/x-www-form-urlencoded"


class MalformedNotice(Exception):
    """A body that is not a notice form we can read."""


def declared_charset(headers: Headers) -> tuple[str, str | None]:
    """The media type and its `charset` parameter, if any."""
    media_type, *parameters = headers.get("content-type", URLENCODED).split(";")
    charset = next(
        (p.split("=", 1)[1].strip(' "') for p in parameters if p.strip().lower().startswith("charset=")), None
    )
    return media_type.strip().lower(), charset


def decode_form(body: bytes, header_charset: str | None) -> tuple[dict[str, str], str]:
    """The fields, decoded in the form's `charset` field (else the Content-Type's, else UTF-8), and that codec."""
    try:
        text = body.decode("ascii")  # a URL-encoded body is ASCII: every other byte is percent-encoded
        raw = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, encoding="latin-1")
        declared = dict(raw).get("charset") or header_charset
        codec = verification.notice_codec(declared)
        if codec is None:
            raise MalformedNotice(f"unknown charset {declared[:20]!r}" if declared else "no charset")
        fields = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, encoding=codec, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedNotice(type(exc).__name__) from exc
    return dict(fields), codec


async def read_notice(request: Request) -> tuple[dict[str, str], str]:
    """The notice's fields and the codec they were decoded with."""
    media_type, header_charset = declared_charset(request.headers)
    if media_type.startswith("multipart/"):
        async with request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=4096) as form:
            return {key: value for key, value in form.items() if isinstance(value, str)}, "utf-8"
    if media_type != URLENCODED:
        return {}, "utf-8"  # not a form (JSON, text…): no fields, refused and kept for audit like any invalid notice
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_NOTICE_BYTES:
            raise MalformedNotice("too large")
    return decode_form(bytes(body), header_charset)


async def alipay_notice(request: Request) -> Response:
    """Alipay (or the sandbox) posts a form; anything but a verified notice for a known attempt is a 400."""
    try:
        params, codec = await read_notice(request)
    except Exception:  # a malformed body is the sender's fault, not ours
        return PlainTextResponse("fail", status_code=400)
    try:
        accepted = await verification.receive_notice(request.app.state.deps, params, client_meta(request), codec)
    except (
        verification.ProviderRejected
    ):  # our side is misconfigured (e.g. no Alipay public key): the provider retries later
        logger.exception("cannot check provider notices")
        return PlainTextResponse("fail", status_code=503)
    return PlainTextResponse("success") if accepted else PlainTextResponse("fail", status_code=400)
