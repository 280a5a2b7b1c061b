"""SECURITY check 28, storage: uploads per person are rate-limited (Redis, shared by every API process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db.models import Attachment
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import upload, uploaded
from tests.helpers import VALID_ID_2, Api, image_bytes


@pytest.fixture
def three_per_hour(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("UPLOADS_PER_PERSON_PER_HOUR", "3")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("UPLOADS_PER_PERSON_PER_HOUR")
    get_settings.cache_clear()


async def test_uploads_past_the_hourly_limit_are_refused_with_the_limit(api: Api, three_per_hour: None) -> None:
    await api.signed_up()
    photo = image_bytes(600, 900)
    await uploaded(api, "PHOTO", photo)
    assert (await upload(api, "PHOTO", b"not an image"))["errors"][0]["code"] == "UNSUPPORTED_FILE_TYPE"
    await uploaded(api, "SIGNATURE", image_bytes(900, 300, fmt="PNG"), filename="s.png")

    result = await upload(api, "PHOTO", photo)

    assert result["attachment"] is None
    [error] = result["errors"]
    assert error["code"] == "TOO_MANY_REQUESTS" and error["field"] == ["file"]
    assert error["message"] == "上传过于频繁：每小时最多上传3次，请稍后再试。"
    assert await Attachment.all().count() == 2
    await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")  # another person has their own allowance
    await uploaded(api, "PHOTO", photo)


async def test_the_default_allows_a_normal_session_and_stops_a_flood(api: Api) -> None:
    await api.signed_up()
    limit = get_settings().uploads_per_person_per_hour
    assert 10 <= limit <= 30
    tiny = image_bytes(300, 400)
    codes = [(await upload(api, "PHOTO", tiny))["errors"] for _ in range(limit + 5)]

    assert all(errors == [] for errors in codes[:limit])
    assert all(errors[0]["code"] == "TOO_MANY_REQUESTS" for errors in codes[limit:])
    assert await Attachment.filter(kind="PHOTO").count() == limit
