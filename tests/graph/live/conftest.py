"""A real uvicorn server over the test app, for WebSocket clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.live_client import serving


@pytest.fixture
async def ws_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url
