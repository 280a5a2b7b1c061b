"""The certificate as a PNG (Pillow, 150 dpi, 1240 × 1754 pixels): the PDF's layout drawn with the same font."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from domain.certificates.rendering import PAGE_H_MM, PAGE_W_MM, PT_MM, Box, Item, Layout, Modules, Picture, Text

DPI = 150
ANCHORS = {"L": "lm", "C": "mm", "R": "rm"}


def px(mm: float) -> int:
    """Millimetres to pixels at DPI."""
    return round(mm * DPI / 25.4)


@lru_cache(maxsize=32)
def _font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px)


def _picture(canvas: Image.Image, item: Picture) -> None:
    with Image.open(io.BytesIO(item.data)) as image:
        fitted = image.convert("RGB").resize((max(1, px(item.w_mm)), max(1, px(item.h_mm))), Image.Resampling.LANCZOS)
    canvas.paste(fitted, (px(item.x_mm), px(item.y_mm)))


def _modules(draw: ImageDraw.ImageDraw, item: Modules) -> None:
    for row_index, row in enumerate(item.rows):
        top, bottom = px(item.y_mm + row_index * item.module_mm), px(item.y_mm + (row_index + 1) * item.module_mm)
        for column, dark in enumerate(row):
            if dark:
                left = px(item.x_mm + column * item.module_mm)
                right = px(item.x_mm + (column + 1) * item.module_mm)
                draw.rectangle((left, top, right - 1, bottom - 1), fill=(0, 0, 0))


def _draw(canvas: Image.Image, draw: ImageDraw.ImageDraw, item: Item, font: Path) -> None:
    if isinstance(item, Text):
        size = max(1, round(item.size_pt * PT_MM * DPI / 25.4))
        position = (px(item.x_mm), px(item.y_mm))
        draw.text(position, item.text, font=_font(str(font), size), fill=item.color, anchor=ANCHORS[item.align])
    elif isinstance(item, Box):
        box = (px(item.x_mm), px(item.y_mm), px(item.x_mm + item.w_mm), px(item.y_mm + item.h_mm))
        draw.rectangle(box, outline=item.color, width=max(1, px(item.line_mm)))
    elif isinstance(item, Picture):
        _picture(canvas, item)
    else:
        _modules(draw, item)


def render_png(page: Layout, font: Path) -> bytes:
    """The page as PNG bytes at 150 dpi."""
    canvas = Image.new("RGB", (px(PAGE_W_MM), px(PAGE_H_MM)), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for item in page.items:
        _draw(canvas, draw, item, font)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False, dpi=(DPI, DPI))
    return out.getvalue()
