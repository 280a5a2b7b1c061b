"""Identity providers for tests (IDENTITY_PROVIDER=module:Class): the sandbox, except that `query` goes through the
real Alipay adapter, whose gateway (an httpx transport) gives one fixed answer: a signed `error_response`, or an
unsigned "service unavailable"."""

from __future__ import annotations

import httpx

from domain.kernel.settings import Settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay import AlipayProvider
from domain.verification.providers.base import CertifyResult
from domain.verification.providers.sandbox import SandboxProvider

ALIPAY_KEY = rsa2.generate_private_key()  # stands in for Alipay's own key pair
APP_KEY = rsa2.generate_private_key()
BAD_SIGNATURE = (
    '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature",'
    '"sub_msg":"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"}'
)
UNAVAILABLE = (
    '{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}'
)


class _AlipayQueryProvider(SandboxProvider):
    answer: bytes = b""

    async def query(self, certify_id: str) -> CertifyResult:
        """The real adapter's query, answered by the fixed gateway answer."""
        gateway = httpx.MockTransport(lambda request: httpx.Response(200, content=self.answer))
        alipay = AlipayProvider(Settings(), app_key=APP_KEY, alipay_key=ALIPAY_KEY.public_key(), transport=gateway)
        return await alipay.query(certify_id)


class SignedErrorResponseProvider(_AlipayQueryProvider):
    """The gateway refuses every query with a signed error_response (40002 isv.invalid-signature)."""

    answer = f'{{"error_response":{BAD_SIGNATURE},"sign":"{rsa2.sign(ALIPAY_KEY, BAD_SIGNATURE)}"}}'.encode()


class UnsignedUnavailableProvider(_AlipayQueryProvider):
    """The gateway answers every query with an unsigned 20000 isp.unknow-error."""

    answer = f'{{"alipay_user_certify_open_query_response":{UNAVAILABLE}}}'.encode()
