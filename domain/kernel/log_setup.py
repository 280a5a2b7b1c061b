"""Logging of every entry point (API, worker, manage.py commands): one JSON object per line, to stderr and to a
size-rotating file that several processes share (var/logs/portal.jsonl by default). The audit events
(`portal.audit`) are already JSON objects: their fields become the line's, so one line is one event."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sys
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from domain.kernel.settings import Settings, get_settings

AUDIT_LOGGER = "portal.audit"
LOG_FILE_NAME = "portal.jsonl"
_OURS = "_portal_handler"


class JsonLinesFormatter(logging.Formatter):
    """A record as one JSON line: UTC time, level, logger, process role, message (CR/LF escaped by JSON)."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def format(self, record: logging.LogRecord) -> str:
        """The audit event's own object, or the record's message, with where it came from."""
        head: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": self.role,
            "pid": record.process,
        }
        message = record.getMessage()
        if record.name == AUDIT_LOGGER:
            event = _json_object(message)
            if event is not None:
                return json.dumps({**head, **event}, ensure_ascii=False)
        entry = {**head, "message": message}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class DropQueryStrings(logging.Filter):
    """uvicorn's access line names the path only: a query string may carry a GraphQL document and its variables."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Cut `?…` off the path argument of an access record."""
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            args[2] = str(args[2]).split("?", 1)[0]
            record.args = tuple(args)
        return True


class SharedRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler for several processes: each write (and rollover) under an flock on a side file, and
    the file reopened when another process has rotated it."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self._lock_file = open(f"{path}.lock", "a")  # noqa: SIM115 - held for the handler's life

    def emit(self, record: logging.LogRecord) -> None:
        """Reopen if rotated elsewhere, then write (rotating when due), all under the lock."""
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            try:
                self._reopen_if_rotated()
                super().emit(record)
            finally:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        except Exception:
            self.handleError(record)

    def _reopen_if_rotated(self) -> None:
        if self.stream is None:
            return
        try:
            current = os.stat(self.baseFilename)
        except FileNotFoundError:
            current = None
        opened = os.fstat(self.stream.fileno())
        if current is None or (current.st_ino, current.st_dev) != (opened.st_ino, opened.st_dev):
            self.stream.close()
            self.stream = self._open()

    def close(self) -> None:
        """Close the file and the lock."""
        super().close()
        self._lock_file.close()


def log_file(settings: Settings) -> Path:
    """Where the JSON lines go: LOG_DIR (default var/logs) / portal.jsonl."""
    return (settings.log_dir or settings.var_dir / "logs") / LOG_FILE_NAME


def configure_logging(role: str, settings: Settings | None = None) -> Path:
    """Send every logger's records to stderr and the shared file as JSON lines (idempotent: replaces the handlers
    it installed before). `role` names the process in each line (api, worker, run, create-staff, …)."""
    settings = settings or get_settings()
    path = log_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    formatter = JsonLinesFormatter(role)
    handlers: list[logging.Handler] = [
        logging.StreamHandler(),
        SharedRotatingFileHandler(path, settings.log_file_max_bytes, settings.log_file_backups),
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(DropQueryStrings())
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(settings.log_level)
    logging.getLogger(AUDIT_LOGGER).setLevel(logging.INFO)  # the audit trail is never filtered out by the level
    sys.excepthook = _log_uncaught  # a crash's traceback is a JSON line in the file too, not raw text on stderr
    return path


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("portal.crash").critical("uncaught %s", kind.__name__, exc_info=(kind, error, traceback))
