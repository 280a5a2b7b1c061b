"""A login storm must not take the event loop's CPU (issue 8, item 12): captchas are drawn and passwords hashed in
bounded pools of low-priority threads, never on the loop's thread; the hash pool follows its setting."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from domain.accounts import captcha, passwords
from domain.kernel import threads
from domain.kernel.settings import get_settings
from tests.helpers import Api


@pytest.fixture
def hash_setting(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings and the hash pool rebuilt around a test that changes PASSWORD_HASH_CONCURRENCY."""
    get_settings.cache_clear()
    passwords._pool.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
    passwords._pool.cache_clear()


async def test_captcha_is_drawn_off_the_event_loop(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn_on: list[int] = []
    generate = captcha._image.generate  # the captcha library's drawing, recorded where it runs

    def recording_generate(*args: Any, **kwargs: Any) -> Any:
        drawn_on.append(threading.get_ident())
        return generate(*args, **kwargs)

    monkeypatch.setattr(captcha._image, "generate", recording_generate)
    captcha_id, answer = await api.captcha()
    assert captcha_id and len(answer) == captcha.LENGTH
    assert drawn_on and threading.get_ident() not in drawn_on  # the loop runs on this thread


async def test_many_captchas_at_once_all_answer(api: Api) -> None:
    bodies = await asyncio.gather(*(api.gql("query { captcha { id imageDataUrl } }") for _ in range(12)))
    assert all(b["data"]["captcha"]["imageDataUrl"].startswith("data:image/png;base64,") for b in bodies)
    assert len({b["data"]["captcha"]["id"] for b in bodies}) == 12


def test_hash_pool_defaults_to_the_cores(hash_setting: pytest.MonkeyPatch) -> None:
    hash_setting.delenv("PASSWORD_HASH_CONCURRENCY", raising=False)
    assert passwords.hash_workers() == max(1, os.cpu_count() or 1)
    assert passwords._pool()._max_workers == passwords.hash_workers()


def test_hash_pool_follows_the_setting(hash_setting: pytest.MonkeyPatch) -> None:
    hash_setting.setenv("PASSWORD_HASH_CONCURRENCY", "3")
    assert passwords.hash_workers() == 3
    assert passwords._pool()._max_workers == 3


def test_a_negative_hash_concurrency_is_refused(hash_setting: pytest.MonkeyPatch) -> None:
    hash_setting.setenv("PASSWORD_HASH_CONCURRENCY", "-1")
    with pytest.raises(ValueError, match="password_hash_concurrency"):
        get_settings()


async def test_hashes_run_in_low_priority_pool_threads(hash_setting: pytest.MonkeyPatch) -> None:
    hash_setting.setenv("PASSWORD_HASH_CONCURRENCY", "2")
    ran_on: list[tuple[int, int]] = []
    hasher = passwords._hasher()

    def where(*_: object) -> None:
        ran_on.append((threading.get_ident(), threading.get_native_id()))

    loop_thread = threading.get_ident()
    stored = await passwords.hash_password("Gongcheng#2026")
    assert await passwords.verify_password(stored, "Gongcheng#2026")
    assert not await passwords.verify_password(stored, "wrong-password")
    assert hasher.verify(stored, "Gongcheng#2026")
    await asyncio.get_running_loop().run_in_executor(passwords._pool(), where)
    ((ident, native),) = ran_on
    assert ident != loop_thread
    if sys.platform == "linux":
        assert os.getpriority(os.PRIO_PROCESS, native) >= threads.BACKGROUND_NICENESS
