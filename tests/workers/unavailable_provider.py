"""Identity providers for tests (selected with IDENTITY_PROVIDER=module:Class): the sandbox, except that its
query API is down, always or for a number of calls, or that `initialize` waits for the test's signal."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from domain.verification.providers.base import CertifyResult, ProviderUnavailable
from domain.verification.providers.sandbox import SandboxProvider


class QueryUnavailableProvider(SandboxProvider):
    """Every query fails as a timeout would; the calls are counted."""

    queries: ClassVar[list[str]] = []

    async def query(self, certify_id: str) -> CertifyResult:
        """Record the call, then fail like an unreachable gateway."""
        self.queries.append(certify_id)
        raise ProviderUnavailable("认证服务网关超时（测试）")


class FlakyQueryProvider(SandboxProvider):
    """The first `failures` queries fail, the later ones answer like the sandbox."""

    failures: ClassVar[int] = 2
    queries: ClassVar[list[str]] = []

    async def query(self, certify_id: str) -> CertifyResult:
        """Fail while failures remain, then answer."""
        self.queries.append(certify_id)
        if len(self.queries) <= self.failures:
            raise ProviderUnavailable("认证服务暂时不可用（测试）")
        return await super().query(certify_id)


class GatedStartProvider(SandboxProvider):
    """initialize() tells the test it has been called, then waits for the test to let it answer: the window in
    which a start is in flight at the provider."""

    called: ClassVar[asyncio.Event]
    gate: ClassVar[asyncio.Event]

    async def initialize(self, outer_order_no: str, cert_name: str, cert_no: str, return_url: str) -> str:
        """Signal, wait, then answer like the sandbox."""
        self.called.set()
        await self.gate.wait()
        return await super().initialize(outer_order_no, cert_name, cert_no, return_url)
