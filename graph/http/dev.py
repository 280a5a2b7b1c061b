"""Development-only routes (APP_ENV=dev or test): captcha answers and the SMS inbox, as JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain import accounts


async def dev_captcha(request: Request) -> Response:
    """GET /dev/captcha/{id} → {"id", "answer"}."""
    answer = await accounts.dev_captcha_answer(request.app.state.deps.redis, request.path_params["captcha_id"])
    if answer is None:
        return JSONResponse({"message": "验证码不存在或已过期"}, status_code=404)
    return JSONResponse({"id": request.path_params["captcha_id"], "answer": answer})


async def dev_sms(request: Request) -> Response:
    """GET /dev/sms?mobile=… → the latest messages to that number, newest first."""
    mobile = request.query_params.get("mobile", "")
    return JSONResponse({"mobile": mobile, "messages": accounts.DevInboxGateway().latest(mobile)})


routes = [
    Route("/dev/captcha/{captcha_id}", dev_captcha, methods=["GET"]),
    Route("/dev/sms", dev_sms, methods=["GET"]),
]
