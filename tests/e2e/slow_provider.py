"""An identity provider for the worker-crash test (IDENTITY_PROVIDER=tests.e2e.slow_provider:SlowQueryProvider):
the sandbox, except that `query` first leaves a marker file and then hangs, so the test can SIGKILL the worker
while the job is in the middle of it."""

from __future__ import annotations

import asyncio
import os

from domain.kernel.settings import get_settings
from domain.verification.providers.base import CertifyResult
from domain.verification.providers.sandbox import SandboxProvider

MARKER = "slow-query-started"


class SlowQueryProvider(SandboxProvider):
    """query(): write `<VAR_DIR>/slow-query-started` (with this process id), then hang."""

    async def query(self, certify_id: str) -> CertifyResult:
        """Signal the test, then never answer (the worker is killed meanwhile)."""
        marker = get_settings().var_dir / MARKER
        marker.write_text(f"{os.getpid()} {certify_id}")
        await asyncio.sleep(3600)
        return await super().query(certify_id)
