"""What the verification rules need from an identity provider, whichever it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """A provider's fault, with the provider's own codes when it answered one (Alipay: code, sub_code, sub_msg)."""

    def __init__(self, message: str = "", *, code: str = "", sub_code: str = "", sub_msg: str = "") -> None:
        super().__init__(message)
        self.code, self.sub_code, self.sub_msg = code, sub_code, sub_msg

    def provider_answer(self) -> str:
        """The provider's answer in Chinese ("" when it gave no code), e.g. 支付宝返回码 40004，子码 X：说明."""
        if not self.code and not self.sub_code:
            return ""
        text = f"支付宝返回码 {self.code or '无'}，子码 {self.sub_code or '无'}"
        return f"{text}：{self.sub_msg}" if self.sub_msg else text


class ProviderUnavailable(ProviderError):
    """A transient fault (network, 5xx, throttling, Alipay's 20000 / unknow-error): try again later."""


class ProviderRejected(ProviderError):
    """The provider refused the request (bad parameters, unknown id) or its answer failed verification: trying
    again will not help."""


@dataclass(frozen=True)
class CertifyResult:
    """The provider's answer to `query`: passed is None while the person has not finished."""

    passed: bool | None
    fail_reason: str | None = None


@dataclass(frozen=True)
class NoticeCheck:
    """Whether a notice is authentic and for us, and the ids it carries."""

    valid: bool
    rejection: str | None
    notify_id: str | None
    certify_id: str | None


class IdentityProvider(Protocol):
    """Alipay's identity-verification API shape: initialize → certify URL → query; signed notices."""

    name: str

    async def initialize(self, outer_order_no: str, cert_name: str, cert_no: str, return_url: str) -> str:
        """Start a certification; returns the certify_id."""

    def certify_url(self, certify_id: str) -> str:
        """The URL the person opens (shown as a QR code on a PC)."""

    async def query(self, certify_id: str) -> CertifyResult:
        """The authoritative result of a certification."""

    def check_notice(self, params: Mapping[str, str], charset: str = "utf-8") -> NoticeCheck:
        """Signature first (over the text encoded in `charset`, the codec the notice was decoded with: `utf-8`,
        `gbk` or `gb18030`), then the app id; never trusts anything before both hold."""
