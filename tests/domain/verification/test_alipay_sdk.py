"""Our Alipay adapter held against Alipay's official Python SDK (alipay-sdk-python 3.7) for the same app id, keys,
charset and time: the request on the wire (URL query and form body), the certify URL, which answers are accepted
(and what they say), and how keys load. No network: our provider talks to an httpx transport that answers like the
gateway, the SDK to a `do_post` that records what it sends (tests/domain/verification/alipay_sdk.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from alipay.aop.api.util.SignatureUtils import get_sign_content, sign_with_rsa2
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings
from domain.verification.providers.alipay import SHANGHAI, AlipayProvider
from domain.verification.providers.base import ProviderRejected
from tests.domain.verification.alipay_sdk import SdkReference, bare_private_key
from tests.domain.verification.alipay_vectors import APP_ID, FIXED_NOW, QUERY

INITIALIZE = "alipay.user.certify.open.initialize"
CERTIFY = "alipay.user.certify.open.certify"
CERTIFY_ID = "ZM202605201234567890"
INITIALIZE_BIZ = {
    "outer_order_no": "RV0123456789abcdef",
    "biz_code": "FACE",
    "identity_param": {
        "identity_type": "CERT_INFO",
        "cert_type": "IDENTITY_CARD",
        "cert_name": "欧阳·娜娜",
        "cert_no": "360426199101010071",
    },
    "merchant_config": {"return_url": "https://portal.example.cn/verification/return?a=1&b=2 3"},
}
Charset = Literal["utf-8", "gbk"]
CHARSETS: list[Charset] = ["utf-8", "gbk"]


class Gateway:
    """An httpx transport answering every call with `answer` (bytes in the declared charset); keeps the requests."""

    def __init__(self, answer: bytes, charset: str) -> None:
        self.answer, self.charset = answer, charset
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        headers = {"Content-Type": f"text/html;charset={self.charset.upper()}"}
        return httpx.Response(200, content=self.answer, headers=headers)


def signed_answer(key: rsa.RSAPrivateKey, node_key: str, node: str, charset: str) -> bytes:
    """A gateway answer: the node text signed (SDK's sign_with_rsa2, Alipay's key) in `charset`, then encoded."""
    signature = sign_with_rsa2(bare_private_key(key), node, charset)
    return f'{{"{node_key}":{node},"sign":"{signature}"}}'.encode(charset)


def provider_for(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, charset: Charset, gateway: Gateway | None = None
) -> AlipayProvider:
    settings = Settings(
        alipay_app_id=APP_ID, alipay_gateway_url="https://openapi.alipay.com/gateway.do", alipay_charset=charset
    )
    transport = gateway.transport if gateway else None
    return AlipayProvider(settings, app_key=fixed_key, alipay_key=alipay_key.public_key(), transport=transport)


def biz_text(biz: dict[str, Any]) -> str:
    return json.dumps(biz, ensure_ascii=False, separators=(",", ":"))


QUERY_OK = '{"code":"10000","msg":"Success","passed":"F","fail_reason":"人脸比对不通过"}'
QUERY_KEY = "alipay_user_certify_open_query_response"

# --- the request on the wire ------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize(("method", "biz"), [(QUERY, {"certify_id": CERTIFY_ID}), (INITIALIZE, INITIALIZE_BIZ)])
def test_the_request_url_and_body_are_the_sdks(
    fixed_key: rsa.RSAPrivateKey,
    alipay_key: rsa.RSAPrivateKey,
    monkeypatch: pytest.MonkeyPatch,
    charset: Charset,
    method: str,
    biz: dict[str, Any],
) -> None:
    ours = provider_for(fixed_key, alipay_key, charset).gateway_request(method, biz, FIXED_NOW)
    sdk = SdkReference(monkeypatch, APP_ID, fixed_key, alipay_key.public_key(), charset).at(FIXED_NOW)
    sdk.execute(method, biz_text(biz), signed_answer(alipay_key, QUERY_KEY, QUERY_OK, charset))

    assert ours.url == sdk.sent.url
    assert ours.body == sdk.sent.body
    assert ours.headers["Content-Type"] == sdk.sent.headers["Content-type"]
    query = dict(parse_qsl(urlsplit(ours.url).query, encoding=charset))
    assert query["charset"] == charset and query["timestamp"] == "2026-05-20 09:02:03" and query["sign"]
    assert [key for key, _ in parse_qsl(ours.body.decode(), encoding=charset)] == ["biz_content"]
    # The SDK's own model of this method writes the same JSON value (its keys sorted).
    assert json.loads(SdkReference.model_json(method, biz)) == biz


@pytest.mark.parametrize("charset", CHARSETS)
async def test_a_query_sends_the_sdks_request_and_reads_its_answer(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch, charset: Charset
) -> None:
    answer = signed_answer(alipay_key, QUERY_KEY, QUERY_OK, charset)
    gateway = Gateway(answer, charset)

    result = await provider_for(fixed_key, alipay_key, charset, gateway).query(CERTIFY_ID)

    [sent] = gateway.requests
    query = dict(parse_qsl(sent.url.query.decode(), encoding=charset))
    when = datetime.strptime(query["timestamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    sdk = SdkReference(monkeypatch, APP_ID, fixed_key, alipay_key.public_key(), charset).at(when)
    sdk_node = sdk.execute(QUERY, biz_text({"certify_id": CERTIFY_ID}), answer)
    assert sent.method == "POST" and str(sent.url) == sdk.sent.url and sent.content == sdk.sent.body
    assert sent.headers["content-type"] == sdk.sent.headers["Content-type"]
    assert (result.passed, result.fail_reason) == (False, "人脸比对不通过")
    assert json.loads(sdk_node)["fail_reason"] == "人脸比对不通过"


def test_the_certify_url_is_the_sdks_page_url(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = provider_for(fixed_key, alipay_key, "utf-8").certify_url(CERTIFY_ID, now=FIXED_NOW)
    sdk = SdkReference(monkeypatch, APP_ID, fixed_key, alipay_key.public_key()).at(FIXED_NOW)
    assert ours == sdk.page_url(CERTIFY, biz_text({"certify_id": CERTIFY_ID}))


def test_the_signed_string_is_the_sdks_sign_content(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey
) -> None:
    params = provider_for(fixed_key, alipay_key, "gbk").signed_params(INITIALIZE, INITIALIZE_BIZ, FIXED_NOW)
    unsigned = {key: value for key, value in params.items() if key != "sign"}
    assert params["sign"] == sign_with_rsa2(bare_private_key(fixed_key), get_sign_content(unsigned), "gbk")


def test_a_name_the_declared_charset_cannot_write_is_a_provider_refusal(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey
) -> None:
    identity: dict[str, str] = {"identity_type": "CERT_INFO", "cert_name": "王\U00020000", "cert_no": "1"}
    rare = {**INITIALIZE_BIZ, "identity_param": identity}
    with pytest.raises(ProviderRejected):
        provider_for(fixed_key, alipay_key, "gbk").gateway_request(INITIALIZE, rare, FIXED_NOW)
    assert provider_for(fixed_key, alipay_key, "utf-8").gateway_request(INITIALIZE, rare, FIXED_NOW).body
