"""SECURITY check 29 as processes: `APP_ENV=prod` refuses to start on a weak secret, the dev SMS inbox or the
sandbox provider (one bilingual message each, non-zero exit); a proper configuration starts, answers `/readyz`,
seeds no account and prints no password; staff accounts come from `manage.py create-staff`."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tortoise import Tortoise

from db.config import tortoise_config
from db.models import StaffUser
from domain.accounts import verify_password
from domain.kernel.settings import PROJECT_ROOT, get_settings
from tests.e2e.conftest import free_port, reap
from workers.queue import redis_url

EXIT_UNSAFE_CONFIGURATION = 78
GATEWAY = "tests.e2e.prod_plugins:RecordingGateway"
PROVIDER = "tests.e2e.prod_plugins:OfflineProvider"


def prod_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("SMS_GATEWAY", "IDENTITY_PROVIDER")}
    public = {"PUBLIC_BASE_URL": "https://jzs.example.gov.cn"}  # QR codes need a public https address in prod
    return {**env, "APP_ENV": "prod", "REDIS_URL": redis_url(), **public, **overrides}


def manage(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", ["serve", "worker", "run"])
def test_production_refuses_a_weak_secret_the_dev_inbox_and_the_sandbox(command: str) -> None:
    done = manage(command, env=prod_env(SECRET_KEY="x"))
    assert done.returncode == EXIT_UNSAFE_CONFIGURATION, done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert [line.removeprefix("  - ").split(" ", 1)[0] for line in problems] == [
        "SECRET_KEY",
        "SMS_GATEWAY",
        "IDENTITY_PROVIDER",
    ]
    assert "SECRET_KEY is too short (1 characters" in done.stderr
    assert "refusing to start" in done.stderr and "拒绝启动" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_refuses_a_missing_secret_and_dev_seeding() -> None:
    done = manage("serve", env=prod_env(SECRET_KEY="", SMS_GATEWAY=GATEWAY, IDENTITY_PROVIDER=PROVIDER))
    assert done.returncode == EXIT_UNSAFE_CONFIGURATION
    assert "SECRET_KEY is not set" in done.stderr
    seeded = manage("seed", env=prod_env(SECRET_KEY=secrets.token_urlsafe(48)))
    assert seeded.returncode != 0 and "no dev seed data in production" in seeded.stderr


@pytest.fixture
def prod_run(clean_state: None, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """`APP_ENV=prod manage.py run` with a proper configuration; yields its URL, environment and stdout file."""
    port = free_port()
    env = prod_env(
        SECRET_KEY=secrets.token_urlsafe(48),
        SMS_GATEWAY=GATEWAY,
        IDENTITY_PROVIDER=PROVIDER,
        PORT=str(port),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        CERTIFICATE_VERIFY_BASE_URL="https://jzs.example.gov.cn",  # where printed QR codes point: public, https
    )
    output = tmp_path / "run.out"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run"], cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}", env, output
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        reap(get_settings().var_dir / "run")


def wait_ready(base: str, output: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(output.read_text())


async def staff_accounts() -> list[StaffUser]:
    await Tortoise.init(config=tortoise_config(os.environ["DATABASE_URL"]))
    try:
        return await StaffUser.all()
    finally:
        await Tortoise.close_connections()


def test_a_proper_production_run_starts_seeds_nothing_and_prints_no_password(
    prod_run: tuple[str, dict[str, str], Path],
) -> None:
    base, env, output = prod_run
    wait_ready(base, output)
    assert httpx.get(f"{base}/readyz").json() == {"ready": True, "database": "ok", "redis": "ok"}
    assert httpx.get(f"{base}/dev/sms", params={"mobile": "13800138001"}).status_code == 404
    assert asyncio.run(staff_accounts()) == []
    printed = output.read_text().lower()
    assert "password" not in printed and "密码" not in printed

    created = manage("create-staff", "--username", "ops-admin", "--role", "ADMIN", env=env)
    assert created.returncode == 0, created.stderr
    password = created.stdout.rsplit(": ", 1)[-1].strip()
    assert len(password) >= 24 and created.stdout.count(password) == 1
    (staff,) = asyncio.run(staff_accounts())
    assert staff.username == "ops-admin" and asyncio.run(verify_password(staff.password_hash, password))


def test_create_staff_refuses_duplicates_unknown_roles_and_bad_scopes(clean_state: None) -> None:
    env = prod_env(SECRET_KEY=secrets.token_urlsafe(48), SMS_GATEWAY=GATEWAY, IDENTITY_PROVIDER=PROVIDER)
    typed = manage(
        "create-staff",
        "--username",
        "bj-officer",
        "--role",
        "province",
        "--province",
        "11",
        "--password-stdin",
        env=env,
        stdin="Jianzhu-shenhe#2026\n",
    )
    assert typed.returncode == 0, typed.stderr
    assert "Jianzhu-shenhe#2026" not in typed.stdout + typed.stderr
    refusals = {
        ("--username", "bj-officer", "--role", "ADMIN"): "用户名“bj-officer”已存在",
        ("--username", "someone", "--role", "ROOT"): "未知的角色“ROOT”",
        ("--username", "someone", "--role", "PROVINCE"): "必须指定省级行政区划代码",
        ("--username", "someone", "--role", "PROVINCE", "--province", "99"): "省级行政区划代码不正确",
        ("--username", "someone", "--role", "ENTERPRISE"): "必须指定企业",
        ("--username", "../x", "--role", "ADMIN"): "用户名应为",
    }
    for args, message in refusals.items():
        refused = manage("create-staff", *args, env=env)
        assert refused.returncode == 1 and message in refused.stderr, (args, refused.stderr)
    weak = manage("create-staff", "--username", "weak", "--role", "ADMIN", "--password-stdin", env=env, stdin="12345\n")
    assert weak.returncode == 1 and "至少 12 位" in weak.stderr
    assert [staff.username for staff in asyncio.run(staff_accounts())] == ["bj-officer"]
