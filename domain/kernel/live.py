"""The rhythm of a live subscription: read now, then again after each matching event on the person's channel, and
at least every `recheck_s` (lost messages, a session that ended). The caller reads the database at each tick and
yields only what changed: the event is a hint, the database the truth."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable

from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.event_hub import EventHub, Wanted
from domain.kernel.events import person_channel


async def ticks(
    hub: EventHub,
    person_id: int,
    wanted: Wanted,
    recheck_s: float,
    session_alive: Callable[[], Awaitable[bool]],
) -> AsyncGenerator[None, None]:
    """One tick at once (after Redis confirmed the subscription), then one per wake-up; UNAUTHENTICATED as soon as
    the session behind the subscription has ended (logout, revocation, timeouts). The channel is released when
    the iteration ends (the client's `complete`, a disconnect)."""
    async with hub.listen(person_channel(person_id), wanted) as waiter:
        while True:
            if not await session_alive():
                raise DomainError(ErrorCode.UNAUTHENTICATED)
            yield
            await waiter.wait(recheck_s)


def of_type(kind: str, **fields: object) -> Wanted:
    """A predicate: events of `kind` whose given fields equal the values (`of_type("verification")`)."""

    def wanted(event: dict[str, object]) -> bool:
        return event.get("type") == kind and all(event.get(name) == value for name, value in fields.items())

    return wanted


__all__ = ["Wanted", "of_type", "ticks"]
