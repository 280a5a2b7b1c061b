"""Image intake (OWASP file upload): sniff bytes, bound pixels before decoding, re-encode without metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PHOTO_SIZE = (295, 413)  # 一寸 portrait, 5:7
MAX_EDGE = 2000
MIN_EDGE = {"PHOTO": 150, "SIGNATURE": 60}
DEFAULT_MIN_EDGE = 300


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


def _open_bounded(data: bytes, expected_format: str) -> Image.Image:
    """Read the header, check the pixel count, and only then decode."""
    max_pixels = get_settings().image_max_pixels
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected_format])
            width, height = image.size
            if width * height > max_pixels:
                raise DomainError(ErrorCode.IMAGE_TOO_LARGE, "file")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DomainError(ErrorCode.IMAGE_TOO_LARGE, "file") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise DomainError(ErrorCode.IMAGE_INVALID, "file") from exc
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
    if len(data) > get_settings().upload_max_bytes:
        raise DomainError(ErrorCode.FILE_TOO_LARGE, "file")
    image = _open_bounded(data, sniff(data))
    if min(image.size) < MIN_EDGE.get(kind, DEFAULT_MIN_EDGE):
        raise DomainError(ErrorCode.IMAGE_TOO_SMALL, "file")
    flat = _flatten(image)
    if kind == "PHOTO":
        result, fmt = _to_photo(flat), "JPEG"
    elif kind == "SIGNATURE":
        result, fmt = _to_signature(flat), "PNG"
    else:
        flat.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
        result, fmt = flat, "JPEG"
    return ProcessedImage(_encode(result, fmt), f"image/{fmt.lower()}", result.width, result.height)
