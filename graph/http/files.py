"""GET /files/attachments/{id}: images only to their owner and authorized staff, never sniffable; the caller is
the session (cookie or Bearer) or the viewer a short-lived signed link was made for."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from domain import accounts
from domain.kernel.errors import DomainError, ErrorCode
from graph.context import authenticate, client_meta
from graph.schema.common import parse_db_id

STATUS = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403, ErrorCode.NOT_FOUND: 404}


async def attachment_file(request: Request) -> Response:
    """Stream one attachment after the domain's access check (which logs staff access)."""
    attachment_id = parse_db_id(request.path_params["attachment_id"])
    actor, _ = await authenticate(request)
    try:
        if attachment_id is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if actor is None and "signature" in request.query_params:  # a signed link, for <img src> with Bearer clients
            actor = await accounts.viewer_of_attachment_link(attachment_id, request.query_params)
        stored = await accounts.open_attachment(request.app.state.deps, actor, attachment_id, client_meta(request))
    except DomainError as exc:
        return JSONResponse({"code": exc.code.value, "message": exc.message}, status_code=STATUS.get(exc.code, 400))
    return FileResponse(
        stored.path,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": f'inline; filename="{stored.download_name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
