"""Alipay's RSA2 rules against fixed vectors: the canonical string, signatures and signed requests. The fixed key
and its expected signatures were produced once with the OpenSSL command line, independently of the code under test;
no network is used."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.verification.providers import rsa2
from domain.verification.providers.alipay import AlipayProvider
from tests.domain.verification.alipay_vectors import (
    APP_ID,
    FIXED_NOW,
    NOTICE_PARAMS,
    NOTICE_SIGNATURE,
    NOTICE_STRING,
    QUERY,
    QUERY_SIGNATURE,
    QUERY_STRING,
)

# --- the canonical string and the primitive --------------------------------------------------------------------


def test_signing_string_drops_sign_sign_type_and_empty_values_and_sorts_keys() -> None:
    assert rsa2.signing_string(NOTICE_PARAMS, rsa2.UNSIGNED_NOTICE_KEYS) == NOTICE_STRING
    assert rsa2.signing_string({"b": "2", "a": "1", "c": ""}, frozenset()) == "a=1&b=2"
    # Requests sign sign_type too; only `sign` is left out.
    request = rsa2.signing_string({"sign": "x", "sign_type": "RSA2", "app_id": "1"}, rsa2.UNSIGNED_REQUEST_KEYS)
    assert request == "app_id=1&sign_type=RSA2"
    # Values are used raw (no URL encoding), and key order is by code point.
    assert rsa2.signing_string({"Z": "a&b=c", "a": "x y"}, frozenset()) == "Z=a&b=c&a=x y"


def test_sign_matches_the_openssl_vector_and_round_trips(fixed_key: rsa.RSAPrivateKey) -> None:
    assert rsa2.sign(fixed_key, NOTICE_STRING) == NOTICE_SIGNATURE  # PKCS#1 v1.5 is deterministic
    public = fixed_key.public_key()
    assert rsa2.verify(public, NOTICE_STRING, NOTICE_SIGNATURE)
    assert not rsa2.verify(public, NOTICE_STRING.replace("张三", "李四"), NOTICE_SIGNATURE)
    assert not rsa2.verify(public, NOTICE_STRING, NOTICE_SIGNATURE[:-4] + "AAA=")
    assert not rsa2.verify(public, NOTICE_STRING, "not base64 at all!")
    assert not rsa2.verify(public, NOTICE_STRING, "")
    generated = rsa2.generate_private_key()
    assert generated.key_size == 2048
    content = "a=1&b=认证"
    assert rsa2.verify(generated.public_key(), content, rsa2.sign(generated, content))
    assert not rsa2.verify(public, content, rsa2.sign(generated, content))


def test_verify_notice_uses_the_notice_rules(fixed_key: rsa.RSAPrivateKey) -> None:
    public = fixed_key.public_key()
    signed = {**NOTICE_PARAMS, "sign": NOTICE_SIGNATURE}
    assert rsa2.verify_notice(public, signed)
    assert rsa2.verify_notice(public, {k: v for k, v in signed.items() if k != "sign_type"})
    assert not rsa2.verify_notice(public, {**signed, "sign_type": "RSA"})  # only RSA2 is accepted
    assert not rsa2.verify_notice(public, {**signed, "cert_name": "李四"})
    assert not rsa2.verify_notice(public, {**signed, "extra": "added"})
    assert not rsa2.verify_notice(public, {k: v for k, v in signed.items() if k != "sign"})


def test_keys_load_from_pem_and_from_alipays_bare_base64_forms(fixed_key: rsa.RSAPrivateKey) -> None:
    numbers = fixed_key.private_numbers()
    pkcs1_pem = fixed_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    forms = [rsa2.private_pem(fixed_key), pkcs1_pem]
    for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
        der = fixed_key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
        forms.append(base64.b64encode(der))  # what Alipay's key tool shows: PKCS8 (Java) or PKCS1 (others)
    for form in forms:
        assert rsa2.load_private_key(form).private_numbers() == numbers, form[:40]
    spki = fixed_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for public_form in (rsa2.public_pem(fixed_key.public_key()), base64.b64encode(spki) + b"\n"):
        loaded = rsa2.load_public_key(public_form)
        assert loaded.public_numbers() == fixed_key.public_key().public_numbers()


# --- requests ---------------------------------------------------------------------------------------------------


def test_signed_params_with_a_fixed_timestamp_match_the_vector(provider: AlipayProvider) -> None:
    params = provider.signed_params(QUERY, {"certify_id": "ZM202605201234567890"}, FIXED_NOW)

    assert params["timestamp"] == "2026-05-20 09:02:03"  # Beijing time, as the gateway expects
    assert params["app_id"] == APP_ID and params["method"] == QUERY and params["sign_type"] == "RSA2"
    assert rsa2.signing_string(params, rsa2.UNSIGNED_REQUEST_KEYS) == QUERY_STRING
    assert params["sign"] == QUERY_SIGNATURE
    assert rsa2.verify(provider.app_key.public_key(), QUERY_STRING, params["sign"])


def test_biz_content_is_compact_utf8_json_inside_the_signature(provider: AlipayProvider) -> None:
    biz = {
        "outer_order_no": "RV0123",
        "identity_param": {"identity_type": "CERT_INFO", "cert_name": "欧阳·娜娜", "cert_no": "360426199101010071"},
    }
    params = provider.signed_params("alipay.user.certify.open.initialize", biz, FIXED_NOW)
    assert params["biz_content"] == json.dumps(biz, ensure_ascii=False, separators=(",", ":"))
    assert "欧阳·娜娜" in params["biz_content"]
    content = rsa2.signing_string(params, rsa2.UNSIGNED_REQUEST_KEYS)
    assert rsa2.verify(provider.app_key.public_key(), content, params["sign"])
    tampered = {**params, "biz_content": params["biz_content"].replace("娜娜", "丽丽")}
    assert not rsa2.verify(
        provider.app_key.public_key(), rsa2.signing_string(tampered, rsa2.UNSIGNED_REQUEST_KEYS), params["sign"]
    )


def test_certify_url_is_the_gateway_with_signed_page_params(provider: AlipayProvider) -> None:
    url = provider.certify_url("ZM202605201234567890")

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://openapi.alipay.com/gateway.do"
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    assert params["method"] == "alipay.user.certify.open.certify"
    assert json.loads(params["biz_content"]) == {"certify_id": "ZM202605201234567890"}
    assert params["app_id"] == APP_ID
    content = rsa2.signing_string(params, rsa2.UNSIGNED_REQUEST_KEYS)
    assert rsa2.verify(provider.app_key.public_key(), content, params["sign"])
