"""Alipay's official Python SDK (alipay-sdk-python 3.7, a test dependency only) as the reference for our adapter.

`SdkReference` runs the SDK's own `DefaultAlipayClient` for the same app id, keys, charset and time as our provider.
Only its clock and its socket are replaced: `datetime.now` answers the fixed time, and `do_post` records the URL and
form body the SDK would send (built with the SDK's own `WebUtils.get_http_connection` / `url_encode`) and answers
the given bytes, which the SDK then parses and verifies as it would the gateway's answer.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import alipay.aop.api.DefaultAlipayClient as sdk_client_module
import pytest
from alipay.aop.api.AlipayClientConfig import AlipayClientConfig
from alipay.aop.api.DefaultAlipayClient import DefaultAlipayClient
from alipay.aop.api.request.AlipayUserCertifyOpenCertifyRequest import AlipayUserCertifyOpenCertifyRequest
from alipay.aop.api.request.AlipayUserCertifyOpenInitializeRequest import AlipayUserCertifyOpenInitializeRequest
from alipay.aop.api.request.AlipayUserCertifyOpenQueryRequest import AlipayUserCertifyOpenQueryRequest
from alipay.aop.api.util import WebUtils
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.verification.providers.alipay import SHANGHAI

SDK_REQUESTS: dict[str, Any] = {
    "alipay.user.certify.open.initialize": AlipayUserCertifyOpenInitializeRequest,
    "alipay.user.certify.open.certify": AlipayUserCertifyOpenCertifyRequest,
    "alipay.user.certify.open.query": AlipayUserCertifyOpenQueryRequest,
}


def bare_private_key(key: rsa.RSAPrivateKey) -> str:
    """The app private key as the SDK takes it: PKCS#1 DER in one base64 line (Alipay's key tool, non-Java)."""
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return base64.b64encode(der).decode()


def bare_public_key(key: rsa.RSAPublicKey) -> str:
    """A public key as Alipay's console shows it: SubjectPublicKeyInfo DER in one base64 line."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


@dataclass
class SdkExchange:
    """What the SDK sent (URL with query, form body, headers)."""

    url: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class SdkReference:
    """The SDK's client for one configuration, its clock fixed at `now`."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        app_id: str,
        app_key: rsa.RSAPrivateKey,
        alipay_public_key: rsa.RSAPublicKey,
        charset: str = "utf-8",
        gateway: str = "https://openapi.alipay.com/gateway.do",
    ) -> None:
        config = AlipayClientConfig()
        config.app_id, config.server_url, config.charset, config.format = app_id, gateway, charset, "JSON"
        config.app_private_key = bare_private_key(app_key)
        config.alipay_public_key = bare_public_key(alipay_public_key)
        self.client = DefaultAlipayClient(config)
        self.charset = charset
        self.sent = SdkExchange()
        self._answer = b""
        self._monkeypatch = monkeypatch
        monkeypatch.setattr(sdk_client_module, "do_post", self._do_post)

    def at(self, now: datetime) -> SdkReference:
        """Fix the SDK's clock (it reads local time: here Beijing time, as the gateway expects)."""
        naive = now.astimezone(SHANGHAI).replace(tzinfo=None)
        self._monkeypatch.setattr(
            sdk_client_module, "datetime", SimpleNamespace(datetime=SimpleNamespace(now=lambda: naive))
        )
        return self

    def _do_post(
        self, url: str, query_string: str, headers: dict[str, str], params: dict[str, str], charset: str, timeout: int
    ) -> bytes:
        full_url, _unopened = WebUtils.get_http_connection(url, query_string, timeout)
        body = WebUtils.url_encode(params, charset) if params else ""
        self.sent = SdkExchange(full_url, body.encode("latin-1"), dict(headers))  # http.client's encoding of a str
        return self._answer

    def request(self, method: str, biz_content: str) -> Any:
        """The SDK's request object of `method` carrying exactly this biz_content text (the SDK's own models would
        re-serialise it with sorted keys: same JSON value, another string; `model_json` shows that form)."""
        request = SDK_REQUESTS[method]()
        request.add_other_text_param("biz_content", biz_content)
        return request

    @staticmethod
    def model_json(method: str, biz: dict[str, Any]) -> str:
        """biz_content as the SDK writes it from its own model of `method` (sorted keys)."""
        request = SDK_REQUESTS[method]()
        request.biz_content = biz
        return str(request.get_params()["biz_content"])

    def execute(self, method: str, biz_content: str, answer: bytes) -> str:
        """The SDK's `execute`: records the request, then parses `answer` (its verified node text, or raises)."""
        self._answer = answer
        return str(self.client.execute(self.request(method, biz_content)))

    def page_url(self, method: str, biz_content: str) -> str:
        """The SDK's `page_execute(..., "GET")`: the signed gateway URL of a page call."""
        return str(self.client.page_execute(self.request(method, biz_content), http_method="GET"))
