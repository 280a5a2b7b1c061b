"""SECURITY check 30: the audit log is written by the real processes (not only under pytest's log capture): a
failed login for an unknown ID number, its lockout and a staff login are each one JSON line in var/logs, with UTC
time, actor, IP and outcome, and no secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from domain.kernel.settings import PROJECT_ROOT, get_settings
from tests.e2e.client import LiveClient
from tests.e2e.conftest import running_server
from tests.helpers import LOGIN, VALID_ID_2

STAFF_LOGIN = """mutation($input: StaffLoginInput!) { staffLogin(input: $input) { errors { code } token } }"""
WRONG_PASSWORD = "Cuowu#mima-2026"


def create_staff_account(log_dir: Path) -> str:
    """`manage.py create-staff` as an administrator would run it; the generated password it printed once."""
    created = subprocess.run(
        [sys.executable, "manage.py", "create-staff", "--username", "audit-admin", "--role", "ADMIN"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LOG_DIR": str(log_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return created.stdout.rsplit(": ", 1)[-1].strip()


async def login_codes(client: LiveClient, mutation: str, field: str, account: dict[str, str]) -> list[str]:
    variables = {"input": {**account, **await client.captcha()}}
    data = await client.gql(mutation, variables)
    return [error["code"] for error in data[field]["errors"]]


def audit_lines(path: Path, wanted: int, timeout_s: float = 10) -> list[dict[str, Any]]:
    """The audit events in the log file once at least `wanted` are there (polled with a deadline)."""
    deadline = time.monotonic() + timeout_s
    while True:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        events = [json.loads(line) for line in lines if '"portal.audit"' in line]
        if len(events) >= wanted or time.monotonic() > deadline:
            return events
        time.sleep(0.1)


async def test_failed_login_lockout_and_staff_login_are_json_lines_in_the_log_file(
    clean_state: None, tmp_path: Path
) -> None:
    log_dir = tmp_path / "logs"
    password = create_staff_account(log_dir)
    threshold = get_settings().login_lock_threshold
    with running_server(LOG_DIR=str(log_dir)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            client = LiveClient(http)
            unknown = {"idNumber": VALID_ID_2, "password": WRONG_PASSWORD}
            answers = [await login_codes(client, LOGIN, "login", unknown) for _ in range(threshold + 1)]
            staff = {"username": "audit-admin", "password": password}
            assert await login_codes(client, STAFF_LOGIN, "staffLogin", staff) == []
            assert (await http.get("/healthz", params={"token": "query-secret-0042"})).status_code == 200
    assert answers[:threshold] == [["INVALID_CREDENTIALS"]] * threshold
    assert answers[threshold] == ["ACCOUNT_LOCKED"]

    path = log_dir / "portal.jsonl"
    events = audit_lines(path, threshold + 2)
    outcomes = [(event["event"], event["outcome"]) for event in events]
    assert outcomes == [("login", "failure")] * threshold + [("login", "locked"), ("staff_login", "success")]
    for event in events:
        assert event["time"].endswith("+00:00") and event["ip"] == "127.0.0.1", event
        assert event["process"] == "api" and event["actor"]
    assert events[0]["actor"].startswith("unknown:") and events[-1]["actor"].startswith("staff:")
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        json.loads(line)  # every line of the file is one JSON object
    assert password not in text and WRONG_PASSWORD not in text and VALID_ID_2 not in text
    access = [json.loads(line)["message"] for line in text.splitlines() if '"uvicorn.access"' in line]
    assert any("GET /healthz HTTP" in message for message in access), access
    assert "query-secret-0042" not in text  # access lines name the path, never the query string
    worker_lines = [line for line in text.splitlines() if '"process": "worker"' in line]
    assert worker_lines, "the worker logs to the same file"
