"""Plug-ins for a production-mode process in the tests (SMS_GATEWAY / IDENTITY_PROVIDER = module:Class): neither
is the dev inbox nor the sandbox, and neither reaches the outside world."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.verification.providers.base import CertifyResult, NoticeCheck, ProviderUnavailable


class RecordingGateway:
    """Keeps the numbers it was asked to text (never the text)."""

    sent: ClassVar[list[str]] = []

    async def send(self, mobile: str, text: str) -> None:
        """Record the number only."""
        self.sent.append(mobile)


class OfflineProvider:
    """A provider whose gateway is unreachable: every call fails as a timeout would; no notice is authentic."""

    name = "offline"

    async def initialize(self, outer_order_no: str, cert_name: str, cert_no: str, return_url: str) -> str:
        """Unreachable."""
        raise ProviderUnavailable("认证服务不可用（测试）")

    def certify_url(self, certify_id: str) -> str:
        """Never reached: no attempt starts."""
        raise ProviderUnavailable("认证服务不可用（测试）")

    async def query(self, certify_id: str) -> CertifyResult:
        """Unreachable."""
        raise ProviderUnavailable("认证服务不可用（测试）")

    def check_notice(self, params: Mapping[str, str], charset: str = "utf-8") -> NoticeCheck:
        """No notice is ours."""
        return NoticeCheck(valid=False, rejection="offline test provider", notify_id=None, certify_id=None)
