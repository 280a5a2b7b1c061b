"""SECURITY check 26 for the captcha: 40 concurrent checks of one captcha with the right answer → one success,
the rest refused, no key left (GETDEL: read and spend in one step)."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.accounts import captcha
from domain.kernel.errors import DomainError


async def test_forty_concurrent_right_answers_spend_the_captcha_once(app: Any) -> None:
    redis = app.state.deps.redis
    issued = await captcha.issue(redis)
    answer = await captcha.dev_answer(redis, issued.id)
    assert answer is not None

    async def one() -> bool:
        try:
            await captcha.consume(redis, issued.id, answer)
        except DomainError:
            return False
        return True

    outcomes = await asyncio.gather(*(one() for _ in range(40)))

    assert outcomes.count(True) == 1
    assert not await redis.exists(f"captcha:{issued.id}")
