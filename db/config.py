"""Tortoise configuration for a database URL (the composition roots pass it in): our hardened SQLite engine for
`sqlite://` files, Tortoise's own for anything else (asyncpg for `postgres://`)."""

from __future__ import annotations

from typing import Any

MODELS_APP = "models"
SQLITE_BUSY_TIMEOUT_MS = 15_000


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


def tortoise_config(url: str) -> dict[str, Any]:
    """The dict Tortoise.init and the migration commands take."""
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
