"""Tortoise configuration from settings: SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from typing import Any

from domain.settings import Settings, get_settings

MODELS_APP = "models"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def database_url(settings: Settings | None = None) -> str:
    """The configured URL, or the embedded SQLite file under var/."""
    settings = settings or get_settings()
    return settings.database_url or f"sqlite://{settings.sqlite_path}"


def is_sqlite(url: str) -> bool:
    """True for the embedded engine."""
    return url.startswith("sqlite://")


def connection_config(url: str) -> dict[str, Any] | str:
    """SQLite gets our hardened engine; any other URL goes to Tortoise as is (asyncpg for postgres://)."""
    if not is_sqlite(url):
        return url
    path = url.removeprefix("sqlite://")
    return {
        "engine": "db.sqlite_engine",
        "credentials": {
            "file_path": path,
            "journal_mode": "WAL",
            "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
            "synchronous": "NORMAL",
            "foreign_keys": "ON",
        },
    }


def tortoise_config(url: str | None = None) -> dict[str, Any]:
    """The dict Tortoise.init and the migration commands take."""
    url = url or database_url()
    return {
        "connections": {"default": connection_config(url)},
        "apps": {
            MODELS_APP: {
                "models": ["db.models"],
                "default_connection": "default",
                "migrations": "db.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the `tortoise` CLI (makemigrations): `tortoise -c db.config.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config()
