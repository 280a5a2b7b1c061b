"""Image captchas: the answer lives in Redis only as a keyed hash, 5 minutes, single use, case-insensitive."""

from __future__ import annotations

import asyncio
import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from captcha.image import ImageCaptcha
from redis.asyncio import Redis

from domain.kernel import clock, threads
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.keys import keyed_digest
from domain.kernel.settings import get_settings

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters people confuse on a noisy image.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 4
_image = ImageCaptcha(width=160, height=60)
# Drawing takes ~5 ms of pure Python and Pillow: off the event loop, one image at a time per process (a storm of
# captcha requests waits in this queue instead of taking the loop's time from everyone else).
_draw_pool = threads.background_pool(1, "captcha-draw")


@dataclass(frozen=True)
class Captcha:
    """A challenge to show: its id, a PNG data URL and when it stops being accepted."""

    id: str
    image_data_url: str
    expires_at: datetime


def _digest(captcha_id: str, answer: str) -> str:
    return keyed_digest("captcha", f"{captcha_id}:{answer.strip().upper()}")


def draw(answer: str) -> str:
    """The answer drawn as a noisy PNG, as a data URL (runs in the drawing pool)."""
    png = _image.generate(answer, format="png").getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode()


async def issue(redis: Redis) -> Captcha:
    """Create a captcha and remember only the hash of its answer."""
    ttl_s = get_settings().captcha_ttl_s
    captcha_id = secrets.token_urlsafe(16)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    await redis.set(f"captcha:{captcha_id}", _digest(captcha_id, answer), ex=ttl_s)
    if get_settings().is_dev:
        await redis.set(f"dev:captcha:{captcha_id}", answer, ex=ttl_s)
    data_url = await asyncio.get_running_loop().run_in_executor(_draw_pool, draw, answer)
    return Captcha(captcha_id, data_url, clock.now() + timedelta(seconds=ttl_s))


async def consume(redis: Redis, captcha_id: str, answer: str, field: str = "captcha_answer") -> None:
    """Check an answer; the captcha is spent whatever the outcome."""
    if not captcha_id or not answer or len(captcha_id) > 64 or len(answer) > 16:
        raise DomainError(ErrorCode.CAPTCHA_INVALID, field)
    stored = await redis.getdel(f"captcha:{captcha_id}")
    if stored is None or not secrets.compare_digest(stored.decode(), _digest(captcha_id, answer)):
        raise DomainError(ErrorCode.CAPTCHA_INVALID, field)


async def dev_answer(redis: Redis, captcha_id: str) -> str | None:
    """The plain answer, kept only in dev/test for scripted flows (GET /dev/captcha/{id})."""
    value = await redis.get(f"dev:captcha:{captcha_id}")
    return value.decode() if value else None
