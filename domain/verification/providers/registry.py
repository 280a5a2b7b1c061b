"""The configured provider: IDENTITY_PROVIDER = sandbox | alipay | module:Class."""

from __future__ import annotations

from functools import lru_cache

from domain.kernel.settings import get_settings, load_class
from domain.verification.providers.alipay import AlipayProvider
from domain.verification.providers.base import IdentityProvider
from domain.verification.providers.sandbox import SandboxProvider


@lru_cache(maxsize=4)
def _build(spec: str) -> IdentityProvider:
    """One instance per configured provider: "sandbox", "alipay", or the class IDENTITY_PROVIDER=module:Class named."""
    if spec == "sandbox":
        return SandboxProvider()
    if spec == "alipay":
        return AlipayProvider()
    provider: IdentityProvider = load_class(spec)()
    return provider


def provider() -> IdentityProvider:
    """The identity provider for this process's settings."""
    return _build(get_settings().identity_provider)


def sandbox_enabled() -> bool:
    """The sandbox routes exist only while the sandbox is the provider, and never in production: its certify page
    lets anyone press "pass"."""
    settings = get_settings()
    return settings.is_dev and settings.identity_provider == "sandbox"
