"""Alipay open API (alipay.user.certify.open.*): signed requests, verified responses and notices.

Never calls the network in tests: its requests, certify URL and response reading are compared with what Alipay's
official Python SDK (alipay-sdk-python 3.7, a test dependency) builds and accepts for the same key, time and bodies,
and its signatures with vectors made by the OpenSSL command line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings, get_settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay_response import extract_signed_node, read_response, response_key
from domain.verification.providers.base import CertifyResult, NoticeCheck, ProviderRejected, ProviderUnavailable

__all__ = ["AlipayProvider", "GatewayRequest", "check_notice_with", "extract_signed_node", "response_key"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The SDK's order: every common parameter, `sign` included, goes in the URL query; only biz_content in the body.
QUERY_PARAMS = ("timestamp", "app_id", "method", "charset", "format", "version", "sign_type", "sign")


@dataclass(frozen=True)
class GatewayRequest:
    """One call as it goes on the wire: POST to url (common parameters in its query) with the form body."""

    url: str
    body: bytes
    headers: dict[str, str]


class AlipayProvider:
    """The real provider, configured by app id and keys from settings."""

    name = "alipay"

    def __init__(
        self,
        settings: Settings | None = None,
        app_key: rsa.RSAPrivateKey | None = None,
        alipay_key: rsa.RSAPublicKey | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._app_key = app_key
        self._alipay_key = alipay_key
        self._transport = transport  # None = the network; tests hand in a transport that answers like the gateway

    @property
    def app_key(self) -> rsa.RSAPrivateKey:
        """Our application private key (signs requests)."""
        if self._app_key is None:
            if self.settings.alipay_app_private_key_file is None:
                raise ProviderRejected("未配置 ALIPAY_APP_PRIVATE_KEY_FILE")
            self._app_key = rsa2.load_private_key(self.settings.alipay_app_private_key_file.read_bytes())
        return self._app_key

    @property
    def alipay_key(self) -> rsa.RSAPublicKey:
        """Alipay's public key (verifies responses and notices)."""
        if self._alipay_key is None:
            if self.settings.alipay_public_key_file is None:
                raise ProviderRejected("未配置 ALIPAY_PUBLIC_KEY_FILE")
            self._alipay_key = rsa2.load_public_key(self.settings.alipay_public_key_file.read_bytes())
        return self._alipay_key

    def signed_params(self, method: str, biz_content: Mapping[str, Any], now: datetime) -> dict[str, str]:
        """The common parameters plus biz_content, signed with the app key (in the declared charset)."""
        params = {
            "app_id": self.settings.alipay_app_id,
            "method": method,
            "format": "JSON",
            "charset": self.settings.alipay_charset,
            "sign_type": "RSA2",
            "timestamp": now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz_content, ensure_ascii=False, separators=(",", ":")),
        }
        content = rsa2.signing_string(params, rsa2.UNSIGNED_REQUEST_KEYS)
        params["sign"] = rsa2.sign(self.app_key, content, self.settings.alipay_charset)
        return params

    def gateway_request(self, method: str, biz_content: Mapping[str, Any], now: datetime) -> GatewayRequest:
        """What the SDK's DefaultAlipayClient sends: common parameters (charset, sign…) in the URL query, biz_content
        alone in the form body, both URL-encoded in the declared charset."""
        charset = self.settings.alipay_charset
        try:
            params = self.signed_params(method, biz_content, now)
            query = urlencode([(key, params[key]) for key in QUERY_PARAMS], encoding=charset)
            body = urlencode([("biz_content", params["biz_content"])], encoding=charset).encode("ascii")
        except UnicodeEncodeError as exc:  # e.g. a rare character of a name under ALIPAY_CHARSET=gbk
            raise ProviderRejected(f"请求内容含有 {charset} 无法表示的字符") from exc
        gateway = self.settings.alipay_gateway_url.split("?", 1)[0]
        headers = {"Content-Type": f"application/x-www-form-urlencoded;charset={charset}"}
        return GatewayRequest(f"{gateway}?{query}", body, headers)

    def parse_response(self, body: bytes | str, method: str) -> dict[str, Any]:
        """Alipay's signature verified over the node's raw text in the declared charset, then its business code."""
        return read_response(body, method, self.settings.alipay_charset, self.alipay_key)

    async def _call(self, method: str, biz_content: Mapping[str, Any]) -> dict[str, Any]:
        request = self.gateway_request(method, biz_content, datetime.now(SHANGHAI))
        try:
            async with httpx.AsyncClient(timeout=self.settings.alipay_timeout_s, transport=self._transport) as client:
                response = await client.post(request.url, content=request.body, headers=request.headers)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP {response.status_code}")
        return self.parse_response(response.content, method)

    async def initialize(self, outer_order_no: str, cert_name: str, cert_no: str, return_url: str) -> str:
        """alipay.user.certify.open.initialize → certify_id."""
        node = await self._call(
            "alipay.user.certify.open.initialize",
            {
                "outer_order_no": outer_order_no,
                "biz_code": self.settings.alipay_biz_code,
                "identity_param": {
                    "identity_type": "CERT_INFO",
                    "cert_type": "IDENTITY_CARD",
                    "cert_name": cert_name,
                    "cert_no": cert_no,
                },
                "merchant_config": {"return_url": return_url},
            },
        )
        return str(node["certify_id"])

    def certify_url(self, certify_id: str, now: datetime | None = None) -> str:
        """alipay.user.certify.open.certify is a page call: the signed gateway URL itself, as the SDK's
        `page_execute(request, "GET")` builds it (the common parameters, then biz_content)."""
        request = self.gateway_request(
            "alipay.user.certify.open.certify", {"certify_id": certify_id}, now or datetime.now(SHANGHAI)
        )
        return f"{request.url}&{request.body.decode('ascii')}"

    async def query(self, certify_id: str) -> CertifyResult:
        """alipay.user.certify.open.query → passed T/F (+ fail_reason)."""
        node = await self._call("alipay.user.certify.open.query", {"certify_id": certify_id})
        passed = node.get("passed")
        if passed not in ("T", "F"):
            return CertifyResult(passed=None)
        return CertifyResult(passed=passed == "T", fail_reason=node.get("fail_reason"))

    def check_notice(self, params: Mapping[str, str], charset: str = "utf-8") -> NoticeCheck:
        """Signature with Alipay's key first, then our app id."""
        return check_notice_with(self.alipay_key, self.settings.alipay_app_id, params, charset)


def check_notice_with(
    public_key: rsa.RSAPublicKey, app_id: str, params: Mapping[str, str], charset: str = "utf-8"
) -> NoticeCheck:
    """Shared notice rule: a bad or missing signature (over the text in the notice's charset), then a foreign app
    id, each reject the notice."""
    notify_id, certify_id = params.get("notify_id") or None, params.get("certify_id") or None
    if not rsa2.verify_notice(public_key, params, charset):
        return NoticeCheck(False, "签名缺失或验证失败", notify_id, certify_id)
    if params.get("app_id") != app_id:
        return NoticeCheck(False, "app_id 不属于本系统", notify_id, certify_id)
    if not notify_id or not certify_id:
        return NoticeCheck(False, "缺少 notify_id 或 certify_id", notify_id, certify_id)
    return NoticeCheck(True, None, notify_id, certify_id)
