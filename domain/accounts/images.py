"""Image intake (OWASP file upload): sniff bytes, bound pixels and memory before decoding, re-encode without
metadata. Decoding runs in a small pool, so concurrent uploads cannot multiply the peak memory."""

from __future__ import annotations

import asyncio
import io
import math
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageOps

from domain.accounts.image_limits import check_shape, file_too_large, limits_for, too_many_pixels
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PHOTO_SIZE = (295, 413)  # 一寸 portrait, 5:7
MAX_EDGE = 2000
MIN_EDGE = {"PHOTO": 150, "SIGNATURE": 60}
DEFAULT_MIN_EDGE = 300
EXIF_ORIENTATION = 0x0112
ROTATED_ORIENTATIONS = {5, 6, 7, 8}  # stored sideways: width and height swap once applied


@dataclass(frozen=True)
class ProcessedImage:
    """A safe re-encoding of an upload."""

    data: bytes
    content_type: str
    width: int
    height: int


def sniff(data: bytes) -> str:
    """The real format from the first bytes, whatever the file name says."""
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    if data.startswith(PNG_MAGIC):
        return "PNG"
    raise DomainError(ErrorCode.UNSUPPORTED_FILE_TYPE, "file")


def _oriented_size(image: Image.Image) -> tuple[int, int]:
    """The size as shown, from the header and the EXIF orientation (nothing decoded)."""
    width, height = image.size
    if image.format == "JPEG":
        exif = image.getexif()
    else:  # a PNG's getexif() decodes the whole image to find an eXIf chunk after the pixels: header chunks only
        exif = Image.Exif()
        if isinstance(raw := image.info.get("exif"), bytes):
            exif.load(raw)
    if exif.get(EXIF_ORIENTATION) in ROTATED_ORIENTATIONS:
        return height, width
    return width, height


def _draft_for(image: Image.Image, work_edge: int) -> None:
    """JPEG only: let libjpeg decode at 1/2, 1/4 or 1/8 scale, still at least the working size."""
    width, height = image.size
    scale = work_edge / max(width, height)
    if image.format == "JPEG" and scale < 1:
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))


def _open_bounded(kind: str, data: bytes, expected_format: str) -> Image.Image:
    """Read the header (size, mode, orientation), check pixels and shape, reduce JPEGs, and only then decode."""
    max_pixels = get_settings().image_max_pixels
    limits = limits_for(kind)
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected_format])
            width, height = _oriented_size(image)
            if width * height > max_pixels:
                raise too_many_pixels(max_pixels)
            if min(width, height) < MIN_EDGE.get(kind, DEFAULT_MIN_EDGE):
                raise DomainError(ErrorCode.IMAGE_TOO_SMALL, "file")
            check_shape(kind, width, height)
            _draft_for(image, limits.work_edge)
            if image.width * image.height > limits.max_pixels:
                raise too_many_pixels(limits.max_pixels, limits.label)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels(max_pixels) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise DomainError(ErrorCode.IMAGE_INVALID, "file") from exc
    return image


def _shrink(image: Image.Image, work_edge: int) -> Image.Image:
    """Down to the working size first, so every later step handles a small image."""
    if max(image.size) > work_edge:
        if image.mode in ("1", "P"):
            image = image.convert("RGBA" if image.mode == "P" else "L")
        image.thumbnail((work_edge, work_edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, then drop alpha onto white."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _to_photo(image: Image.Image) -> Image.Image:
    """Centre-crop to 5:7 and scale to 295×413."""
    return ImageOps.fit(image, PHOTO_SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.4))


def _to_signature(image: Image.Image) -> Image.Image:
    """Black ink on white: grey, stretch contrast, threshold."""
    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    grey.thumbnail((MAX_EDGE, MAX_EDGE))
    return grey.point(lambda value: 255 if value > 160 else 0, mode="1").convert("L")


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()


def process(kind: str, data: bytes) -> ProcessedImage:
    """Validate and normalise one upload of a kind (PHOTO, SIGNATURE, ID_CARD_FRONT, …)."""
    max_bytes = get_settings().upload_max_bytes
    if len(data) > max_bytes:
        raise file_too_large(max_bytes)
    image = _open_bounded(kind, data, sniff(data))
    flat = _flatten(_shrink(image, limits_for(kind).work_edge))
    del image
    if kind == "PHOTO":
        result, fmt = _to_photo(flat), "JPEG"
    elif kind == "SIGNATURE":
        result, fmt = _to_signature(flat), "PNG"
    else:
        flat.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
        result, fmt = flat, "JPEG"
    return ProcessedImage(_encode(result, fmt), f"image/{fmt.lower()}", result.width, result.height)


def decode_workers() -> int:
    """IMAGE_DECODE_WORKERS, or the cores (at most 4): how many images are decoded at once per process."""
    configured = get_settings().image_decode_workers
    return configured if configured > 0 else max(1, min(os.cpu_count() or 1, 4))


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=decode_workers(), thread_name_prefix="image-decode")


async def process_bounded(kind: str, data: bytes) -> ProcessedImage:
    """`process` in the decode pool: uploads beyond the pool's size wait their turn instead of decoding at once."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), process, kind, data)
