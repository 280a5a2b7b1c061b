"""Alipay's RSA2 rules against fixed vectors: the canonical string, signatures, signed requests, verified responses
and notices. The fixed key and its expected signatures were produced once with the OpenSSL command line
(`openssl dgst -sha256 -sign`), independently of the code under test; no network is used."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay import AlipayProvider, check_notice_with, extract_signed_node
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable

# A throw-away 2048-bit test key (never used anywhere else), generated with `openssl genpkey -algorithm RSA`.
FIXED_PEM = b"""-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7RucDYwjmEE+5
QuLL7JmDjXGa3LGM9KBT3BFFNDOK5L2luvvSiXpLbW5Ip0rynTHd2H4C+Z8bZMSL
VfwcJtxzslmKELpguUIrqY0Ds/gD/c6edhkMUIfoxigbZgDjZmIwue207063XXCD
YMJ4+9xlCXRwbi6YX14CDItxHMslU+PNNki1mzV+UxZm3Y74eFrh1IROEeTGvqW4
NbaG9c7RSE9yN5SK8qAZlaXE53X5KeOvlQeXGL68XnY3BX7EO2g/tu8AThEmMEs3
2z1Q+OIneOMYwAHYAHo6f2QvppNBQmUUlh/A2VxrI9xdYJIuGH0OauUQ5oaOvfw9
2Dtcu5y/AgMBAAECggEAB6n9JjxVTuT3/kLoeSPznFibf5TshzIzpXrqEgTy3wpB
YJjoWVNa999AliSSgp9APS3w6jpA8qQLDxCzwosslmeEFoxctDygopzLso0Y50Dp
xb5bhA9/oF0LoyNngebcudXCDpeEhyiBxD6fdsgH2vKqGzfHHGE6vaa5xiVBgwN7
4tvHsQDuZnm4oRD4r1sy5yPk6zvq5ALmriU5fmmdW7Mn2muOC7UlIikvaOKVyFMN
FKlS+Ilmygx967bjxfcGtxNPRVI4Fny58mkJxg6VM3HiFi71d7EGwxe1VVc9Dgld
+CyWKdmqV+gGj8h5ywmPWjFJf3mETflGOiXB6+wSQQKBgQDs/G1OUxJ0eSIOvZoW
f6pNSgA/foDrA/ZNWKeRgtHmo7xk/z2ahT2jG2WT0l6x2reScO/BnJ8dIxDE8cGc
dsXSUu1dJfszp11mlPQSBVRcb9QRa7ZyQlzmd653RRnD+lOoYsghwmWJ0eVEJ5N3
frCfWqVlHe04M6Awz2pPhA9WbwKBgQDKTXnkWzhw5d834mGoKovJBtu1VeG3JIth
oKl6YlcXNI+V634JXWiMC4VA5xSiPg6IQIQXaVqUGOUUtgLVz/XOnPzjsJCVRFR5
boByNOQp5AVE+X1H7yAAkF99I2JkQAUSdBcTVVROJz2Ya1iA3Ui2NYYmV91Dtsop
B1f1/qnGsQKBgQDDfszw0uijepXU0SX+r1wenBAuUL4qoT8auSqqh999ws6UBlac
VJPvLJeT5PPHBiVvQYkXD4vWrmmT/db4qqYwBcbXk5BxIPyUtgXNo+Xex0WLBW8h
PIuEd3BN5YwGtkcy3iI4bzPyCFt36Knm5nTvUAimrJRXS4c3HLOXWtqIMwKBgFAn
LjpJ4izpBu3vZd3pLYUykG5iXpHfitHdhAiXWgY5rwIpUcCIH9oM3nj+lXBKwhs9
5JgaB+dRjcIM80afpLZ+ALx9wmtBrW6HV6DoT9ZBH81aREbx+W3/xbWhBWTO8LOF
B3eDgWmNppvzPBeilSKMRmB+w44GqEZlQHaYtc+hAoGAd1qQ2pEDgBgqYhsmKghs
j84zV2WcRHuqmLMRRAqSzbvLLzM7T72foDdI5o/pjqCKlLgsp2oLMGeA8AbFr1RN
B2gYfR3Sx+C2pHRO0kzIuetwCurI3cBd+errn8RDP7RoUTsGt92G0nQanfHYOt4b
/d0YQ+NAhiWXJTy1Qc3Qw4g=
-----END PRIVATE KEY-----
"""
# openssl dgst -sha256 -sign fixed.pem over NOTICE_STRING (UTF-8) | base64
NOTICE_PARAMS = {
    "notify_id": "2026052000222155555",
    "app_id": "2021000000000000",
    "biz_content": '{"certify_id":"ZM202605201234567890","passed":"T"}',
    "cert_name": "张三",
    "charset": "utf-8",
    "version": "1.0",
    "sign_type": "RSA2",
    "sign": "to-be-ignored",
    "fund_bill_list": "",
}
NOTICE_STRING = (
    'app_id=2021000000000000&biz_content={"certify_id":"ZM202605201234567890","passed":"T"}'
    "&cert_name=张三&charset=utf-8&notify_id=2026052000222155555&version=1.0"
)
NOTICE_SIGNATURE = (
    "iSI1T5MTZMBj4imOr6IuGTdjnpPTxJ5oqfVFk3EQ5lsgqnRrIGM1AfzS0biuAClkOFJ8HlDh/vSVtOWrRGGrOzPkFeAnKg7dGTUEugY/A3O9"
    "C9NmwkZYKSa0haWuE+fTDneF/JFMhPAkw2vbIyYZWaDI8fENkXDu9I1sfNlV2JqEHM5GBme/Yvr2/F319QUWMU1KDywhQgJZbGruuychpKq"
    "VyU4lvssO5XHdQuD/GcTHJqQR803lKAmFEGAPhdIjldFYIMYaDgF5zOJsYE3DKVb3E5V1o5v+mi73OiNKvs9MkzVwxvC5OqwhD4ro6/RfQQ"
    "TNC/wynh12QUD1v2BJVA=="
)
# The request of alipay.user.certify.open.query at 2026-05-20 01:02:03 UTC (09:02:03 in Shanghai), same key.
APP_ID = "2021004100000001"
FIXED_NOW = datetime(2026, 5, 20, 1, 2, 3, tzinfo=UTC)
QUERY_STRING = (
    'app_id=2021004100000001&biz_content={"certify_id":"ZM202605201234567890"}&charset=utf-8&format=JSON'
    "&method=alipay.user.certify.open.query&sign_type=RSA2&timestamp=2026-05-20 09:02:03&version=1.0"
)
QUERY_SIGNATURE = (
    "K31WmTRohXZmKBqxhj86Y7619ZQaVSjf+D8R6DmmlYd2VjqqM2DpnCMg9eJ5JnV02Y3iKA9hf7Yl9lmMPjWAqyvSosk3PEImE9hB0hmNPgSY"
    "OJI2F7ND3x0Yvc+H12N0nZvYUKnEMWTBYs13Zcste3P4VV83D69XSaInaCkPituCmuiFDacbIr7YcJIqPmDpTEDGyXZNuDTpsbVtf5WV5wa"
    "1Bdur6itSNB0qY3RgIr613hC9HMv1R50YX9yyBhWEWfG/erjmrsyQy/yAZfvkzuxMeD/SYdLcsDTC7ibi/L6GuwG2moqGoJ3gZy9fZ7MZyU9X"
    "z+pCsMuad5K5fZi9fg=="
)
QUERY = "alipay.user.certify.open.query"


@pytest.fixture(scope="module")
def fixed_key() -> rsa.RSAPrivateKey:
    return rsa2.load_private_key(FIXED_PEM)


@pytest.fixture(scope="module")
def alipay_key() -> rsa.RSAPrivateKey:
    """Stands in for Alipay's own key pair (signs responses and notices)."""
    return rsa2.generate_private_key()


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    """Someone else's key: a forger's, or a misconfigured one."""
    return rsa2.generate_private_key()


@pytest.fixture
def provider(fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey) -> AlipayProvider:
    settings = Settings(alipay_app_id=APP_ID, alipay_gateway_url="https://openapi.alipay.com/gateway.do")
    return AlipayProvider(settings, app_key=fixed_key, alipay_key=alipay_key.public_key())


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


# --- responses --------------------------------------------------------------------------------------------------


def _response(key: rsa.RSAPrivateKey, raw_node: str, sign_first: bool = False, method: str = QUERY) -> str:
    """A body as Alipay sends it: the raw node text (signed as is) and the signature beside it."""
    signature = rsa2.sign(key, raw_node)
    node_key = method.replace(".", "_") + "_response"
    if sign_first:
        return f'{{"sign":"{signature}", "{node_key}" : {raw_node}}}'
    return f'{{"{node_key}":{raw_node},"sign":"{signature}"}}'


# Spacing and \u escapes as sent: re-serialising the node instead of using its raw text breaks the signature.
PASSED_NODE = '{"code":"10000","msg":"Success","passed":"T","identity_info":"{}","material_info":"{}"}'
FAILED_NODE = '{ "code": "10000", "msg": "Success", "passed": "F", "fail_reason": "\\u4eba\\u8138\\u4e0d\\u7b26" }'


def test_parse_response_verifies_the_raw_node_text(provider: AlipayProvider, alipay_key: rsa.RSAPrivateKey) -> None:
    node = provider.parse_response(_response(alipay_key, PASSED_NODE), QUERY)
    assert node["passed"] == "T" and node["code"] == "10000"

    node = provider.parse_response(_response(alipay_key, FAILED_NODE, sign_first=True), QUERY)
    assert node["passed"] == "F" and node["fail_reason"] == "人脸不符"

    raw, decoded = extract_signed_node(_response(alipay_key, FAILED_NODE), QUERY)
    assert raw == FAILED_NODE and decoded["fail_reason"] == "人脸不符"


def test_parse_response_rejects_a_wrong_key_or_a_tampered_body(
    provider: AlipayProvider, alipay_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(ProviderRejected):
        provider.parse_response(_response(other_key, PASSED_NODE), QUERY)
    tampered = _response(alipay_key, FAILED_NODE).replace('"passed": "F"', '"passed": "T"')
    with pytest.raises(ProviderRejected):
        provider.parse_response(tampered, QUERY)
    unsigned = json.dumps({"alipay_user_certify_open_query_response": json.loads(PASSED_NODE)})
    with pytest.raises(ProviderRejected):
        provider.parse_response(unsigned, QUERY)
    # A genuine response of another method is not an answer to this one.
    other_method = _response(alipay_key, PASSED_NODE, method="alipay.user.certify.open.initialize")
    with pytest.raises(ProviderRejected):
        provider.parse_response(other_method, QUERY)


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>502 Bad Gateway</body></html>",
        "",
        '{"alipay_user_certify_open_query_response":',
        '{"alipay_user_certify_open_query_response":{"code":"10000",',
        '{"alipay_user_certify_open_query_response" "x"}',
        '{"alipay_user_certify_open_query_response":"10000","sign":"abc"}',
        '{"alipay_user_certify_open_query_response":{"code":"10000"},"sign":"ab',
        '{"alipay_user_certify_open_query_response":{"code":"10000"},"sign":42}',
    ],
)
def test_parse_response_rejects_malformed_bodies_with_a_provider_error(provider: AlipayProvider, body: str) -> None:
    with pytest.raises((ProviderRejected, ProviderUnavailable)):
        provider.parse_response(body, QUERY)


@pytest.mark.parametrize(
    ("node", "error"),
    [
        (
            {"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "isp.unknow-error"},
            ProviderUnavailable,
        ),
        ({"code": "40004", "msg": "Business Failed", "sub_code": "SYSTEM_ERROR"}, ProviderUnavailable),
        ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR"}, ProviderUnavailable),
        ({"code": "40004", "msg": "Business Failed", "sub_code": "CERTIFY_ID_INVALID"}, ProviderRejected),
        ({"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature"}, ProviderRejected),
        ({"code": "40001", "msg": "Missing Required Arguments", "sub_code": "isv.missing-method"}, ProviderRejected),
        (
            {"code": "20001", "msg": "Insufficient Token Permissions", "sub_code": "aop.invalid-auth-token"},
            ProviderRejected,
        ),
        (
            {"code": "40006", "msg": "Insufficient Permissions", "sub_code": "isv.insufficient-isv-permissions"},
            ProviderRejected,
        ),
    ],
)
def test_error_codes_are_transient_or_final(
    provider: AlipayProvider, alipay_key: rsa.RSAPrivateKey, node: dict[str, str], error: type[Exception]
) -> None:
    body = _response(alipay_key, json.dumps(node, ensure_ascii=False))
    with pytest.raises(error):
        provider.parse_response(body, QUERY)


# --- notices ----------------------------------------------------------------------------------------------------


def _notice(key: rsa.RSAPrivateKey, **overrides: str) -> dict[str, str]:
    params = {
        "notify_id": "2026052000222100001",
        "notify_type": "user_certify_open_notify",
        "notify_time": "2026-05-20 09:10:00",
        "app_id": APP_ID,
        "certify_id": "ZM202605201234567890",
        "passed": "T",
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
        **overrides,
    }
    params["sign"] = rsa2.sign(key, rsa2.signing_string(params, rsa2.UNSIGNED_NOTICE_KEYS))
    return params


def test_check_notice_accepts_alipays_signed_notice_for_our_app(
    provider: AlipayProvider, alipay_key: rsa.RSAPrivateKey
) -> None:
    check = provider.check_notice(_notice(alipay_key))
    assert (check.valid, check.rejection) == (True, None)
    assert (check.notify_id, check.certify_id) == ("2026052000222100001", "ZM202605201234567890")


def test_check_notice_rejects_tampered_wrong_key_unsigned_and_foreign(
    provider: AlipayProvider, alipay_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
) -> None:
    genuine = _notice(alipay_key, passed="F")
    tampered = {**genuine, "passed": "T"}
    unsigned = {k: v for k, v in genuine.items() if k != "sign"}
    cases = {
        "tampered": tampered,
        "added field": {**genuine, "fail_reason": "x"},
        "wrong key": _notice(other_key),
        "missing sign": unsigned,
        "empty sign": {**genuine, "sign": ""},
        "sign_type RSA": _notice(alipay_key, sign_type="RSA"),
        "foreign app": _notice(alipay_key, app_id="2021009999999999"),
        "no app id": _notice(alipay_key, app_id=""),
        "no notify id": _notice(alipay_key, notify_id=""),
        "no certify id": _notice(alipay_key, certify_id=""),
    }
    for name, params in cases.items():
        check = provider.check_notice(params)
        assert check.valid is False, name
        assert check.rejection, name
    assert "签名" in provider.check_notice(tampered).rejection  # type: ignore[operator]
    assert "app_id" in provider.check_notice(cases["foreign app"]).rejection  # type: ignore[operator]
    # The signature is checked before the app id: a forged notice for a foreign app is a signature failure.
    forged_foreign = _notice(other_key, app_id="2021009999999999")
    assert "签名" in check_notice_with(alipay_key.public_key(), APP_ID, forged_foreign).rejection  # type: ignore[operator]


def test_a_provider_without_configured_keys_rejects_instead_of_crashing() -> None:
    bare = AlipayProvider(Settings(alipay_app_private_key_file=None, alipay_public_key_file=None))
    with pytest.raises(ProviderRejected):
        bare.signed_params(QUERY, {"certify_id": "x"}, FIXED_NOW)
    with pytest.raises(ProviderRejected):
        bare.check_notice({"sign": "x"})
