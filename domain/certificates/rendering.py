"""The electronic certificate's one A4 layout, drawn by two back-ends from the same list of items: `pdf` (fpdf2,
vector text in the embedded font) and `png` (Pillow at 150 dpi, the same font): both show the same thing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from PIL import Image

from domain.certificates import qr

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
INK = (20, 20, 20)
SEAL_RED = (160, 30, 30)
MUTED = (90, 90, 90)
PT_MM = 25.4 / 72
GENDERS = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class Text:
    """A line of text; `y_mm` is its vertical middle, `x_mm` its left edge, centre or right edge (align L/C/R)."""

    x_mm: float
    y_mm: float
    text: str
    size_pt: float
    align: str = "L"
    color: tuple[int, int, int] = INK


@dataclass(frozen=True)
class Box:
    """A rectangle outline."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    line_mm: float = 0.3
    color: tuple[int, int, int] = INK


@dataclass(frozen=True)
class Picture:
    """An image (JPEG/PNG bytes) drawn into this rectangle (already fitted to its aspect ratio)."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    data: bytes


@dataclass(frozen=True)
class Modules:
    """A QR code: dark modules as squares of `module_mm`, the top-left one at (x_mm, y_mm)."""

    x_mm: float
    y_mm: float
    module_mm: float
    rows: list[list[bool]]


Item = Text | Box | Picture | Modules


@dataclass(frozen=True)
class Specialty:
    """A specialty as printed: its name and expiry."""

    name: str
    expires_on: date


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one download of the certificate."""

    name: str
    gender: str
    birth_date: date
    number_with_check: str
    enterprise_name: str
    specialties: list[Specialty]
    issuer: str
    issued_on: date
    usable_until: date
    download_id: int
    qr_text: str
    photo: bytes | None = None
    signature: bytes | None = None
    temporary: bool = False


@dataclass
class Layout:
    """The items of one page, in drawing order."""

    items: list[Item] = field(default_factory=list)

    def add(self, *items: Item) -> None:
        self.items.extend(items)


def chinese_date(day: date) -> str:
    """2026年11月30日."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def fitted_size(text: str, width_mm: float, size_pt: float) -> float:
    """The size at which the text fits the width (CJK glyphs 1 em wide, others about 0.6 em)."""
    ems = sum(1.0 if ord(char) > 0x2E80 else 0.6 for char in text) or 1.0
    return min(size_pt, width_mm / (ems * PT_MM))


def fitted_picture(data: bytes | None, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> list[Item]:
    """The image centred in the box, its aspect ratio kept; a frame with a note when there is none."""
    if data is None:
        return [Box(x_mm, y_mm, w_mm, h_mm), Text(x_mm + w_mm / 2, y_mm + h_mm / 2, "（未上传）", 9, "C", MUTED)]
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    scale = min(w_mm / width, h_mm / height)
    shown_w, shown_h = width * scale, height * scale
    return [Picture(x_mm + (w_mm - shown_w) / 2, y_mm + (h_mm - shown_h) / 2, shown_w, shown_h, data)]


def _header(doc: CertificateDocument, page: Layout) -> None:
    page.add(Box(10, 10, 190, 277, 0.8, SEAL_RED), Box(13, 13, 184, 271, 0.3, SEAL_RED))
    page.add(Text(105, 32, "中华人民共和国一级建造师注册证书", 20, "C", SEAL_RED))
    subtitle = "（电子证书 · 一级临时建造师）" if doc.temporary else "（电子证书）"
    page.add(Text(105, 42, subtitle, 13, "C", SEAL_RED))


def _facts(doc: CertificateDocument, page: Layout) -> None:
    rows = [
        ("姓　　名", doc.name),
        ("性　　别", GENDERS.get(doc.gender, doc.gender)),
        ("出生日期", chinese_date(doc.birth_date)),
        ("注册编号", doc.number_with_check),
        ("聘用企业", doc.enterprise_name),
    ]
    for index, (label, value) in enumerate(rows):
        y = 62 + 11 * index
        width = 130 if index == len(rows) - 1 else 85
        page.add(Text(25, y, f"{label}：", 12, "L", MUTED), Text(55, y, value, fitted_size(value, width, 13)))
    if doc.photo is not None:
        page.add(Box(149.5, 54.5, 36, 46, 0.2, MUTED))
    page.add(*fitted_picture(doc.photo, 150, 55, 35, 45))


def _specialties(doc: CertificateDocument, page: Layout) -> float:
    top = 126.0
    row_h = min(8.0, 75.0 / (len(doc.specialties) + 1))  # all ten specialties still end above the signature
    page.add(Text(25, top - 7, "注册专业及有效期", 12, "L", MUTED))
    page.add(Box(25, top, 160, row_h), Text(65, top + row_h / 2, "注册专业", 11, "C", MUTED))
    page.add(Text(145, top + row_h / 2, "有效期至", 11, "C", MUTED))
    for index, specialty in enumerate(doc.specialties):
        y = top + row_h * (index + 1)
        size = min(12.0, row_h / PT_MM * 0.7)
        page.add(Box(25, y, 160, row_h), Text(65, y + row_h / 2, specialty.name, size, "C"))
        page.add(Text(145, y + row_h / 2, chinese_date(specialty.expires_on), size, "C"))
    return top + row_h * (len(doc.specialties) + 1)


def _footer(doc: CertificateDocument, page: Layout) -> None:
    page.add(Text(25, 212, "本人签名：", 12, "L", MUTED), *fitted_picture(doc.signature, 55, 203, 55, 18))
    rows = qr.modules(doc.qr_text)
    module_mm = 38 / len(rows)
    page.add(Modules(150, 206, module_mm, rows), Text(169, 248, "扫码核验真伪及状态", 9, "C", MUTED))
    page.add(
        Text(25, 230, f"发证机关：{doc.issuer}", 12), Text(25, 239, f"发证日期：{chinese_date(doc.issued_on)}", 12)
    )
    page.add(Text(25, 248, f"使用有效期至：{chinese_date(doc.usable_until)}", 12, "L", SEAL_RED))
    page.add(Text(25, 260, "持证人手写签名：", 12, "L", MUTED), Box(60, 264, 60, 0.01, 0.3))
    page.add(Text(105, 272, "本电子证书打印件经持证人本人手写签名后有效。", 11, "C"))
    page.add(Text(105, 279, f"下载编号 {doc.download_id} · 扫描二维码可核验证书真伪及当前状态", 8, "C", MUTED))


def layout(doc: CertificateDocument) -> Layout:
    """The certificate's page: title, the holder's facts and photo, the specialties, signature, QR code, issuer,
    dates and the note on printed copies."""
    page = Layout()
    _header(doc, page)
    _facts(doc, page)
    _specialties(doc, page)
    _footer(doc, page)
    return page
