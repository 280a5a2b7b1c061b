"""Tortoise SQLite engine whose write transactions start with BEGIN IMMEDIATE.

A deferred transaction that reads and then writes fails at once with "database is locked" when another process
wrote in between; taking the write lock up front makes the busy timeout apply instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.backends.sqlite.executor import SqliteExecutor
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    """A transaction that holds SQLite's write lock from its first statement."""

    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    """SQLite client for the portal: WAL, busy timeout and immediate transactions."""

    executor_class = SqliteExecutor

    def _in_transaction(self) -> SqliteTransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient


def get_client_class(db_info: dict[str, Any]) -> type[SqliteClient]:
    """Tortoise's engine hook."""
    return ImmediateSqliteClient
