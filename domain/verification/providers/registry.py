"""The configured provider: IDENTITY_PROVIDER = sandbox | alipay | module:Class."""

from __future__ import annotations

import importlib
from functools import lru_cache

from domain.kernel.settings import get_settings
from domain.verification.providers.alipay import AlipayProvider
from domain.verification.providers.base import IdentityProvider
from domain.verification.providers.sandbox import SandboxProvider


@lru_cache(maxsize=4)
def _build(spec: str) -> IdentityProvider:
    if spec == "sandbox":
        return SandboxProvider()
    if spec == "alipay":
        return AlipayProvider()
    module_name, _, class_name = spec.partition(":")
    provider: IdentityProvider = getattr(importlib.import_module(module_name), class_name)()
    return provider


def provider() -> IdentityProvider:
    """The identity provider for this process's settings."""
    return _build(get_settings().identity_provider)


def sandbox_enabled() -> bool:
    """The sandbox routes exist only while the sandbox is the provider, and never in production: its certify page
    lets anyone press "pass"."""
    settings = get_settings()
    return settings.is_dev and settings.identity_provider == "sandbox"
