"""Each new step of one filing as it is written, for the `applicationProgress` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

from db.models import ApplicationStep


async def _last_seq(application_id: int) -> int:
    last = await ApplicationStep.filter(application_id=application_id).order_by("-seq").first()
    return last.seq if last is not None else 0


async def new_steps(
    ticks: AsyncIterator[None], application_id: int, after_seq: int | None
) -> AsyncGenerator[ApplicationStep, None]:
    """The filing's steps numbered after `after_seq`, in order, as ticks find them (re-read from the database: an
    event is a hint, and whichever process wrote the step, it is found). Without `after_seq`, the steps already
    there at the first tick (read once the subscription is confirmed, so none falls between) are not repeated.
    The caller checks that the filing is the subscriber's own."""
    last = after_seq
    async for _ in ticks:
        if last is None:
            last = await _last_seq(application_id)
            continue
        for row in await ApplicationStep.filter(application_id=application_id, seq__gt=last).order_by("seq"):
            last = row.seq
            yield row
