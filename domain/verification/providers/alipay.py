"""Alipay open API (alipay.user.certify.open.*): signed requests, verified responses and notices.

Never called in tests (no network); its signing and parsing are tested against vectors generated there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings, get_settings
from domain.verification.providers import rsa2
from domain.verification.providers.base import CertifyResult, NoticeCheck, ProviderRejected, ProviderUnavailable

SUCCESS_CODE = "10000"
TRANSIENT_CODES = frozenset({"20000"})  # 服务不可用; 20001 is an authorization failure, not a transient one
SHANGHAI = ZoneInfo("Asia/Shanghai")


def response_key(method: str) -> str:
    """`alipay.user.certify.open.query` → `alipay_user_certify_open_query_response`."""
    return method.replace(".", "_") + "_response"


def extract_signed_node(body: str, method: str) -> tuple[str, dict[str, Any]]:
    """The raw text of the response node (what Alipay signed) and its decoded value."""
    marker = f'"{response_key(method)}"'
    start = body.find(marker)
    if start < 0:
        raise ProviderRejected("响应中缺少业务节点")
    index = start + len(marker)
    try:
        while body[index].isspace():
            index += 1
        if body[index] != ":":
            raise ValueError("no colon after the node key")
        index += 1
        while body[index].isspace():
            index += 1
        node, end = json.JSONDecoder().raw_decode(body, index)
    except (ValueError, IndexError) as exc:  # truncated or malformed: not a response we can trust
        raise ProviderRejected("支付宝响应格式不正确") from exc
    if not isinstance(node, dict):
        raise ProviderRejected("支付宝响应格式不正确")
    return body[index:end], node


def response_signature(body: str) -> str:
    """The `sign` beside the response node ("" when absent, so verification fails)."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise ProviderRejected("支付宝响应格式不正确") from exc
    signature = document.get("sign") if isinstance(document, dict) else None
    return signature if isinstance(signature, str) else ""


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
        """The common parameters plus biz_content, signed with the app key."""
        params = {
            "app_id": self.settings.alipay_app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz_content, ensure_ascii=False, separators=(",", ":")),
        }
        params["sign"] = rsa2.sign(self.app_key, rsa2.signing_string(params, rsa2.UNSIGNED_REQUEST_KEYS))
        return params

    def parse_response(self, body: str, method: str) -> dict[str, Any]:
        """Verify Alipay's signature over the response node, then check its business code."""
        raw_node, node = extract_signed_node(body, method)
        if not rsa2.verify(self.alipay_key, raw_node, response_signature(body)):
            raise ProviderRejected("支付宝响应签名验证失败")
        code = str(node.get("code", ""))
        if code == SUCCESS_CODE:
            return dict(node)
        sub_code = str(node.get("sub_code", ""))
        if code in TRANSIENT_CODES or sub_code.endswith("SYSTEM_ERROR"):
            raise ProviderUnavailable(f"{code} {sub_code}")
        raise ProviderRejected(f"{code} {sub_code} {node.get('sub_msg', '')}".strip())

    async def _call(self, method: str, biz_content: Mapping[str, Any]) -> dict[str, Any]:
        params = self.signed_params(method, biz_content, datetime.now(SHANGHAI))
        try:
            async with httpx.AsyncClient(timeout=self.settings.alipay_timeout_s, transport=self._transport) as client:
                response = await client.post(self.settings.alipay_gateway_url, data=params)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP {response.status_code}")
        return self.parse_response(response.text, method)

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
        """alipay.user.certify.open.certify is a page call: the signed gateway URL itself."""
        params = self.signed_params(
            "alipay.user.certify.open.certify", {"certify_id": certify_id}, now or datetime.now(SHANGHAI)
        )
        return f"{self.settings.alipay_gateway_url}?{urlencode(params)}"

    async def query(self, certify_id: str) -> CertifyResult:
        """alipay.user.certify.open.query → passed T/F (+ fail_reason)."""
        node = await self._call("alipay.user.certify.open.query", {"certify_id": certify_id})
        passed = node.get("passed")
        if passed not in ("T", "F"):
            return CertifyResult(passed=None)
        return CertifyResult(passed=passed == "T", fail_reason=node.get("fail_reason"))

    def check_notice(self, params: Mapping[str, str]) -> NoticeCheck:
        """Signature with Alipay's key first, then our app id."""
        return check_notice_with(self.alipay_key, self.settings.alipay_app_id, params)


def check_notice_with(public_key: rsa.RSAPublicKey, app_id: str, params: Mapping[str, str]) -> NoticeCheck:
    """Shared notice rule: a bad or missing signature, then a foreign app id, each reject the notice."""
    notify_id, certify_id = params.get("notify_id") or None, params.get("certify_id") or None
    if not rsa2.verify_notice(public_key, params):
        return NoticeCheck(False, "签名缺失或验证失败", notify_id, certify_id)
    if params.get("app_id") != app_id:
        return NoticeCheck(False, "app_id 不属于本系统", notify_id, certify_id)
    if not notify_id or not certify_id:
        return NoticeCheck(False, "缺少 notify_id 或 certify_id", notify_id, certify_id)
    return NoticeCheck(True, None, notify_id, certify_id)
