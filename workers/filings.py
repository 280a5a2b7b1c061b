"""Jobs of filings: the automatic pre-check of a submitted application (with the reviewer's findings and the
automatic confirmation policy, domain.review)."""

from __future__ import annotations

from typing import Any

from domain import review


async def precheck_application(ctx: dict[str, Any], outbox_id: str) -> str:
    """Run the filing's rules again on fresh data; move it to its first review stage or refuse it (acts once)."""
    return await review.precheck(ctx["deps"], outbox_id)
