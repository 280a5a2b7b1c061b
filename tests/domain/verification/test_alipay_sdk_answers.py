"""What comes back, held against Alipay's official Python SDK (alipay-sdk-python 3.7): the same answer bytes are
accepted or refused by both (GBK answers, unsigned "service unavailable", signed `error_response`), and keys in the
forms Alipay hands out load to the same numbers as the SDK loads them. No network."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
import rsa as python_rsa
from alipay.aop.api.exception.Exception import ResponseException
from alipay.aop.api.util.SignatureUtils import fill_private_key_marker, fill_public_key_marker
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.verification.providers import rsa2
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable
from tests.domain.verification.alipay_sdk import SdkReference, bare_private_key, bare_public_key
from tests.domain.verification.alipay_vectors import APP_ID, QUERY
from tests.domain.verification.test_alipay_sdk import QUERY_KEY, QUERY_OK, Gateway, provider_for, signed_answer

BIZ = '{"certify_id":"ZM202605201234567890"}'
UNAVAILABLE = (
    '{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}'
)
SdkFor = Callable[[str], SdkReference]
GATEWAY_UNKNOWN = '{"code":"20000","msg":"Service Currently Unavailable","sub_code":"aop.unknow-error"}'
BAD_SIGNATURE = (
    '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature",'
    '"sub_msg":"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"}'
)


def sdk_verdict(sdk: SdkReference, answer: bytes) -> str | None:
    """The node text the SDK accepts, or None when it refuses the answer (bad shape, signature or encoding)."""
    try:
        return sdk.execute(QUERY, BIZ, answer)
    except (ResponseException, UnicodeDecodeError):
        return None


@pytest.fixture
def sdk_for(
    monkeypatch: pytest.MonkeyPatch, fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey
) -> Callable[[str], SdkReference]:
    return lambda charset: SdkReference(monkeypatch, APP_ID, fixed_key, alipay_key.public_key(), charset)


# --- charsets ---------------------------------------------------------------------------------------------------


async def test_a_gbk_answer_is_verified_on_its_bytes_as_the_sdk_does(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, sdk_for: SdkFor
) -> None:
    answer = signed_answer(alipay_key, QUERY_KEY, QUERY_OK, "gbk")
    assert answer != answer.decode("gbk").encode("utf-8")  # really GBK bytes

    result = await provider_for(fixed_key, alipay_key, "gbk", Gateway(answer, "gbk")).query("ZM202605201234567890")

    assert (result.passed, result.fail_reason) == (False, "人脸比对不通过")
    assert json.loads(sdk_verdict(sdk_for("gbk"), answer) or "null")["fail_reason"] == "人脸比对不通过"
    # Read as UTF-8 (not what the request declared), the same bytes are refused by both.
    with pytest.raises(ProviderRejected):
        await provider_for(fixed_key, alipay_key, "utf-8", Gateway(answer, "gbk")).query("ZM202605201234567890")
    assert sdk_verdict(sdk_for("utf-8"), answer) is None
    # Tampered GBK bytes: refused by both.
    tampered = answer.replace('"F"'.encode("gbk"), '"T"'.encode("gbk"))
    with pytest.raises(ProviderRejected):
        await provider_for(fixed_key, alipay_key, "gbk", Gateway(tampered, "gbk")).query("ZM202605201234567890")
    assert sdk_verdict(sdk_for("gbk"), tampered) is None


# --- service unavailable ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("node_key", "node"), [(QUERY_KEY, UNAVAILABLE), ("error_response", GATEWAY_UNKNOWN)])
async def test_an_unsigned_service_unavailable_answer_is_transient(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, sdk_for: SdkFor, node_key: str, node: str
) -> None:
    answer = f'{{"{node_key}":{node}}}'.encode()

    with pytest.raises(ProviderUnavailable) as raised:
        await provider_for(fixed_key, alipay_key, "utf-8", Gateway(answer, "utf-8")).query("ZM202605201234567890")

    assert raised.value.code == "20000" and raised.value.sub_code == json.loads(node)["sub_code"]
    assert sdk_verdict(sdk_for("utf-8"), answer) is None  # the SDK does not accept it either: no answer to use
    # Signed, the SDK accepts it and we still read it as transient.
    signed = signed_answer(alipay_key, node_key, node, "utf-8")
    assert sdk_verdict(sdk_for("utf-8"), signed) == node
    with pytest.raises(ProviderUnavailable):
        provider_for(fixed_key, alipay_key, "utf-8").parse_response(signed, QUERY)


async def test_an_unsigned_final_or_successful_answer_is_still_a_signature_failure(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, sdk_for: SdkFor
) -> None:
    for node in (QUERY_OK.replace('"F"', '"T"'), BAD_SIGNATURE):
        answer = f'{{"{QUERY_KEY}":{node}}}'.encode()
        with pytest.raises(ProviderRejected) as raised:
            provider_for(fixed_key, alipay_key, "utf-8").parse_response(answer, QUERY)
        assert "签名" in str(raised.value) and raised.value.sub_code == ""
        assert sdk_verdict(sdk_for("utf-8"), answer) is None


# --- error_response ---------------------------------------------------------------------------------------------


def test_a_signed_error_response_keeps_its_codes(
    fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey, sdk_for: SdkFor
) -> None:
    answer = signed_answer(alipay_key, "error_response", BAD_SIGNATURE, "utf-8")
    provider = provider_for(fixed_key, alipay_key, "utf-8")

    with pytest.raises(ProviderRejected) as raised:
        provider.parse_response(answer, QUERY)

    error = raised.value
    assert (error.code, error.sub_code) == ("40002", "isv.invalid-signature")
    assert error.sub_msg.startswith("验签出错")
    assert "子码 isv.invalid-signature" in error.provider_answer()
    assert sdk_verdict(sdk_for("utf-8"), answer) == BAD_SIGNATURE  # the SDK verifies it and hands it over
    # Signed by someone else: a signature failure for both, and no codes are believed.
    forged = signed_answer(other_key, "error_response", BAD_SIGNATURE, "utf-8")
    with pytest.raises(ProviderRejected) as raised:
        provider.parse_response(forged, QUERY)
    assert raised.value.sub_code == "" and "签名" in str(raised.value)
    assert sdk_verdict(sdk_for("utf-8"), forged) is None


# --- keys -------------------------------------------------------------------------------------------------------


def _wrapped(text: str, width: int, newline: str = "\n", indent: str = "") -> str:
    return newline.join(indent + text[i : i + width] for i in range(0, len(text), width))


def test_public_keys_load_in_every_form_the_sdk_loads(alipay_key: rsa.RSAPrivateKey) -> None:
    bare = bare_public_key(alipay_key.public_key())
    pem = rsa2.public_pem(alipay_key.public_key()).decode()
    forms = {
        "one line": bare,
        "wrapped at 64": _wrapped(bare, 64) + "\n",
        "wrapped at 76, CRLF": _wrapped(bare, 76, "\r\n"),
        "indented lines": _wrapped(bare, 64, "\n", "    ") + "\n\n",
        "PEM": pem,
    }
    expected = alipay_key.public_key().public_numbers()
    for name, text in forms.items():
        sdk_key = python_rsa.PublicKey.load_pkcs1_openssl_pem(fill_public_key_marker(text))
        ours = rsa2.load_public_key(text.encode()).public_numbers()
        assert (ours.n, ours.e) == (sdk_key.n, sdk_key.e) == (expected.n, expected.e), name
    # A PEM saved with CRLF: the SDK's marker check (it looks for the BEGIN line with "\n") adds a second one and
    # fails; we load it all the same.
    crlf = pem.replace("\n", "\r\n")
    with pytest.raises(ValueError):
        python_rsa.PublicKey.load_pkcs1_openssl_pem(fill_public_key_marker(crlf))
    assert rsa2.load_public_key(crlf.encode()).public_numbers() == expected


def test_private_keys_load_in_every_form_the_sdk_loads(fixed_key: rsa.RSAPrivateKey) -> None:
    bare = bare_private_key(fixed_key)  # PKCS#1, the SDK's form
    pkcs1_pem = fixed_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    for name, text in {"one line": bare, "wrapped": _wrapped(bare, 64, "\r\n"), "PEM": pkcs1_pem}.items():
        sdk_key = python_rsa.PrivateKey.load_pkcs1(fill_private_key_marker(text).encode())
        assert rsa2.load_private_key(text.encode()).private_numbers().d == sdk_key.d, name


def test_a_damaged_key_is_refused(alipay_key: rsa.RSAPrivateKey) -> None:
    bare = bare_public_key(alipay_key.public_key())
    for damaged in (bare[:-8], bare.replace("A", "!", 1), "", base64.b64encode(b"not a key").decode()):
        with pytest.raises(ValueError):
            rsa2.load_public_key(damaged.encode())
