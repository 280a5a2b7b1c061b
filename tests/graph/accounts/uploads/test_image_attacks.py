"""SECURITY check 18, image attacks: decompression bombs, oversized files, EXIF and trailing data, disguised
formats, hostile file names, broken and tiny images."""

from __future__ import annotations

import io
import re
import resource
import struct
import zlib
from typing import Any

from PIL import ExifTags, Image

from db.models import Attachment
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import fetch, noisy_image, upload, uploaded
from tests.helpers import Api, image_bytes

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png)")


def error_code(result: dict[str, Any]) -> str:
    assert result["attachment"] is None, result
    [error] = result["errors"]
    assert error["field"] == ["file"]
    assert re.search(r"[\u4e00-\u9fff]", error["message"])
    return str(error["code"])


def stored_files() -> set[str]:
    directory = get_settings().storage_path / "attachments"
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


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
    response = await api.upload("PHOTO", noisy_image(600, 900))  # over the anonymous body cap: refused unread
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    small = (await api.upload("PHOTO", noisy_image(40, 40))).json()
    assert small["data"] is None and small["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Attachment.all().count() == 0
