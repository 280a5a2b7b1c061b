"""Shared steps of the upload tests: photo-like images, uploadAttachment over HTTP, fetching a file."""

from __future__ import annotations

import io
import random
from typing import Any

import httpx
from PIL import Image

from tests.helpers import Api


def noisy_image(width: int, height: int, fmt: str = "JPEG", seed: int = 1, **save: Any) -> bytes:
    """A photo-like image (noise compresses badly, as real photos do)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


async def upload(api: Api, kind: str, data: bytes, filename: str = "photo.jpg", **kwargs: Any) -> dict[str, Any]:
    response = await api.upload(kind, data, filename=filename, **kwargs)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["uploadAttachment"]
    return result


async def uploaded(api: Api, kind: str, data: bytes, **kwargs: Any) -> dict[str, Any]:
    result = await upload(api, kind, data, **kwargs)
    assert result["errors"] == [], result
    attachment: dict[str, Any] = result["attachment"]
    return attachment


async def fetch(api: Api, url: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.client.get(url, headers=headers)
