"""Size and shape refusals: each a coded UserError whose Chinese message names the limit; shapes that cannot be
an ID photo or a signature are refused with the reason instead of being cropped silently."""

from __future__ import annotations

from typing import Any

from PIL import Image

from db.models import Attachment
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import noisy_image, upload, uploaded
from tests.graph.accounts.uploads.memory import rgba_bomb_png
from tests.helpers import Api, image_bytes


def refusal(result: dict[str, Any]) -> tuple[str, str]:
    assert result["attachment"] is None, result
    [error] = result["errors"]
    assert error["field"] == ["file"]
    return str(error["code"]), str(error["message"])


async def test_file_too_large_names_the_mb_limit(api: Api) -> None:
    await api.signed_up()
    settings = get_settings()
    assert settings.upload_max_bytes == 12 * 1024 * 1024 < settings.request_max_bytes
    size = settings.upload_max_bytes + 1024

    code, message = refusal(await upload(api, "PHOTO", b"\xff\xd8\xff\xe0" + bytes(size)))

    assert code == "FILE_TOO_LARGE" and "12MB" in message, message


async def test_image_too_large_names_the_kind_and_its_pixel_limit(api: Api) -> None:
    await api.signed_up()
    png = rgba_bomb_png(3000, 3000)  # 9 megapixels: over a photo's and a signature's cap, under an ID card's

    assert refusal(await upload(api, "PHOTO", png, filename="p.png")) == (
        "IMAGE_TOO_LARGE",
        "图片像素尺寸过大：证件照不能超过800万像素，请缩小后再上传。",
    )
    code, message = refusal(await upload(api, "SIGNATURE", png, filename="s.png"))
    assert code == "IMAGE_TOO_LARGE" and "签名图片不能超过400万像素" in message
    code, message = refusal(await upload(api, "ID_CARD_FRONT", rgba_bomb_png(20_000, 2_100), filename="c.png"))
    assert code == "IMAGE_TOO_LARGE" and "4000万像素" in message, message
    assert await Attachment.all().count() == 0
    assert (await uploaded(api, "ID_CARD_FRONT", png, filename="c.png"))["width"] == 2000


async def test_a_panorama_is_not_an_id_photo(api: Api) -> None:
    await api.signed_up()

    code, message = refusal(await upload(api, "PHOTO", noisy_image(3000, 600)))

    assert code == "IMAGE_BAD_SHAPE"
    assert "证件照" in message and "宽高比为5" in message and "0.4至1.5" in message, message
    assert await Attachment.all().count() == 0


async def test_a_tall_strip_is_not_a_signature(api: Api) -> None:
    await api.signed_up()

    code, message = refusal(await upload(api, "SIGNATURE", image_bytes(200, 1200, fmt="PNG"), filename="s.png"))

    assert code == "IMAGE_BAD_SHAPE" and "签名图片" in message and "0.8至12" in message, message
    assert (await uploaded(api, "SIGNATURE", image_bytes(1200, 300, fmt="PNG"), filename="s.png"))["width"] == 1200


async def test_the_shape_is_judged_as_shown_after_the_exif_rotation(api: Api) -> None:
    await api.signed_up()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait: how phones save a portrait photo
    sideways = noisy_image(1600, 1000, exif=exif)

    photo = await uploaded(api, "PHOTO", sideways)

    assert (photo["width"], photo["height"]) == (295, 413)
    assert refusal(await upload(api, "SIGNATURE", sideways))[0] == "IMAGE_BAD_SHAPE"  # 0.625 shown: too tall
