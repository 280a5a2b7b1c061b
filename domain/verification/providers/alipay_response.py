"""What Alipay's gateway answers, read as the official SDK reads it: the raw bytes decoded with the charset the request
declared, the signed node (the method's `…_response`, or `error_response` when the gateway refused the call itself)
verified over its exact text in that charset, then its code read as success, transient or final."""

from __future__ import annotations

import json
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from domain.verification.providers import rsa2
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable

SUCCESS_CODE = "10000"
TRANSIENT_CODES = frozenset({"20000"})  # 服务不可用; 20001 is an authorization failure, not a transient one
TRANSIENT_SUB_CODES = frozenset({"aop.unknow-error", "isp.unknow-error"})  # Alipay's own spelling
ERROR_NODE = "error_response"
_NOT_A_CODE = re.compile(r"[^0-9A-Za-z._\-]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def response_key(method: str) -> str:
    """`alipay.user.certify.open.query` → `alipay_user_certify_open_query_response`."""
    return method.replace(".", "_") + "_response"


def extract_signed_node(body: str, method: str) -> tuple[str, dict[str, Any]]:
    """The raw text of the response node (what Alipay signed) and its decoded value: the method's node, or else the
    gateway's `error_response` (a bad signature, a missing parameter: refused before the method ran)."""
    start, marker = -1, ""
    for key in (response_key(method), ERROR_NODE):
        marker = f'"{key}"'
        start = body.find(marker)
        if start >= 0:
            break
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


def decode_body(body: bytes | str, charset: str) -> str:
    """The answer's text in the charset our request declared (Alipay answers in it; the HTTP header is not read)."""
    if isinstance(body, str):
        return body
    try:
        return body.decode(charset)
    except UnicodeDecodeError as exc:
        raise ProviderRejected(f"支付宝响应不是 {charset} 编码") from exc


def node_codes(node: dict[str, Any]) -> dict[str, str]:
    """code, sub_code and sub_msg of a node, bounded and stripped of control characters (they end up in reasons)."""
    return {
        "code": _NOT_A_CODE.sub("", str(node.get("code", "")))[:16],
        "sub_code": _NOT_A_CODE.sub("", str(node.get("sub_code", "")))[:64],
        "sub_msg": _CONTROL.sub("", str(node.get("sub_msg", "")))[:60],
    }


def is_transient(codes: dict[str, str]) -> bool:
    """Service unavailable (20000, unknow-error) or a business SYSTEM_ERROR: worth asking again later."""
    sub_code = codes["sub_code"]
    return codes["code"] in TRANSIENT_CODES or sub_code in TRANSIENT_SUB_CODES or sub_code.endswith("SYSTEM_ERROR")


def read_response(body: bytes | str, method: str, charset: str, alipay_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The verified node of a successful answer; otherwise ProviderUnavailable (transient, retried) or
    ProviderRejected (final), both carrying Alipay's code, sub_code and sub_msg."""
    text = decode_body(body, charset)
    raw_node, node = extract_signed_node(text, method)
    codes = node_codes(node)
    signature = response_signature(text)
    if not signature and (codes["code"] in TRANSIENT_CODES or codes["sub_code"] in TRANSIENT_SUB_CODES):
        # The gateway's "service unavailable" may come unsigned; believing a forged one only costs a retry.
        raise ProviderUnavailable("支付宝服务暂不可用（未签名的应答）", **codes)
    if not rsa2.verify(alipay_key, raw_node.encode(charset), signature):
        raise ProviderRejected("支付宝响应签名验证失败")
    if codes["code"] == SUCCESS_CODE:
        return dict(node)
    if is_transient(codes):
        raise ProviderUnavailable("支付宝服务暂不可用", **codes)
    raise ProviderRejected("支付宝拒绝了请求", **codes)
