"""/healthz (the process is up) and /readyz (the database and Redis answer)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from domain.kernel.health import database_problem


async def healthz(_request: Request) -> Response:
    """The process is up."""
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """The database and Redis answer."""
    checks = {"database": await database_problem() or "ok"}
    try:
        await request.app.state.deps.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # any failure means not ready
        checks["redis"] = type(exc).__name__
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)
