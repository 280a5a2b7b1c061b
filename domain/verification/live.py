"""The viewer's verification as it changes, for the `verificationStatus` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

from db.models import VerificationAttempt
from domain.verification.attempts import current_for_people


async def current_changes(
    ticks: AsyncIterator[None], person_id: int
) -> AsyncGenerator[VerificationAttempt | None, None]:
    """The person's verification as shown (`current_for_people`) at the first tick, then again whenever a tick
    finds another attempt or another status (re-read from the database: the event that woke the tick is a hint)."""
    shown: tuple[int, str] | bool | None = False  # False: nothing yielded yet (None is "no attempt")
    async for _ in ticks:
        row = (await current_for_people([person_id]))[person_id]
        state = None if row is None else (row.id, row.status.value)
        if state != shown:
            shown = state
            yield row
