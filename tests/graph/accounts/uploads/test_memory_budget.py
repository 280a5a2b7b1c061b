"""SECURITY check 28, memory: a small file that decodes to a huge image costs little memory, alone or four at
once; a 10 MB phone photo is accepted and downscaled within a bounded peak (measured in a child process)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from tests.graph.accounts.uploads.helpers import noisy_image, upload, uploaded
from tests.graph.accounts.uploads.memory import peak_growth_mib, rgba_bomb_png
from tests.helpers import Api

ATTACK_BUDGET_MIB = 30  # the bomb must be refused from its header: no decode at all
PHOTO_BUDGET_MIB = 80  # one 12-megapixel phone JPEG, decoded at reduced scale


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    path.write_bytes(rgba_bomb_png())
    return path


@pytest.fixture(scope="module")
def phone_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("phone") / "phone.jpg"
    path.write_bytes(noisy_image(4000, 3000, quality=90))
    return path


@pytest.fixture
def bomb_bytes(bomb: Path) -> bytes:
    return bomb.read_bytes()


@pytest.fixture
def phone_bytes(phone_photo: Path) -> bytes:
    return phone_photo.read_bytes()


@pytest.mark.parametrize("kind", ["PHOTO", "SIGNATURE", "ID_CARD_FRONT", "HANDHELD_ID"])
def test_the_6300_square_rgba_png_is_refused_from_its_header(bomb: Path, kind: str) -> None:
    assert bomb.stat().st_size < 200_000

    growth_mib, [outcome] = peak_growth_mib(kind, [bomb])

    assert outcome[0] == "IMAGE_TOO_LARGE", outcome
    assert re.search(r"不能超过\d+万像素", str(outcome[1])), outcome
    assert growth_mib < ATTACK_BUDGET_MIB, growth_mib  # decoding it costs 150 MB raw, 600 MB with the copies


def test_four_bombs_at_once_stay_within_the_budget_of_one(bomb: Path) -> None:
    growth_mib, outcomes = peak_growth_mib("ID_CARD_FRONT", [bomb] * 4)

    assert [outcome[0] for outcome in outcomes] == ["IMAGE_TOO_LARGE"] * 4
    assert growth_mib < ATTACK_BUDGET_MIB, growth_mib


def test_a_10_mb_phone_photo_is_decoded_at_reduced_scale(phone_photo: Path) -> None:
    assert 8_000_000 < phone_photo.stat().st_size < 12 * 1024 * 1024

    growth_mib, [outcome] = peak_growth_mib("PHOTO", [phone_photo])

    assert outcome == ["ok", 295, 413]
    assert growth_mib < PHOTO_BUDGET_MIB, growth_mib  # a full decode alone is 36 MB, with the copies 150 MB


def test_four_phone_photos_at_once_cost_at_most_the_pool_size_times_one(phone_photo: Path) -> None:
    one_mib, _ = peak_growth_mib("ID_CARD_FRONT", [phone_photo], decode_workers=1)
    serial_mib, outcomes = peak_growth_mib("ID_CARD_FRONT", [phone_photo] * 4, decode_workers=1)
    two_at_once_mib, _ = peak_growth_mib("ID_CARD_FRONT", [phone_photo] * 4, decode_workers=2)

    assert [outcome[0] for outcome in outcomes] == ["ok"] * 4
    assert one_mib < PHOTO_BUDGET_MIB, one_mib
    assert serial_mib < one_mib + 10, (one_mib, serial_mib)
    assert two_at_once_mib < 2 * one_mib + 15, (one_mib, two_at_once_mib)


async def test_four_bombs_at_once_through_the_api_are_refused(api: Api, bomb_bytes: bytes) -> None:
    await api.signed_up()
    data = bomb_bytes

    results = await asyncio.gather(
        *(upload(api, "ID_CARD_FRONT", data, filename="card.png", content_type="image/png") for _ in range(4))
    )

    for result in results:
        assert result["attachment"] is None
        [error] = result["errors"]
        assert error["code"] == "IMAGE_TOO_LARGE" and "1200万像素" in error["message"], error


async def test_a_10_mb_phone_photo_is_accepted_and_downscaled(api: Api, phone_bytes: bytes) -> None:
    await api.signed_up()

    photo = await uploaded(api, "PHOTO", phone_bytes)
    card = await uploaded(api, "HANDHELD_ID", phone_bytes)

    assert (photo["width"], photo["height"]) == (295, 413)
    assert max(card["width"], card["height"]) == 2000
