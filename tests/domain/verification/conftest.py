"""Keys and the Alipay provider for the signing tests."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.kernel.settings import Settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay import AlipayProvider
from tests.domain.verification.alipay_vectors import APP_ID, FIXED_PEM


@pytest.fixture(scope="module")
def fixed_key() -> rsa.RSAPrivateKey:
    return rsa2.load_private_key(FIXED_PEM)


@pytest.fixture(scope="module")
def alipay_key() -> rsa.RSAPrivateKey:
    """Stands in for Alipay's own key pair (signs responses and notices)."""
    return rsa2.generate_private_key()


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    """Someone else's key: a forger's, or a misconfigured one."""
    return rsa2.generate_private_key()


@pytest.fixture
def provider(fixed_key: rsa.RSAPrivateKey, alipay_key: rsa.RSAPrivateKey) -> AlipayProvider:
    settings = Settings(alipay_app_id=APP_ID, alipay_gateway_url="https://openapi.alipay.com/gateway.do")
    return AlipayProvider(settings, app_key=fixed_key, alipay_key=alipay_key.public_key())
