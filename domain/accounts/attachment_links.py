"""Short-lived signed attachment URLs, for `<img src>` in clients that authenticate with a Bearer header.

The link is bound to the attachment id and the viewer's session (`kernel.signed_links`, a key of its own): it works
for that attachment only, until it expires or its session ends, and the file route still checks that the session's
actor may see the file (and writes staff views to the trail)."""

from __future__ import annotations

from collections.abc import Mapping

from domain.accounts import sessions
from domain.kernel import signed_links
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

KEY_PURPOSE = "attachment-url"
LINK_INVALID = "文件链接已过期或无效，请刷新页面后重试。"


def signed_path(attachment_id: int, viewer: Actor) -> str:
    """The file's path with a signature for this viewer's session, valid ATTACHMENT_URL_TTL_S seconds."""
    bound = {"attachment": attachment_id, "session": viewer.session_id}
    query, _ = signed_links.signed_query(KEY_PURPOSE, bound, ["session"], get_settings().attachment_url_ttl_s)
    return f"/files/attachments/{attachment_id}?{query}"


async def viewer_of_link(attachment_id: int, params: Mapping[str, str]) -> Actor:
    """The actor a signed link was made for; FORBIDDEN when it is malformed, tampered, expired or its session over."""
    shown = signed_links.query_numbers(params, ["session"])
    if shown is None or not signed_links.link_valid(KEY_PURPOSE, {"attachment": attachment_id, **shown}, params):
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    actor = await sessions.resolve_id(shown["session"])
    if actor is None:
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    return actor
