"""Alipay notices in GBK as well as UTF-8: Alipay posts the form in the app's charset (its `charset` field, often the
Content-Type's too) and signs the text's bytes in that charset. Notices are signed here with the official SDK
(alipay-sdk-python's `sign_with_rsa2` over its `get_sign_content`), and our signing string is checked with the SDK's
`verify_with_rsa`, as its documentation verifies notices; a malformed one is a 400, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from alipay.aop.api.util.SignatureUtils import get_sign_content, sign_with_rsa2, verify_with_rsa

from db.models import ProviderNotice
from domain.verification.providers import rsa2
from domain.verification.providers.sandbox import build_notice, sandbox_key
from tests.domain.verification.alipay_sdk import bare_private_key, bare_public_key
from tests.helpers import Api
from tests.verification_helpers import CALLBACK, pending_attempt

REASON = "认证通过：张镕（镕字不在GB2312中，在GBK中）"  # a character of GBK outside GB2312


def sdk_signed(certify_id: str, charset: str | None, signed_in: str = "", **extra: str) -> dict[str, str]:
    """A sandbox notice as Alipay would sign it, by the SDK, in `signed_in` (by default the `charset` field's; no
    such field when None)."""
    params = {k: v for k, v in build_notice(certify_id, True).items() if k not in ("sign", "charset")}
    params.update(extra)
    if charset is not None:
        params["charset"] = charset
    content = get_sign_content({k: v for k, v in params.items() if k not in rsa2.UNSIGNED_NOTICE_KEYS})
    return {**params, "sign": sign_with_rsa2(bare_private_key(sandbox_key()), content, signed_in or charset)}


async def post_encoded(api: Api, params: dict[str, str], encoding: str, header_charset: str | None) -> tuple[int, str]:
    content_type = "application/x-www-form-urlencoded" + (f"; charset={header_charset}" if header_charset else "")
    body = urlencode(params, encoding=encoding).encode("ascii")
    response = await api.client.post(CALLBACK, content=body, headers={"content-type": content_type})
    return response.status_code, response.text


@pytest.mark.parametrize(
    ("field_charset", "header_charset", "encoding"),
    [
        ("utf-8", None, "utf-8"),
        ("GBK", "GBK", "gbk"),
        ("gbk", "UTF-8", "gbk"),  # the signed field names the charset, whatever the header says
        (None, "GBK", "gbk"),  # the header alone
    ],
)
async def test_notices_in_utf8_and_gbk_are_decoded_and_verified(
    api: Api, field_charset: str | None, header_charset: str | None, encoding: str
) -> None:
    _attempt, certify_id = await pending_attempt(api)
    notice = sdk_signed(certify_id, field_charset, encoding, fail_reason=REASON)

    assert await post_encoded(api, notice, encoding, header_charset) == (200, "success")

    stored = await ProviderNotice.get(valid=True)
    assert stored.params["fail_reason"] == REASON and stored.notify_id == notice["notify_id"]
    # The SDK's own check agrees with ours on the bytes that were signed.
    signed = rsa2.signing_string(stored.params, rsa2.UNSIGNED_NOTICE_KEYS).encode(encoding)
    assert verify_with_rsa(bare_public_key(sandbox_key().public_key()), signed, notice["sign"])


async def test_wrong_or_unknown_charsets_are_400(api: Api) -> None:
    _attempt, certify_id = await pending_attempt(api)
    gbk_notice = sdk_signed(certify_id, "gbk", fail_reason=REASON)
    # GBK bytes in a form whose field says UTF-8: not UTF-8, refused before anything is read.
    lying = {**gbk_notice, "charset": "utf-8"}
    assert await post_encoded(api, lying, "gbk", None) == (400, "fail")
    # Decoded as declared, but signed in another charset: the signature does not hold (kept for audit).
    utf8_signed = sdk_signed(certify_id, "utf-8", fail_reason=REASON)
    assert await post_encoded(api, {**utf8_signed, "charset": "gbk"}, "gbk", None) == (400, "fail")
    assert await post_encoded(api, {**gbk_notice, "charset": "latin-1"}, "gbk", None) == (400, "fail")
    raw = b"charset=gbk&certify_id=\xd5\xc5"  # raw, not percent-encoded, bytes
    response = await api.client.post(
        CALLBACK, content=raw, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert (response.status_code, response.text) == (400, "fail")
    assert not await ProviderNotice.filter(valid=True).exists()
    assert [row.rejection for row in await ProviderNotice.all()] == ["签名缺失或验证失败"]
