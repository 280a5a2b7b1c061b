"""Worker threads for CPU work (password hashes, captcha images) that must not take the event loop's CPU."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

# CFS weights: nice 0 against nice 10 is about 1024 against 110, so on a busy core the event loop's thread runs
# about nine tenths of the time and the background work the rest; on an idle core the background runs at full speed.
BACKGROUND_NICENESS = 10


def _lower_priority() -> None:
    """Lower this thread's scheduling priority (Linux: a thread id is a valid PRIO_PROCESS target; elsewhere the
    call would lower the whole process, so nothing is done)."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
    except OSError:  # not permitted in some sandboxes: the pool still works, at normal priority
        return


def background_pool(workers: int, name: str) -> ThreadPoolExecutor:
    """A bounded pool whose threads yield the CPU to the event loop's thread when both want it."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name, initializer=_lower_priority)
