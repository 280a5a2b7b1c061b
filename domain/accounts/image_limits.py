"""What each kind of image may be: decoded pixels (the memory an upload may cost), shape, working size."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class KindLimits:
    """Bounds for one kind of attachment."""

    label: str
    max_pixels: int  # decoded pixels (after JPEG's draft reduction): 4 bytes each at most, RGBA
    work_edge: int  # the longest edge kept after the early downscale
    min_ratio: float  # width / height, after the EXIF orientation
    max_ratio: float


_ID_CARD = KindLimits("身份证图片", 12_000_000, 2000, 1 / 3, 3.0)
LIMITS: dict[str, KindLimits] = {
    "PHOTO": KindLimits("证件照", 8_000_000, 1200, 0.4, 1.5),
    "SIGNATURE": KindLimits("签名图片", 4_000_000, 2000, 0.8, 12.0),
    "ID_CARD_FRONT": _ID_CARD,
    "ID_CARD_BACK": _ID_CARD,
    "HANDHELD_ID": KindLimits("手持身份证半身照", 12_000_000, 2000, 1 / 3, 3.0),
}
DEFAULT_LIMITS = KindLimits("图片", 12_000_000, 2000, 1 / 3, 3.0)


def limits_for(kind: str) -> KindLimits:
    """The bounds of a kind (a kind without its own uses the ID-card bounds)."""
    return LIMITS.get(kind, DEFAULT_LIMITS)


def _megapixels(pixels: int) -> str:
    return f"{pixels // 10_000}万"


def too_many_pixels(pixels_cap: int, label: str = "图片") -> DomainError:
    """IMAGE_TOO_LARGE naming the limit."""
    message = f"图片像素尺寸过大：{label}不能超过{_megapixels(pixels_cap)}像素，请缩小后再上传。"
    return DomainError(ErrorCode.IMAGE_TOO_LARGE, "file", message)


def file_too_large(max_bytes: int) -> DomainError:
    """FILE_TOO_LARGE naming the limit in MB."""
    limit_mb = max_bytes // (1024 * 1024)
    return DomainError(ErrorCode.FILE_TOO_LARGE, "file", f"文件过大，请上传不超过{limit_mb}MB的图片。")


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.2f}".rstrip("0").rstrip(".")


def check_shape(kind: str, width: int, height: int) -> None:
    """Refuse a shape the kind cannot have (a panorama as an ID photo, a tall strip as a signature)."""
    limits = limits_for(kind)
    ratio = width / height
    if limits.min_ratio <= ratio <= limits.max_ratio:
        return
    message = (
        f"图片形状不适合作为{limits.label}：宽高比为{_ratio_text(ratio)}，应在{_ratio_text(limits.min_ratio)}"
        f"至{_ratio_text(limits.max_ratio)}之间，请重新拍摄或裁剪后上传。"
    )
    raise DomainError(ErrorCode.IMAGE_BAD_SHAPE, "file", message)
