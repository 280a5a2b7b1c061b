"""The CORS start-up check as a process: `manage.py serve` with `CORS_ALLOWED_ORIGINS=*` (credentials on, the
default) refuses to start in dev too, exit 78, one bilingual line."""

from __future__ import annotations

import os
import subprocess
import sys

from domain.kernel.settings import PROJECT_ROOT

EXIT_UNSAFE_CONFIGURATION = 78


def test_a_wildcard_with_credentials_refuses_to_start_in_dev() -> None:
    env = {**os.environ, "APP_ENV": "dev", "CORS_ALLOWED_ORIGINS": "http://127.0.0.1:5173,*"}
    done = subprocess.run(
        [sys.executable, "manage.py", "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_UNSAFE_CONFIGURATION, done.stderr
    lines = done.stderr.splitlines()
    assert "refusing to start: unsafe configuration" in lines[0] and "生产环境" not in lines[0]
    assert [line.split(" ", 4)[3] for line in lines[1:]] == ["CORS_ALLOWED_ORIGINS"]
