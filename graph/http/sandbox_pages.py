"""The sandbox's certify page (what Alipay shows on the phone): press 通过 or 不通过 (dev and test only)."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from domain import verification

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>支付宝身份验证（沙箱）</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
button{{font-size:1.1rem;padding:.6rem 1.4rem;margin:.4rem}}.pass{{background:#1677ff;color:#fff;border:0}}</style>
</head><body><h1>支付宝身份验证（沙箱）</h1>{body}</body></html>"""
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _page(body: str, status: int = 200) -> Response:
    return HTMLResponse(PAGE.format(body=body), status_code=status, headers=HEADERS)


async def certify_page(request: Request) -> Response:
    """Show who is being verified (masked) and the two buttons."""
    row = await verification.sandbox_certification(request.path_params["certify_id"])
    if row is None:
        return _page("<p>认证请求不存在或已失效。</p>", 404)
    if row.passed is not None:
        return _page(f"<p>本次认证已完成：{'通过' if row.passed else '未通过'}。</p>")
    who = html.escape(f"{row.cert_name[0]}{'*' * (len(row.cert_name) - 1)} {row.cert_no_masked}")
    return _page(
        f"<p>正在验证：{who}</p><form method='post'>"
        "<button class='pass' name='decision' value='pass'>刷脸通过</button>"
        "<button name='decision' value='fail'>验证不通过</button></form>"
    )


async def certify_decision(request: Request) -> Response:
    """Record the press and let the sandbox send its signed notice to our callback (through the worker)."""
    async with request.form(max_files=0, max_fields=2) as form:
        decision = form.get("decision")
    if decision not in ("pass", "fail"):
        return _page("<p>请选择认证结果。</p>", 400)
    row = await verification.decide_in_sandbox(request.path_params["certify_id"], decision == "pass")
    if row is None:
        return _page("<p>认证请求不存在或已完成。</p>", 409)
    await verification.queue_sandbox_notice(request.app.state.deps, row)
    return _page(f"<p>已{'通过' if row.passed else '拒绝'}，结果将通知一级建造师注册系统。可以关闭本页。</p>")
