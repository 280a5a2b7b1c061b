"""Migration 0006 on a database where two people share a number: it refuses, naming them; once an operator has
settled it, the UNIQUE index is built and nationality defaults to CN (SQLite, or PostgreSQL on that backend)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def scratch_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of the run's backend."""
    if os.environ.get("PORTAL_TEST_BACKEND", "sqlite") != "postgres":
        yield f"sqlite://{tmp_path / 'migration.sqlite3'}"
        return
    import asyncpg

    name = f"{urlsplit(os.environ['DATABASE_URL']).path.strip('/')}_migration"
    maintenance = urlsplit(os.environ["TEST_DATABASE_URL"])._replace(scheme="postgresql", path="/postgres")
    server = await asyncpg.connect(urlunsplit(maintenance))
    try:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await server.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    finally:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await server.close()


def test_shared_numbers_stop_the_migration_until_settled(scratch_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.db.migrate_shared_mobiles", scratch_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["refusal"].startswith("DuplicateMobiles: 手机号码重复：1个号码绑定了多个账号"), result
    assert "138****8001: 2" in result["refusal"] and "13800138001" not in result["refusal"]
    assert result["rows"] == [
        {"id_number_digest": "d0", "mobile": "13800138001", "nationality": "CN"},
        {"id_number_digest": "d1", "mobile": "13700000000", "nationality": "CN"},
        {"id_number_digest": "d2", "mobile": "13900000000", "nationality": "CN"},
    ]
    assert result["unique"] is True
