"""Alipay's RSA2 rules on what comes back: verified responses and notices (fixed key, no network)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay import AlipayProvider, check_notice_with, extract_signed_node
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable
from tests.domain.verification.alipay_vectors import APP_ID, FIXED_NOW, QUERY

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
