"""SECURITY check 29, the rules: in production the settings name every unsafe choice (secret, SMS, provider)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from domain.kernel.settings import (
    DEV_INBOX_GATEWAY,
    SANDBOX_PROVIDER,
    Settings,
    UnsafeConfigurationError,
    require_safe_configuration,
)

STRONG = secrets.token_urlsafe(48)
GATEWAY = "tests.e2e.prod_plugins:RecordingGateway"
PROVIDER = "tests.e2e.prod_plugins:OfflineProvider"


def prod(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "app_env": "prod",
        "secret_key": STRONG,
        "sms_gateway": GATEWAY,
        "identity_provider": PROVIDER,
        "certificate_signing_key": os.environ["CERTIFICATE_SIGNING_KEY"],  # a key file made by the conftest
        "public_base_url": "https://jzs.example.gov.cn",
        **overrides,
    }
    return Settings.model_validate(values)


def test_a_proper_production_configuration_has_no_problem() -> None:
    assert prod().production_problems() == []
    assert prod(identity_provider="alipay").production_problems() == []
    require_safe_configuration(prod())


def test_the_defaults_in_production_name_all_four_problems_in_both_languages() -> None:
    defaults = {"secret_key": "", "sms_gateway": None, "identity_provider": "sandbox", "certificate_signing_key": ""}
    problems = prod(**defaults).production_problems()
    assert [problem.split(" ", 1)[0] for problem in problems] == [
        "SECRET_KEY",
        "SMS_GATEWAY",
        "IDENTITY_PROVIDER",
        "CERTIFICATE_SIGNING_KEY",
    ]
    for problem in problems:
        chinese, english = problem.split(" / ", 1)
        assert any("\u4e00" <= char <= "\u9fff" for char in chinese)
        assert english.isascii()
    with pytest.raises(UnsafeConfigurationError) as refused:
        require_safe_configuration(prod(**defaults))
    assert refused.value.problems == problems


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("x", "too short (1 characters"),
        ("k3Y9" * 7, "too short (28 characters"),
        ("change-me-change-me-change-me-change-me", "placeholder"),
        ("Production-SECRET-0123456789abcdefghijk", "placeholder"),
        ("ab" * 30, "only 2 distinct characters"),
    ],
)
def test_a_weak_secret_is_refused(secret: str, why: str) -> None:
    problems = prod(secret_key=secret).production_problems()
    assert len(problems) == 1
    assert problems[0].startswith("SECRET_KEY") and why in problems[0]
    assert secret not in problems[0]  # the message never repeats the secret


@pytest.mark.parametrize(
    "override",
    [{"sms_gateway": None}, {"sms_gateway": ""}, {"sms_gateway": DEV_INBOX_GATEWAY}],
)
def test_the_dev_inbox_is_refused_in_production(override: dict[str, object]) -> None:
    assert [p.split(" ", 1)[0] for p in prod(**override).production_problems()] == ["SMS_GATEWAY"]


@pytest.mark.parametrize("provider", ["sandbox", SANDBOX_PROVIDER])
def test_the_sandbox_provider_is_refused_in_production(provider: str) -> None:
    assert [p.split(" ", 1)[0] for p in prod(identity_provider=provider).production_problems()] == ["IDENTITY_PROVIDER"]


@pytest.mark.parametrize("env", ["dev", "test"])
def test_dev_and_test_start_with_the_conveniences(env: str) -> None:
    settings = prod(app_env=env, secret_key="", sms_gateway=None, identity_provider="sandbox")
    assert settings.production_problems() == []


def test_the_certificate_signing_key_must_be_an_ed25519_private_key(tmp_path: Path) -> None:
    pem = Path(os.environ["CERTIFICATE_SIGNING_KEY"]).read_text()
    assert prod(certificate_signing_key=pem).production_problems() == []  # the PEM text itself
    rsa = rsa_pem()
    for unfit in ("/nonexistent/key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", rsa):
        problems = prod(certificate_signing_key=unfit).production_problems()
        assert [p.split(" ", 1)[0] for p in problems] == ["CERTIFICATE_SIGNING_KEY"], unfit
        assert "Ed25519" in problems[0] and unfit not in problems[0]  # the message never repeats the key


def test_a_missing_certificate_font_refuses_production_and_names_the_fix(tmp_path: Path) -> None:
    problems = prod(certificate_font_path=tmp_path / "none.ttf").production_problems()
    assert [p.split(" ", 1)[0] for p in problems] == ["CERTIFICATE_FONT_PATH"]
    assert "make install" in problems[0]


def rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.mark.parametrize(
    "base",
    [
        "",
        "http://jzs.example.gov.cn",
        "https://127.0.0.1:8000",
        "https://localhost",
        "https://0.0.0.0",
        "https://portal",
    ],
)
def test_certificate_qr_codes_must_point_at_a_public_https_address(base: str) -> None:
    problems = prod(public_base_url=base, certificate_verify_base_url="").production_problems()
    assert [p.split(" ", 1)[0] for p in problems] == ["CERTIFICATE_VERIFY_BASE_URL"], base
    assert (
        prod(public_base_url=base, certificate_verify_base_url="https://jzs.example.gov.cn").production_problems() == []
    )
