"""GraphiQL served from the app's own files (npm packages installed at set-up): works with no internet."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from domain.kernel.settings import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "web" / "node_modules"
ASSETS: dict[str, tuple[Path, str]] = {
    "react.js": (NODE_MODULES / "react/umd/react.production.min.js", "text/javascript"),
    "react-dom.js": (NODE_MODULES / "react-dom/umd/react-dom.production.min.js", "text/javascript"),
    "graphiql.js": (NODE_MODULES / "graphiql/graphiql.min.js", "text/javascript"),
    "graphiql.css": (NODE_MODULES / "graphiql/graphiql.min.css", "text/css"),
    "init.js": (Path(__file__).parent / "static/graphiql-init.js", "text/javascript"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>GraphiQL · 一级建造师注册 API</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">正在加载 GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/init.js"></script>
</body>
</html>
"""


async def graphiql_page(_request: Request) -> Response:
    """The GraphiQL HTML shell."""
    return HTMLResponse(PAGE, headers=SECURITY_HEADERS)


async def graphiql_asset(request: Request) -> Response:
    """One of the whitelisted asset files; nothing else is reachable through this route."""
    entry = ASSETS.get(request.path_params["name"])
    if entry is None or not entry[0].exists():
        return Response("Not Found", status_code=404)
    path, media_type = entry
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
