"""Readiness: does the database answer (for `/readyz`)."""

from __future__ import annotations

from tortoise import connections


async def database_problem() -> str | None:
    """None when the database answers a trivial query, else the exception's name."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # any failure means not ready
        return type(exc).__name__
    return None
