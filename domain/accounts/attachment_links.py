"""Short-lived signed attachment URLs, for `<img src>` in clients that authenticate with a Bearer header.

The signature is an HMAC over the attachment id, the viewer's session and the expiry (a key of its own, derived
from the master secret): a link works for that attachment only, until it expires or its session ends, and the
file route still checks that the session's actor may see the file (and writes staff views to the trail)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

from domain.accounts import sessions
from domain.kernel import clock, keys
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

KEY_PURPOSE = "attachment-url"
_NUMBER = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
LINK_INVALID = "文件链接已过期或无效，请刷新页面后重试。"


def _signature(attachment_id: int, session_id: int, expires: int) -> str:
    message = f"attachment:{attachment_id}|session:{session_id}|expires:{expires}".encode()
    return hmac.new(keys.subkey(KEY_PURPOSE), message, hashlib.sha256).hexdigest()


def signed_path(attachment_id: int, viewer: Actor) -> str:
    """The file's path with a signature for this viewer's session, valid ATTACHMENT_URL_TTL_S seconds."""
    expires = int(clock.now().timestamp()) + get_settings().attachment_url_ttl_s
    signature = _signature(attachment_id, viewer.session_id, expires)
    return f"/files/attachments/{attachment_id}?session={viewer.session_id}&expires={expires}&signature={signature}"


async def viewer_of_link(attachment_id: int, params: Mapping[str, str]) -> Actor:
    """The actor a signed link was made for; FORBIDDEN when it is malformed, tampered, expired or its session over."""
    session, expires, signature = (params.get(name, "") for name in ("session", "expires", "signature"))
    if not (_NUMBER.fullmatch(session) and _NUMBER.fullmatch(expires) and _SIGNATURE.fullmatch(signature)):
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    expected = _signature(attachment_id, int(session), int(expires))
    if not hmac.compare_digest(expected, signature) or int(expires) <= clock.now().timestamp():
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    actor = await sessions.resolve_id(int(session))
    if actor is None:
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    return actor
