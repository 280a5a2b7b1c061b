"""Counts the SQL statements SQLite runs, with sqlite3's trace callback on Tortoise's connection."""

from __future__ import annotations

import threading

from tortoise import connections

from bench.endpoints import Endpoint


class StatementTrace:
    """Records every statement the default connection executes while `recording` is on."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.recording = False
        self._lock = threading.Lock()  # the callback runs on aiosqlite's worker thread

    def _record(self, statement: str) -> None:
        if self.recording:
            with self._lock:
                self.statements.append(statement)

    async def install(self) -> StatementTrace:
        """Hook the callback into the open aiosqlite connection (opening it first if needed)."""
        client = connections.get("default")
        await client.create_connection(with_db=True)
        await client._connection.set_trace_callback(self._record)
        return self

    async def remove(self) -> None:
        """Unhook, so timings run without the callback."""
        await connections.get("default")._connection.set_trace_callback(None)

    async def during(self, endpoint: Endpoint) -> list[str]:
        """The statements one request of `endpoint` executes."""
        with self._lock:
            self.statements = []
        self.recording = True
        try:
            await endpoint.json()
        finally:
            self.recording = False
        with self._lock:
            return list(self.statements)
