"""What the verification rules need from an identity provider, whichever it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class ProviderUnavailable(Exception):
    """A transient fault (network, 5xx, throttling): try again later."""


class ProviderRejected(Exception):
    """The provider refused the request (bad parameters, unknown id): trying again will not help."""


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

    def check_notice(self, params: Mapping[str, str]) -> NoticeCheck:
        """Signature first, then the app id; never trusts anything before both hold."""
