"""Fixtures of the verification worker tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from domain.kernel.settings import get_settings
from domain.verification.providers import registry
from tests.workers.unavailable_provider import FlakyQueryProvider, QueryUnavailableProvider


@pytest.fixture
def provider_spec(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Switch IDENTITY_PROVIDER to a test class (after the app exists) and restore it afterwards."""

    def use(cls: type) -> None:
        monkeypatch.setenv("IDENTITY_PROVIDER", f"{cls.__module__}:{cls.__name__}")
        get_settings.cache_clear()
        registry._build.cache_clear()

    QueryUnavailableProvider.queries.clear()
    FlakyQueryProvider.queries.clear()
    yield use
    monkeypatch.delenv("IDENTITY_PROVIDER", raising=False)
    get_settings.cache_clear()
    registry._build.cache_clear()
    QueryUnavailableProvider.queries.clear()
    FlakyQueryProvider.queries.clear()
