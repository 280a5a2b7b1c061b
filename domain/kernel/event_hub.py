"""One Redis pub/sub connection per process, shared by every live subscription of that process.

A subscription registers a `Waiter` on a channel (a person's, see `events.person_channel`) with a predicate on the
event; the hub SUBSCRIBEs the channel on its first waiter and UNSUBSCRIBEs it after its last, and a reader task
wakes the waiters whose predicate matches each message. An event is only a hint: a woken subscription re-reads the
database, so a waiter is a flag, not a queue (a burst of events costs one re-read, and nothing can overflow).
`listen` returns once Redis has confirmed the subscription, so whatever is read after it and changes later wakes
the waiter. When the connection breaks, the reader reconnects with back-off (redis-py subscribes the channels
again) and wakes every waiter, since messages in between were lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from redis.asyncio import Redis

logger = logging.getLogger("portal.events")
Wanted = Callable[[dict[str, Any]], bool]
CONFIRM_TIMEOUT_S = 10.0
RETRY_S = (0.5, 1.0, 2.0, 5.0)


class Waiter:
    """A wake-up flag for one subscription: set by a matching event (or a resync), cleared by `wait`."""

    def __init__(self, wanted: Wanted) -> None:
        self.wanted = wanted
        self._flag = asyncio.Event()

    def notify(self, event: dict[str, Any] | None) -> None:
        """`None` wakes whatever the predicate (a resync after lost messages)."""
        if event is None or self.wanted(event):
            self._flag.set()

    async def wait(self, timeout_s: float) -> bool:
        """True when woken by an event, False when `timeout_s` passed first; the flag is cleared either way."""
        try:
            await asyncio.wait_for(self._flag.wait(), timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            self._flag.clear()


class EventHub:
    """The process's multiplexed listener (create once, in the app's lifespan; `close` at shutdown)."""

    def __init__(self, redis: Redis) -> None:
        self._pubsub = redis.pubsub()
        self._waiters: dict[str, set[Waiter]] = {}
        self._unconfirmed: dict[str, int] = {}  # SUBSCRIBEs sent and not yet confirmed, per channel
        self._confirmed: dict[str, asyncio.Event] = {}
        self._lock = asyncio.Lock()
        self._reader: asyncio.Task[None] | None = None

    @property
    def channels(self) -> int:
        """Channels subscribed now (for tests and metrics)."""
        return len(self._waiters)

    @contextlib.asynccontextmanager
    async def listen(self, channel: str, wanted: Wanted) -> AsyncIterator[Waiter]:
        """A waiter on `channel`, once Redis has confirmed the subscription; removed on exit."""
        waiter = Waiter(wanted)
        try:
            confirmed = await self._add(channel, waiter)
            await asyncio.wait_for(confirmed.wait(), CONFIRM_TIMEOUT_S)
            yield waiter
        finally:
            await self._remove(channel, waiter)

    async def _add(self, channel: str, waiter: Waiter) -> asyncio.Event:
        async with self._lock:
            waiters = self._waiters.setdefault(channel, set())
            waiters.add(waiter)
            if len(waiters) == 1:
                self._confirmed[channel] = asyncio.Event()
                self._unconfirmed[channel] = self._unconfirmed.get(channel, 0) + 1
                await self._pubsub.subscribe(channel)
                if self._reader is None:
                    self._reader = asyncio.create_task(self._read(), name="event-hub-reader")
            return self._confirmed[channel]

    async def _remove(self, channel: str, waiter: Waiter) -> None:
        async with self._lock:
            waiters = self._waiters.get(channel)
            if waiters is None or waiter not in waiters:
                return
            waiters.discard(waiter)
            if waiters:
                return
            del self._waiters[channel]
            self._confirmed.pop(channel, None)
            try:
                await self._pubsub.unsubscribe(channel)
            except Exception:  # the reader's reconnect subscribes only what is still wanted
                logger.warning("could not unsubscribe from %s", channel, exc_info=True)

    async def _read(self) -> None:
        failures = 0
        while True:
            try:
                message = await self._pubsub.get_message(timeout=None)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                await self._recover(failures)
                failures += 1
                continue
            if message:
                self._dispatch(message)

    async def _recover(self, failures: int) -> None:
        """Back off, reconnect (redis-py subscribes its channels again) and wake everyone: messages were lost."""
        logger.warning("event hub lost its Redis connection; reconnecting", exc_info=failures == 0)
        await asyncio.sleep(RETRY_S[min(failures, len(RETRY_S) - 1)])
        with contextlib.suppress(Exception):
            await self._pubsub.connect()  # type: ignore[no-untyped-call]
        for waiters in list(self._waiters.values()):
            for waiter in list(waiters):
                waiter.notify(None)

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = _text(message.get("channel"))
        if message.get("type") == "subscribe":
            self._confirm(channel)
            return
        if message.get("type") != "message":
            return
        try:
            event = json.loads(message["data"])
        except (TypeError, ValueError):
            logger.warning("ignored a malformed event on %s", channel)
            return
        if isinstance(event, dict):
            for waiter in list(self._waiters.get(channel, ())):
                waiter.notify(event)

    def _confirm(self, channel: str) -> None:
        pending = self._unconfirmed.get(channel, 0)
        if pending > 0:
            self._unconfirmed[channel] = pending - 1
        if pending <= 1 and channel in self._confirmed:
            self._confirmed[channel].set()

    async def close(self) -> None:
        """Stop the reader and drop the connection."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
