"""The JSON-lines logging of every entry point: one object per line, audit events flattened, query strings cut,
rotation shared by processes (two handlers on one file stand for two processes)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.kernel.log_setup import DropQueryStrings, JsonLinesFormatter, SharedRotatingFileHandler, configure_logging
from domain.kernel.settings import Settings


def record(name: str, message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args or None, None)


def test_an_audit_event_is_its_own_object_and_other_records_are_wrapped() -> None:
    formatter = JsonLinesFormatter("api")
    event = {"time": "2026-01-01T00:00:00.000+00:00", "event": "login", "outcome": "failure", "ip": "203.0.113.9"}
    audit = json.loads(formatter.format(record("portal.audit", json.dumps(event))))
    assert {key: audit[key] for key in event} == event and audit["process"] == "api"
    forged = formatter.format(record("portal.sms", 'mobile %s\n{"event": "login"}', "138****0001"))
    assert "\n" not in forged and json.loads(forged)["message"].startswith("mobile 138****0001\n")
    assert json.loads(forged)["time"].endswith("+00:00")


def test_access_lines_lose_their_query_string() -> None:
    access = record("uvicorn.access", '%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/graphql?query=x", "1.1", 200)
    DropQueryStrings().filter(access)
    assert access.getMessage() == '127.0.0.1:1 - "GET /graphql HTTP/1.1" 200'


def test_two_writers_share_one_rotating_file(tmp_path: Path) -> None:
    path = tmp_path / "portal.jsonl"
    writers = [SharedRotatingFileHandler(path, max_bytes=2000, backups=3) for _ in range(2)]
    for writer in writers:
        writer.setFormatter(JsonLinesFormatter("test"))
    try:
        for n in range(60):
            writers[n % 2].emit(record("portal.test", "line %d", n))
    finally:
        for writer in writers:
            writer.close()
    files = [path, *(Path(f"{path}.{i}") for i in range(1, 4))]
    lines = [json.loads(line) for file in files if file.exists() for line in file.read_text().splitlines()]
    assert path.with_name("portal.jsonl.1").exists()
    numbers = sorted(int(line["message"].split()[1]) for line in lines)
    assert numbers == list(range(60 - len(numbers), 60))  # nothing lost but what rotated past the backups
    assert all(file.stat().st_size <= 2000 for file in files if file.exists())


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    sys.excepthook = hook
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers, root.level = handlers, level


def test_configure_logging_is_idempotent(tmp_path: Path, restore_root: None) -> None:
    settings = Settings.model_validate({"log_dir": tmp_path, "log_level": "WARNING"})
    before = len(logging.getLogger().handlers)
    path = configure_logging("api", settings)
    configure_logging("api", settings)
    assert len(logging.getLogger().handlers) == before + 2
    logging.getLogger("portal.audit").info(json.dumps({"event": "login", "outcome": "success"}))
    logging.getLogger("portal.other").info("below the level")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line.get("event") for line in lines] == ["login"]  # the audit trail ignores LOG_LEVEL


def test_an_uncaught_exception_is_one_json_line(tmp_path: Path, restore_root: None) -> None:
    path = configure_logging("worker", Settings.model_validate({"log_dir": tmp_path}))
    try:
        raise ConnectionError("Error 111 connecting to redis.sock")
    except ConnectionError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    (line,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert line["logger"] == "portal.crash" and line["level"] == "CRITICAL" and line["process"] == "worker"
    assert "ConnectionError: Error 111" in line["exception"]
