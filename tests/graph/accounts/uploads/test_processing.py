"""uploadAttachment: each of the five kinds processed to its format, EXIF orientation, replacement history."""

from __future__ import annotations

import io
import random

from PIL import ExifTags, Image, ImageDraw

from db.models import Attachment
from tests.graph.accounts.uploads.helpers import fetch, noisy_image, uploaded
from tests.helpers import VIEWER, Api


def signature_scan(width: int = 900, height: int = 300) -> bytes:
    """Dark-grey ink on a light-grey, slightly noisy page, as a phone photo of a signature looks."""
    rng = random.Random(7)
    page = Image.new("RGB", (width, height), (228, 226, 220))
    pixels = page.load()
    assert pixels is not None
    for _ in range(4000):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randrange(200, 245)
        pixels[x, y] = (shade, shade, shade)
    draw = ImageDraw.Draw(page)
    draw.line([(80, 200), (300, 80), (450, 220), (700, 90), (820, 160)], fill=(55, 55, 60), width=14)
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


async def test_all_five_kinds_are_processed_to_their_format(api: Api) -> None:
    await api.signed_up()

    photo = await uploaded(api, "PHOTO", noisy_image(600, 900))
    front = await uploaded(api, "ID_CARD_FRONT", noisy_image(2400, 1500))
    back = await uploaded(api, "ID_CARD_BACK", noisy_image(1000, 630, "PNG"), filename="back.png")
    handheld = await uploaded(api, "HANDHELD_ID", noisy_image(1200, 1600))
    signature = await uploaded(api, "SIGNATURE", signature_scan(), filename="sign.png")

    assert (photo["width"], photo["height"], photo["contentType"]) == (295, 413, "image/jpeg")
    assert (front["width"], front["height"], front["contentType"]) == (2000, 1250, "image/jpeg")
    assert (back["width"], back["height"], back["contentType"]) == (1000, 630, "image/jpeg")
    assert (handheld["width"], handheld["height"]) == (1200, 1600)
    assert (signature["contentType"], signature["width"], signature["height"]) == ("image/png", 900, 300)
    for attachment, fmt in [(photo, "JPEG"), (front, "JPEG"), (back, "JPEG"), (handheld, "JPEG"), (signature, "PNG")]:
        response = await fetch(api, attachment["url"], api.token)
        assert response.status_code == 200
        assert len(response.content) == attachment["sizeBytes"]
        image = Image.open(io.BytesIO(response.content))
        assert image.format == fmt
        assert image.size == (attachment["width"], attachment["height"])
        assert max(image.size) <= 2000
    viewer = (await api.gql(VIEWER, {"first": 1}))["data"]["viewer"]
    kinds = [a["kind"] for a in viewer["attachments"]]
    assert kinds == ["PHOTO", "ID_CARD_FRONT", "ID_CARD_BACK", "HANDHELD_ID", "SIGNATURE"]


async def test_signature_becomes_black_ink_on_white(api: Api) -> None:
    await api.signed_up()
    signature = await uploaded(api, "SIGNATURE", signature_scan(), filename="sign.png")

    image = Image.open(io.BytesIO((await fetch(api, signature["url"], api.token)).content))

    assert image.format == "PNG"
    histogram = image.convert("L").histogram()
    assert {value for value, count in enumerate(histogram) if count} == {0, 255}
    assert histogram[255] > histogram[0] * 5  # mostly white page
    grey = image.convert("L")
    assert grey.getpixel((300, 80)) == 0  # on the stroke
    assert grey.getpixel((50, 50)) == 255  # the page, noise and all


async def test_exif_orientation_is_applied_before_the_metadata_is_dropped(api: Api) -> None:
    await api.signed_up()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: display rotated by 90°
    attachment = await uploaded(api, "ID_CARD_FRONT", noisy_image(800, 500, exif=exif))
    assert (attachment["width"], attachment["height"]) == (500, 800)


async def test_replacing_a_kind_keeps_the_history(api: Api) -> None:
    await api.signed_up()
    first = await uploaded(api, "PHOTO", noisy_image(600, 900, seed=1))
    second = await uploaded(api, "PHOTO", noisy_image(600, 900, seed=2))

    rows = await Attachment.filter(kind="PHOTO").order_by("id")

    assert [row.current for row in rows] == [False, True]
    assert rows[0].replaced_at is not None and rows[1].replaced_at is None
    assert rows[0].sha256 != rows[1].sha256
    assert first["id"] != second["id"] and second["current"] is True
    viewer = (await api.gql(VIEWER, {"first": 10}))["data"]["viewer"]
    assert [a["id"] for a in viewer["attachments"]] == [second["id"]]
    actions = [edge["node"]["action"] for edge in viewer["trail"]["edges"]]
    assert actions[:2] == ["ATTACHMENT_UPLOADED", "ATTACHMENT_UPLOADED"]
