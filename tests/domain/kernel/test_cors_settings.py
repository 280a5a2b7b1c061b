"""CORS_ALLOWED_ORIGINS: parsed from a comma-separated list; `*` with credentials is refused in every environment
(any site would read a person's data with their cookie), so is an entry that is not an origin; production accepts
https origins only. Each refusal is one bilingual line, as the other start-up checks."""

from __future__ import annotations

import os
import secrets

import pytest

from domain.kernel.settings import Settings, UnsafeConfigurationError, require_safe_configuration

PROD = {
    "app_env": "prod",
    "secret_key": secrets.token_urlsafe(48),
    "sms_gateway": "tests.e2e.prod_plugins:RecordingGateway",
    "identity_provider": "tests.e2e.prod_plugins:OfflineProvider",
    "certificate_signing_key": os.environ["CERTIFICATE_SIGNING_KEY"],
    "public_base_url": "https://jzs.example.gov.cn",
}


def settings(origins: str, **overrides: object) -> Settings:
    return Settings.model_validate({"cors_allowed_origins": origins, **overrides})


def heads(problems: list[str]) -> list[str]:
    return [problem.split(" ", 1)[0] for problem in problems]


def test_the_list_is_comma_separated_and_a_trailing_slash_is_dropped() -> None:
    parsed = settings(" http://127.0.0.1:5173/ ,https://portal.example.gov.cn,, ")
    assert parsed.cors_allowed_origins == ["http://127.0.0.1:5173", "https://portal.example.gov.cn"]
    assert parsed.production_problems() == []
    assert Settings().cors_allowed_origins == []  # the default: no cross-origin access


@pytest.mark.parametrize("env", [{}, PROD])
def test_a_wildcard_with_credentials_is_refused_everywhere(env: dict[str, object]) -> None:
    problems = settings("*", **env).production_problems()
    assert heads(problems) == ["CORS_ALLOWED_ORIGINS"] and "CORS_ALLOW_CREDENTIALS" in problems[0]
    chinese, english = problems[0].split(" / ", 1)
    assert "任何网站" in chinese and english.isascii()
    with pytest.raises(UnsafeConfigurationError):
        require_safe_configuration(settings("https://a.example,*", **env))


def test_a_wildcard_without_credentials_is_allowed_for_bearer_clients() -> None:
    assert settings("*", cors_allow_credentials=False).production_problems() == []
    assert settings("*", cors_allow_credentials=False, **PROD).production_problems() == []


@pytest.mark.parametrize(
    "origin",
    ["127.0.0.1:5173", "http://127.0.0.1:5173/app", "https://Portal.example.gov.cn", "ftp://a.example", "null"],
)
def test_an_entry_that_is_not_an_origin_is_refused(origin: str) -> None:
    """A browser sends `scheme://host[:port]`, lower case, nothing after: anything else would never match."""
    problems = settings(origin).production_problems()
    assert heads(problems) == ["CORS_ALLOWED_ORIGINS"] and "not an origin" in problems[0]


def test_production_accepts_https_origins_only() -> None:
    assert settings("https://portal.example.gov.cn,https://[::1]:8443", **PROD).production_problems() == []
    problems = settings("https://portal.example.gov.cn,http://portal.example.gov.cn", **PROD).production_problems()
    assert heads(problems) == ["CORS_ALLOWED_ORIGINS"]
    assert "http://portal.example.gov.cn" in problems[0] and "https" in problems[0]
    assert settings("http://127.0.0.1:5173").production_problems() == []  # dev serves SPAs over http


def test_the_cors_problem_comes_after_the_others_in_production() -> None:
    problems = settings("*", **{**PROD, "secret_key": "x"}).production_problems()
    assert heads(problems) == ["SECRET_KEY", "CORS_ALLOWED_ORIGINS"]
