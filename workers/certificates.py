"""Jobs of certificates: the effect of an approved filing (registration and certificate, once)."""

from __future__ import annotations

from typing import Any

from domain import certificates


async def apply_approval(ctx: dict[str, Any], outbox_id: str) -> str:
    """Apply the approved filing's effect in one unit of work; a second run finds it applied and skips."""
    return await certificates.apply_approval(ctx["deps"], outbox_id)
