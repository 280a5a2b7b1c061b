"""A small LRU map for the request policy's caches: clients can send anything, so every cache is bounded."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class BoundedCache(Generic[Value]):
    """At most `size` entries, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, Value] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        """The value kept for `key`, computed and kept if missing."""
        found = self.peek(key)
        if found is not None:
            return found
        value = compute()
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Value | None:
        """The value kept for `key` (now the most recently used), or None."""
        if key not in self.entries:
            return None
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key: Hashable, value: Value) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
