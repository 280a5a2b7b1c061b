"""GET /files/certificates/{download_id}: a certificate download through its signed URL (PDF or PNG, never
sniffable, never cached). GET /c/{code}: the public page a certificate's QR code opens (Chinese, no external
assets), answering as certificateVerification does."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from domain import certificates
from domain.certificates import CertificateCheck, CertificateStatus
from domain.kernel.errors import DomainError, ErrorCode
from graph.context import client_meta
from graph.schema.common import parse_db_id

STATUS = {
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CERTIFICATE_NOT_CURRENT: 410,
    ErrorCode.CERTIFICATE_UNAVAILABLE: 503,
    ErrorCode.TOO_MANY_REQUESTS: 429,
}
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Referrer-Policy": "no-referrer",
}
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
MAX_CODE_CHARS = 1000


async def certificate_file(request: Request) -> Response:
    """Render and send one download after checking its signed link (no Bearer header needed)."""
    download_id = parse_db_id(request.path_params["download_id"])
    try:
        if download_id is None:
            raise DomainError(ErrorCode.FORBIDDEN)
        rendered = await certificates.open_download(
            request.app.state.deps, download_id, request.query_params, client_meta(request)
        )
    except DomainError as exc:
        refusal = JSONResponse({"code": exc.code.value, "message": exc.message}, status_code=STATUS.get(exc.code, 400))
        if exc.retry_after_s is not None:
            refusal.headers["Retry-After"] = str(exc.retry_after_s)
        return refusal
    headers = {**FILE_HEADERS, "Content-Disposition": f'inline; filename="{rendered.download_name}"'}
    return Response(rendered.data, media_type=rendered.content_type, headers=headers)


STYLE = """body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f5;
color:#222}main{max-width:560px;margin:24px auto;background:#fff;padding:24px;border-top:6px solid #a01e1e}
h1{font-size:20px;margin:0 0 16px}.verdict{font-size:18px;padding:12px;margin-bottom:16px;border-radius:4px}
.VALID{background:#e6f4ea;color:#1e6b34}.bad{background:#fdecea;color:#a01e1e}.warn{background:#fff4e5;
color:#8a5300}dl{display:grid;grid-template-columns:8em 1fr;gap:8px 12px;margin:0}dt{color:#666}dd{margin:0}
table{border-collapse:collapse;width:100%;margin-top:8px}td,th{border:1px solid #ddd;padding:6px;text-align:left}
footer{margin-top:16px;font-size:12px;color:#777}"""


def _verdict_class(status: CertificateStatus) -> str:
    if status is CertificateStatus.VALID:
        return "VALID"
    return "warn" if status is CertificateStatus.EXPIRED else "bad"


def _details(check: CertificateCheck) -> str:
    facts = check.facts
    if facts is None:
        return ""
    rows = [
        ("注册编号", facts.number_with_check),
        ("姓名", facts.name_masked),
        ("证件号码", facts.id_number_masked),
        ("聘用企业", check.enterprise_name or ""),
        ("发证日期", check.issued_on.isoformat() if check.issued_on else ""),
        ("使用有效期至", facts.usable_until.isoformat()),
        ("下载编号", str(facts.download_id)),
    ]
    items = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in rows)
    specialties = "".join(
        f"<tr><td>{escape(item.name)}</td><td>{item.expires_on.isoformat()}</td></tr>" for item in check.specialties
    )
    table = f"<table><tr><th>注册专业</th><th>有效期至</th></tr>{specialties}</table>" if specialties else ""
    return f"<dl>{items}</dl>{table}"


def verification_html(check: CertificateCheck) -> str:
    """The page for one check: the verdict, then the masked facts (none for a forged code)."""
    verdict = f'<div class="verdict {_verdict_class(check.status)}">{escape(check.label)}</div>'
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>一级建造师注册证书核验</title><style>{STYLE}</style></head><body><main>"
        f"<h1>一级建造师注册证书核验</h1>{verdict}{_details(check)}"
        f"<footer>核验日期：{check.checked_on.isoformat()}。本页仅显示脱敏信息；"
        "打印件须经持证人本人手写签名方为有效。</footer></main></body></html>"
    )


async def verification_page(request: Request) -> Response:
    """The QR code's page: the same verdict as certificateVerification, for anyone with a phone."""
    code = request.path_params["code"][:MAX_CODE_CHARS]
    check = await certificates.verify_certificate(code)
    return HTMLResponse(verification_html(check), headers=PAGE_HEADERS)
