"""uploadAttachment and the file route: processing per kind, history, access, and image attacks (check 18)."""

from __future__ import annotations

import io
import random
import re
import resource
import struct
import zlib
from typing import Any

import httpx
from PIL import ExifTags, Image, ImageDraw

from db.models import Attachment, StaffRole, TrailEntry
from domain.kernel.settings import get_settings
from tests.helpers import VALID_ID_2, VIEWER, Api, image_bytes
from tests.verification_helpers import staff_token

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png)")


def noisy_image(width: int, height: int, fmt: str = "JPEG", seed: int = 1, **save: Any) -> bytes:
    """A photo-like image (noise compresses badly, as real photos do)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


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


def error_code(result: dict[str, Any]) -> str:
    assert result["attachment"] is None, result
    [error] = result["errors"]
    assert error["field"] == ["file"]
    assert re.search(r"[\u4e00-\u9fff]", error["message"])
    return str(error["code"])


def stored_files() -> set[str]:
    directory = get_settings().storage_path / "attachments"
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


# --- the five kinds -----------------------------------------------------------------------------------------


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


# --- who may fetch a file -------------------------------------------------------------------------------------


async def test_file_is_served_to_its_owner_with_safe_headers(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900), filename="我的照片.jpg")

    response = await fetch(api, attachment["url"], api.token)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(r'inline; filename="photo-\d+\.jpg"', disposition), disposition
    assert "no-store" in response.headers["cache-control"]
    assert "sandbox" in response.headers["content-security-policy"]


async def test_file_is_hidden_from_other_people_and_anonymous_callers(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    owner = api.token
    other = await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    assert other != owner

    assert (await fetch(api, attachment["url"], other)).status_code == 404
    api.client.cookies.clear()  # the logins above left session cookies in the client
    assert (await fetch(api, attachment["url"], None)).status_code == 401
    assert (await fetch(api, attachment["url"], "forged-token")).status_code == 401
    assert (await fetch(api, "/files/attachments/999999", owner)).status_code == 404
    for odd in ("abc", "9" * 40, "²", "-1", "1.0"):
        assert (await fetch(api, f"/files/attachments/{odd}", owner)).status_code == 404, odd


async def test_province_staff_can_view_and_the_view_is_on_the_trail(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "ID_CARD_FRONT", noisy_image(1000, 630))
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")

    response = await fetch(api, attachment["url"], staff)

    assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
    entry = await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").get()
    assert entry.actor == "工作人员 province-test"
    assert "身份证人像面" in entry.description
    assert entry.ip == "203.0.113.10"
    viewer = (await api.gql(VIEWER, {"first": 1}))["data"]["viewer"]
    assert viewer["trail"]["edges"][0]["node"]["action"] == "ATTACHMENT_VIEWED_BY_STAFF"


async def test_enterprise_staff_cannot_view_attachments(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    staff = await staff_token(api, StaffRole.ENTERPRISE, "enterprise-test")

    assert (await fetch(api, attachment["url"], staff)).status_code == 404
    assert not await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").exists()


# --- check 18: image attacks ----------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width×height pixels, all black: 50 MB of rows that deflate to a few dozen KB."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + packed bits
    rows = row * 1000
    body = b"".join(compressor.compress(rows) for _ in range(height // 1000)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


async def test_a_20000_by_20000_png_is_refused_without_decoding(api: Api) -> None:
    await api.signed_up()
    bomb = bomb_png()
    assert len(bomb) < 200_000
    peak_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = stored_files()

    result = await upload(api, "ID_CARD_FRONT", bomb, filename="card.png", content_type="image/png")

    assert error_code(result) == "IMAGE_TOO_LARGE"
    growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before_kib) / 1024
    assert growth_mib < 100  # decoding would need 400 MB (one byte per pixel)
    assert stored_files() == before
    assert await Attachment.all().count() == 0


async def test_a_50_mb_file_is_refused(api: Api) -> None:
    await api.signed_up()
    fifty_mb = b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024)

    response = await api.upload("PHOTO", fifty_mb)

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await Attachment.all().count() == 0


async def test_a_file_over_the_upload_cap_but_under_the_request_cap_is_file_too_large(api: Api) -> None:
    await api.signed_up()
    settings = get_settings()
    size = (settings.upload_max_bytes + settings.request_max_bytes) // 2
    result = await upload(api, "PHOTO", b"\xff\xd8\xff\xe0" + bytes(size))
    assert error_code(result) == "FILE_TOO_LARGE"


async def test_gps_exif_and_trailing_data_are_dropped(api: Api) -> None:
    await api.signed_up()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    original = noisy_image(800, 600, exif=exif)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    trailer = b"<?php system($_GET['c']); ?>" + b"HIDDEN-PAYLOAD" * 500
    attachment = await uploaded(api, "HANDHELD_ID", original + trailer)

    stored = (await fetch(api, attachment["url"], api.token)).content

    assert stored != original
    assert b"Exif" not in stored and b"SpyCam" not in stored
    assert b"HIDDEN-PAYLOAD" not in stored and b"<?php" not in stored
    assert stored.endswith(b"\xff\xd9")
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert image.size == (800, 600)


async def test_svg_named_jpg_is_refused(api: Api) -> None:
    await api.signed_up()
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    before = stored_files()

    result = await upload(api, "PHOTO", svg, filename="photo.jpg", content_type="image/jpeg")

    assert error_code(result) == "UNSUPPORTED_FILE_TYPE"
    gif = io.BytesIO()
    Image.new("RGB", (600, 900)).save(gif, format="GIF")
    assert error_code(await upload(api, "PHOTO", gif.getvalue())) == "UNSUPPORTED_FILE_TYPE"
    assert stored_files() == before


async def test_the_format_comes_from_the_bytes_not_the_name(api: Api) -> None:
    await api.signed_up()
    png_named_jpg = image_bytes(600, 900, fmt="PNG")
    attachment = await uploaded(api, "PHOTO", png_named_jpg, filename="photo.jpg", content_type="image/jpeg")
    assert attachment["contentType"] == "image/jpeg"  # re-encoded by the server as the kind requires


async def test_a_hostile_filename_is_never_used_for_storage(api: Api) -> None:
    await api.signed_up()
    var_dir = get_settings().var_dir
    attachments_dir = get_settings().storage_path / "attachments"

    for name in ("../../x", "..\\..\\x", "/etc/passwd", "x\r\nContent-Type: text/html"):
        attachment = await uploaded(api, "ID_CARD_BACK", noisy_image(700, 450), filename=name)
        response = await fetch(api, attachment["url"], api.token)
        assert "x" not in response.headers["content-disposition"].removeprefix("inline; filename=")
        assert "passwd" not in response.headers["content-disposition"]

    assert not (var_dir / "x").exists() and not (attachments_dir / "x").exists()
    assert not (attachments_dir.parent.parent / "x").exists()
    names = stored_files()
    assert names and all(STORED_NAME.fullmatch(name) for name in names), names
    rows = await Attachment.all()
    assert {row.storage_name for row in rows} <= names


async def test_a_truncated_jpeg_is_invalid(api: Api) -> None:
    await api.signed_up()
    whole = noisy_image(800, 600)

    result = await upload(api, "ID_CARD_FRONT", whole[: len(whole) // 2])

    assert error_code(result) == "IMAGE_INVALID"
    header_only = await upload(api, "ID_CARD_FRONT", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    assert error_code(header_only) == "IMAGE_INVALID"
    assert await Attachment.all().count() == 0


async def test_a_tiny_image_is_too_small(api: Api) -> None:
    await api.signed_up()
    assert error_code(await upload(api, "PHOTO", image_bytes(60, 80))) == "IMAGE_TOO_SMALL"
    assert error_code(await upload(api, "ID_CARD_FRONT", image_bytes(400, 200))) == "IMAGE_TOO_SMALL"
    assert await Attachment.all().count() == 0


async def test_upload_needs_a_login(api: Api) -> None:
    response = await api.upload("PHOTO", noisy_image(600, 900))
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Attachment.all().count() == 0
