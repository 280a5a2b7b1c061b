"""The certificate as a printable A4 PDF (fpdf2): vector text in the embedded CJK font (subset), the images, the
QR code as vector squares."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from domain.certificates.fonts import FAMILY
from domain.certificates.rendering import PT_MM, Box, Item, Layout, Modules, Picture, Text

TITLE = "中华人民共和国一级建造师注册证书（电子证书）"


def _text(pdf: FPDF, item: Text) -> None:
    pdf.set_font(FAMILY, size=item.size_pt)
    pdf.set_text_color(*item.color)
    width = pdf.get_string_width(item.text)
    x = {"L": item.x_mm, "C": item.x_mm - width / 2, "R": item.x_mm - width}[item.align]
    height = item.size_pt * PT_MM
    pdf.set_xy(x, item.y_mm - height / 2)
    pdf.cell(w=width, h=height, text=item.text)


def _box(pdf: FPDF, item: Box) -> None:
    pdf.set_draw_color(*item.color)
    pdf.set_line_width(item.line_mm)
    pdf.rect(item.x_mm, item.y_mm, item.w_mm, item.h_mm)


def _modules(pdf: FPDF, item: Modules) -> None:
    pdf.set_fill_color(0, 0, 0)
    size = item.module_mm
    for row_index, row in enumerate(item.rows):
        column = 0
        while column < len(row):  # one rectangle per run of dark modules
            if not row[column]:
                column += 1
                continue
            end = column
            while end < len(row) and row[end]:
                end += 1
            pdf.rect(item.x_mm + column * size, item.y_mm + row_index * size, (end - column) * size, size, style="F")
            column = end


def _draw(pdf: FPDF, item: Item) -> None:
    if isinstance(item, Text):
        _text(pdf, item)
    elif isinstance(item, Box):
        _box(pdf, item)
    elif isinstance(item, Picture):
        pdf.image(io.BytesIO(item.data), x=item.x_mm, y=item.y_mm, w=item.w_mm, h=item.h_mm)
    else:
        _modules(pdf, item)


def render_pdf(page: Layout, font: Path, created: datetime | None = None) -> bytes:
    """The page as PDF bytes, the font embedded (subset)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(TITLE)
    pdf.set_creator("一级建造师注册管理系统")
    pdf.set_creation_date(created or datetime.now(UTC))
    pdf.add_font(FAMILY, "", str(font))
    pdf.add_page()
    for item in page.items:
        _draw(pdf, item)
    return bytes(pdf.output())
